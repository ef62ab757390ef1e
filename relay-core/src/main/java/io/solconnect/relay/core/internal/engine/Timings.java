package io.solconnect.relay.core.internal.engine;

import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.LoadBalancingStrategy;
import io.solconnect.relay.core.internal.monitor.ConnectionMonitor;
import java.time.Duration;

/**
 * The engine's view of the configuration: the settings it reads and the timings derived from
 * them. The only engine class that reads {@link RelayConfig}, so that a change of the
 * configuration's shape touches one place. {@link #retune} swaps in a new configuration (live
 * changes); the values that size structures (window, outbox and dedup limits) are read once by
 * their owners. Confined to the engine loop.
 */
final class Timings {

    private RelayConfig config;
    private Duration ackTimeout;
    private Duration outageWindow;
    private Duration convergeAfter;

    Timings(RelayConfig config) {
        retune(config);
    }

    /** Takes a new configuration; derived timings follow it. */
    void retune(RelayConfig c) {
        this.config = c;
        this.ackTimeout = ackTimeoutFor(c);
        this.outageWindow = outageWindowFor(c);
        this.convergeAfter = convergeAfterFor(c);
    }

    RelayConfig config() {
        return config;
    }

    // ---- settings read as they are

    Duration pingInterval() {
        return config.liveness().pingInterval();
    }

    Duration pingTimeout() {
        return config.liveness().pingTimeout();
    }

    /** Silence after which an idle link is pinged (see {@link #activeWindow()}). */
    Duration idlePingInterval() {
        return config.liveness().idlePingInterval();
    }

    /**
     * How long a link counts as active after its last traffic (a message frame written on it or
     * received from it): two ack timeouts (3.2 s by default). While active, a silent link is pinged
     * after {@code pingInterval}; after that, after {@code idlePingInterval}. A message the primary
     * leaves unacknowledged is written again after an ack timeout (checked every quarter of one), so
     * a link with a message in flight stays active; and a relay that fails just after acknowledging a
     * message is still noticed within {@code pingInterval + pingTimeout}, inside the re-publication
     * window.
     */
    Duration activeWindow() {
        return ackTimeout.multipliedBy(2);
    }

    /** The intervals of a new link's monitor. */
    ConnectionMonitor.Timing monitorTiming() {
        return new ConnectionMonitor.Timing(pingInterval(), idlePingInterval(), activeWindow(), pingTimeout(),
                busyProbe());
    }

    /**
     * A busy link (never idle, so never pinged for liveness) that had no RTT sample for this long
     * is pinged once, so that latency is known under traffic too: 1 s, or the ping interval when
     * that is longer (a busy link is never probed more often than an idle one is pinged).
     */
    Duration busyProbe() {
        Duration ping = pingInterval();
        return ping.compareTo(BUSY_PROBE) > 0 ? ping : BUSY_PROBE;
    }

    /** The shortest {@link #busyProbe()}. */
    static final Duration BUSY_PROBE = Duration.ofSeconds(1);

    Duration healthCheckInterval() {
        return config.selection().healthCheckInterval();
    }

    Duration stablePeriod() {
        return config.failover().stablePeriod();
    }

    Duration connectTimeout() {
        return config.liveness().connectTimeout();
    }

    Duration backoffInitial() {
        return config.failover().backoffInitial();
    }

    Duration backoffMax() {
        return config.failover().backoffMax();
    }

    Duration ejectionTime() {
        return config.failover().ejectionTime();
    }

    Duration dedupWindow() {
        return config.dedup().window();
    }

    int dedupMaxEntries() {
        return config.dedup().maxEntries();
    }

    int maxRetries() {
        return config.failover().maxRetries();
    }

    double failoverThreshold() {
        return config.selection().failoverThreshold();
    }

    int standbyCount() {
        return config.failover().standbyCount();
    }

    int outboxMaxMessages() {
        return config.outbox().maxMessages();
    }

    long outboxMaxBytes() {
        return config.outbox().maxBytes();
    }

    int maxMessageBytes() {
        return config.outbox().maxMessageBytes();
    }

    LoadBalancingStrategy selectionStrategy() {
        return config.selection().strategy();
    }

