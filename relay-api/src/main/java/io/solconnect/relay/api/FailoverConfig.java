package io.solconnect.relay.api;

import java.time.Duration;

/**
 * Standbys, reconnection and ejection: what the client does once a link fails. Immutable and
 * thread-safe.
 *
 * @param standbyCount   warm standby connections kept open and joined, each also given a copy of
 *                       every message sent, so a failover needs no handshake; 0..4; default 1
 * @param maxRetries     connection attempts to one relay in a row before it is ejected (once the
 *                       failures span at least 1 s; a connection open for an ack timeout ends the
 *                       row; never ejecting below a primary and {@code standbyCount} standbys
 *                       when the pool has more relays); 0..1000; default 3
 * @param backoffInitial first reconnect delay to one relay (full jitter below it); positive;
 *                       default 100 ms
 * @param backoffMax     cap of the exponential reconnect delay, whose exponent counts the relay's
 *                       failures within the last {@code stablePeriod}; at least
 *                       {@code backoffInitial}; default 30 s
 * @param stablePeriod   a connection that lasts this long resets its relay's backoff and ejection
 *                       count, and failures older than this no longer raise the backoff; with
 *                       session affinity, standbys move to the room's next choices only after this
 *                       long without a failover; positive; default 30 s
 * @param ejectionTime   base time a failing relay is ejected for, growing with each ejection;
 *                       positive; default 10 s
 */
public record FailoverConfig(int standbyCount, int maxRetries, Duration backoffInitial, Duration backoffMax,
                             Duration stablePeriod, Duration ejectionTime) {

    private static final FailoverConfig DEFAULTS = new FailoverConfig(1, 3, Duration.ofMillis(100),
            Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(10));

    /**
     * Validates every component and that {@code backoffMax >= backoffInitial}.
     *
     * @param standbyCount   warm standby connections kept open and joined, each also given a copy of every message sent, so a failover needs no handshake; 0..4; default 1
     * @param maxRetries     connection attempts to one relay in a row before it is ejected (once the failures span at least 1 s; see the record's description); 0..1000; default 3
     * @param backoffInitial first reconnect delay to one relay (full jitter below it); positive; default 100 ms
     * @param backoffMax     cap of the exponential reconnect delay, whose exponent counts the relay's failures within the last {@code stablePeriod}; at least {@code backoffInitial}; default 30 s
     * @param stablePeriod   a connection that lasts this long resets its relay's backoff and ejection count, and failures older than this no longer raise the backoff; with session affinity, standbys move to the room's next choices only after this long without a failover; positive; default 30 s
     * @param ejectionTime   base time a failing relay is ejected for, growing with each ejection; positive; default 10 s 
     * @throws IllegalArgumentException whose message starts with the option's path, e.g.
     *                                  {@code "failover.standbyCount must be in 0..4, was 5"}
     * @throws NullPointerException     if a component is null
     */
    public FailoverConfig {
        ConfigChecks.range("failover.standbyCount", standbyCount, 0, 4);
        ConfigChecks.range("failover.maxRetries", maxRetries, 0, 1000);
        ConfigChecks.positive("failover.backoffInitial", backoffInitial);
        ConfigChecks.positive("failover.backoffMax", backoffMax);
        ConfigChecks.positive("failover.stablePeriod", stablePeriod);
        ConfigChecks.positive("failover.ejectionTime", ejectionTime);
        if (backoffMax.compareTo(backoffInitial) < 0) {
            throw new IllegalArgumentException("failover.backoffMax must be at least failover.backoffInitial ("
                    + backoffInitial + "), was " + backoffMax);
        }
    }

    /**
     * The defaults listed on the components.
     *
     * @return the default failover settings
     */
    public static FailoverConfig ofDefaults() {
        return DEFAULTS;
    }
}
