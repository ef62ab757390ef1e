package io.solconnect.relay.core.internal.monitor;

import java.time.Duration;

/**
 * When one link is due a ping, as arithmetic on the scheduler's nanosecond times (no timers, no
 * lock: its {@link ConnectionMonitor} holds both). A link is <em>active</em> while it carried
 * traffic (a message frame written on it or received from it) within the active window, and
 * <em>idle</em> after that. A liveness ping is due once the link received nothing (no frame, no
 * pong) for {@code pingInterval} while active, or for {@code idlePingInterval} while idle. So the
 * first traffic on an idle link that was not heard from within {@code pingInterval} makes a ping
 * due at once. A latency probe (a ping that is not a liveness check) is due while active when the
 * link had no RTT sample for {@code busyProbe}; an idle link's liveness pings are its samples.
 *
 * <p>Times are compared by difference, so they may wrap. Not thread-safe.
 */
final class ProbeSchedule {

    /** What {@link #latencyIn} answers when no latency probe will be due. */
    static final long NEVER = Long.MAX_VALUE;

    private final long pingInterval;
    private final long idlePingInterval;
    private final long activeWindow;
    private final long busyProbe;
    private long lastInbound;
    private long lastTraffic;
    /** The last RTT sample, or the last ping sent, whichever is later. */
    private long lastRtt;

    /**
     * @param timing the intervals; see {@link ConnectionMonitor.Timing}
     * @param now    the start, ns: the link counts as heard from, measured and active then
     */
    ProbeSchedule(ConnectionMonitor.Timing timing, long now) {
        this.pingInterval = timing.pingInterval().toNanos();
        this.idlePingInterval = timing.idlePingInterval().toNanos();
        this.activeWindow = timing.activeWindow().toNanos();
        this.busyProbe = timing.busyProbe().toNanos();
        lastInbound = now;
        lastTraffic = now;
        lastRtt = now;
    }

    /** A frame or a pong arrived. */
    void heard(long now) {
        lastInbound = now;
    }

    /** A message frame was written on the link or received from it. */
    void traffic(long now) {
        lastTraffic = now;
    }

    /** An RTT sample was taken, or a ping sent (whose pong will be one). */
    void measured(long now) {
        lastRtt = now;
    }

    /** Whether the link carried traffic within the active window. */
    boolean active(long now) {
        return now - lastTraffic < activeWindow;
    }

    /** How long the link has received nothing, ns. */
    long silentFor(long now) {
        return now - lastInbound;
    }

    /**
     * Time until a liveness ping is due, ns; zero or less when it is due now. The fast interval
     * holds while the link will still be active when it runs out; the idle one after that.
     */
    long livenessIn(long now) {
        long fast = lastInbound + pingInterval;
        long activeEnd = lastTraffic + activeWindow;
        return (fast - activeEnd < 0 ? fast : lastInbound + idlePingInterval) - now;
    }

    /** Time until a latency probe is due, ns (zero or less: now); {@link #NEVER} when the link goes idle first. */
    long latencyIn(long now) {
        long due = lastRtt + busyProbe;
        return due - (lastTraffic + activeWindow) < 0 ? due - now : NEVER;
    }
}
