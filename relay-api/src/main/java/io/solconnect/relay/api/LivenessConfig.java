package io.solconnect.relay.api;

import java.time.Duration;

/**
 * How fast a dead or silent link is noticed, and what that costs on idle links. A link that
 * carried traffic recently (messages written on it or received from it within the active window,
 * which a message still unacknowledged keeps open) is pinged after {@code pingInterval} of silence,
 * so {@code pingInterval + pingTimeout} bounds the time to detect a relay that stops answering
 * while it is used. An idle link is pinged after {@code idlePingInterval} of silence instead
 * (detection then takes {@code idlePingInterval + pingTimeout}); as soon as it is used again (a
 * message is written on it, or it becomes the primary) after more than {@code pingInterval} of
 * silence, it is pinged at once and dropped if it stays silent for {@code pingTimeout}. Immutable
 * and thread-safe.
 *
 * @param pingInterval     a link in use that received nothing for this long is pinged with a
 *                         WebSocket control frame; at least 10 ms; default 150 ms
 * @param pingTimeout      a ping unanswered (and no other frame received) for this long marks the
 *                         link dead; at least 10 ms; default 250 ms
 * @param connectTimeout   limit on opening a connection (TCP, TLS and WebSocket handshake); at least
 *                         10 ms; default 5 s
 * @param idlePingInterval an idle link (no message written on it or received from it for the
 *                         active window) that received nothing for this long is pinged; at least
 *                         {@code pingInterval}; default 5 s, or {@code pingInterval} when that is
 *                         longer ({@link #defaultIdlePingInterval(Duration)})
 */
public record LivenessConfig(Duration pingInterval, Duration pingTimeout, Duration connectTimeout,
                             Duration idlePingInterval) {

    /**
     * The shortest {@code pingInterval}, {@code pingTimeout} and {@code connectTimeout} accepted
     * from any source (builder, file, settings page): 10 ms. Shorter timers would only spin.
     */
    public static final Duration MIN_TIMER = Duration.ofMillis(10);

    /**
     * The default {@code idlePingInterval} for the default {@code pingInterval}: 5 s. An idle
     * session's two links then cost 0.4 pings a second instead of about 8 (one per ping timeout
     * each; 10,000 idle sessions: 4,000 instead of 80,000), the first use of a silent link still
     * re-checks it within {@code pingTimeout}, and the link stays well inside the idle timeouts of
     * NATs and load balancers (30 s and more).
     */
    public static final Duration DEFAULT_IDLE_PING_INTERVAL = Duration.ofSeconds(5);

    private static final LivenessConfig DEFAULTS =
            new LivenessConfig(Duration.ofMillis(150), Duration.ofMillis(250), Duration.ofSeconds(5));

    /**
     * Validates every component and that {@code idlePingInterval >= pingInterval}.
     *
     * @param pingInterval     a link in use that received nothing for this long is pinged with a WebSocket control frame; at least 10 ms; default 150 ms
     * @param pingTimeout      a ping unanswered (and no other frame received) for this long marks the link dead; at least 10 ms; default 250 ms
     * @param connectTimeout   limit on opening a connection (TCP, TLS and WebSocket handshake); at least 10 ms; default 5 s
     * @param idlePingInterval an idle link that received nothing for this long is pinged; at least {@code pingInterval}; default 5 s, or {@code pingInterval} when that is longer
     * @throws IllegalArgumentException whose message starts with the option's path, e.g.
     *                                  {@code "liveness.pingInterval must be at least 10 ms, was PT0.001S"}
     * @throws NullPointerException     if a component is null
     */
    public LivenessConfig {
        ConfigChecks.atLeast("liveness.pingInterval", pingInterval, MIN_TIMER);
        ConfigChecks.atLeast("liveness.pingTimeout", pingTimeout, MIN_TIMER);
        ConfigChecks.atLeast("liveness.connectTimeout", connectTimeout, MIN_TIMER);
        ConfigChecks.atLeast("liveness.idlePingInterval", idlePingInterval, MIN_TIMER);
        if (idlePingInterval.compareTo(pingInterval) < 0) {
            throw new IllegalArgumentException("liveness.idlePingInterval must be at least liveness.pingInterval ("
                    + pingInterval.toMillis() + " ms), was " + idlePingInterval);
        }
    }

    /**
     * As the canonical constructor with the default {@code idlePingInterval} for this
     * {@code pingInterval} ({@link #defaultIdlePingInterval(Duration)}).
     *
     * @param pingInterval   a link in use that received nothing for this long is pinged; at least 10 ms
     * @param pingTimeout    a ping unanswered for this long marks the link dead; at least 10 ms
     * @param connectTimeout limit on opening a connection; at least 10 ms
     * @throws IllegalArgumentException as the canonical constructor
     * @throws NullPointerException     if a component is null
     */
    public LivenessConfig(Duration pingInterval, Duration pingTimeout, Duration connectTimeout) {
        this(pingInterval, pingTimeout, connectTimeout, defaultIdlePingInterval(pingInterval));
    }

    /**
     * The default {@code idlePingInterval} for a {@code pingInterval}: {@link #DEFAULT_IDLE_PING_INTERVAL}
     * (5 s), or {@code pingInterval} when that is longer.
     *
     * @param pingInterval the ping interval of links in use
     * @return the default ping interval of idle links
     * @throws NullPointerException if {@code pingInterval} is null
     */
    public static Duration defaultIdlePingInterval(Duration pingInterval) {
        java.util.Objects.requireNonNull(pingInterval, "liveness.pingInterval");
        return pingInterval.compareTo(DEFAULT_IDLE_PING_INTERVAL) > 0 ? pingInterval : DEFAULT_IDLE_PING_INTERVAL;
    }

    /**
     * The defaults listed on the components.
     *
     * @return the default liveness settings
     */
    public static LivenessConfig ofDefaults() {
        return DEFAULTS;
    }
}