    /** Whether members of a room rank relays alike (session affinity on). */
    boolean sticky() {
        return config.selection().strategy().stickySession();
    }

    // ---- derived

    /** Unacknowledged messages are written again after this. */
    Duration ackTimeout() {
        return ackTimeout;
    }

    /**
     * How long a link waiting for a resume answer is not dropped for a missed pong: two ack
     * timeouts (3.2 s by default). The answer can be one frame of megabytes, and every pong waits
     * behind it; the wait ends as soon as the answer arrives. The cost: a relay that dies between
     * the resume request and its answer is noticed this late instead of after a ping timeout.
     */
    Duration resumePatience() {
        return ackTimeout.multipliedBy(2);
    }

    /** Drops of every open link within this window mean our own network went away. */
    Duration outageWindow() {
        return outageWindow;
    }

    /** How long the preferred relay must have been an open standby before the session moves to it. */
    Duration convergeAfter() {
        return convergeAfter;
    }

    /** How long a link in use may fail to answer (ping interval plus ping timeout). */
    Duration detection() {
        return config.liveness().pingInterval().plus(config.liveness().pingTimeout());
    }

    /** How far back re-publication reaches; see {@link #republishWindowFor}. */
    Duration republishWindow() {
        return republishWindowFor(config);
    }

    /** The metrics window: ten health checks, at least 10 s. */
    static Duration windowFor(RelayConfig c) {
        Duration tenChecks = c.selection().healthCheckInterval().multipliedBy(10);
        return tenChecks.compareTo(Duration.ofSeconds(10)) < 0 ? Duration.ofSeconds(10) : tenChecks;
    }

    /** Unacknowledged messages are written again after this: four detection times, at least 1 s. */
    static Duration ackTimeoutFor(RelayConfig c) {
        Duration d = c.liveness().pingInterval().plus(c.liveness().pingTimeout()).multipliedBy(4);
        return d.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : d;
    }

    /**
     * How long the preferred relay must have been an open standby before the session moves to it:
     * the stable period, at most five health checks (5 s by default), so that the members of a room
     * meet again on one relay soon after faults, and a relay that keeps failing cannot make the
     * session flap faster than that.
     */
    static Duration convergeAfterFor(RelayConfig c) {
        Duration five = c.selection().healthCheckInterval().multipliedBy(5);
        return c.failover().stablePeriod().compareTo(five) < 0 ? c.failover().stablePeriod() : five;
    }

    /**
     * How long a message that arrived ahead of a gap in its sender's serials waits for the gap to
     * fill: long enough for both ends to converge on one relay after faults (two ack timeouts plus
     * the convergence delay), at least 10 s.
     */
    static Duration orderHoldFor(RelayConfig c) {
        Duration d = ackTimeoutFor(c).multipliedBy(2).plus(convergeAfterFor(c));
        return d.compareTo(Duration.ofSeconds(10)) < 0 ? Duration.ofSeconds(10) : d;
    }

    /**
     * How far back re-publication reaches when the session moves: messages another relay
     * acknowledged within this time are written again on the new primary. A relay forwards a
     * message when it acknowledges it, so what a failing relay may have acknowledged without
     * forwarding lies within one detection time ({@code pingInterval + pingTimeout}) of the
     * failure; one ack timeout more covers acks still in flight and clients that noticed the fault
     * at other moments (2 s by default; at most half the dedup window, so receivers still drop the
     * copies). Longer splits between clients are the standbys' and the resume's to cover.
     */
    static Duration republishWindowFor(RelayConfig c) {
        Duration d = ackTimeoutFor(c).plus(c.liveness().pingInterval()).plus(c.liveness().pingTimeout());
        Duration half = c.dedup().window().dividedBy(2);
        return d.compareTo(half) > 0 ? half : d;
    }

    /** Drops of every open link within this window mean our own network went away. */
    static Duration outageWindowFor(RelayConfig c) {
        Duration d = c.liveness().pingInterval().plus(c.liveness().pingTimeout());
        return d.compareTo(Duration.ofMillis(500)) < 0 ? Duration.ofMillis(500) : d;
    }
}
