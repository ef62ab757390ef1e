package io.solconnect.relay.core.internal.monitor;

import io.solconnect.relay.api.Scheduler;
import java.time.Duration;
import java.util.Objects;

/**
 * Liveness of one connection, and a floor on its latency samples. Any inbound frame or pong is
 * proof of life. A link that received nothing for {@code pingInterval} is pinged (a WebSocket
 * control frame, through the {@code ping} action); if nothing at all arrives within
 * {@code pingTimeout} of that ping, the link is declared dead through the {@code dead} action,
 * once. So a silent link is detected at most {@code pingInterval + pingTimeout} after its last
 * frame, except while the owner expects a large frame ({@link #patience}): a frame of megabytes (a
 * relay's whole history) holds up every pong behind it, so until then silence is not taken for death.
 *
 * <p>A busy link (frames keep arriving) needs no ping for liveness, but its latency must still be
 * known: the owner reports every RTT sample it takes (a pong, or the ack of a message timed on
 * this link) through {@link #rttMeasured()}, and a busy link that had no sample for
 * {@code busyProbe} is pinged once (at most one such probe per {@code busyProbe}). The probe's
 * pong is the sample; a probe left unanswered is not a liveness failure (frames still arrive).
 *
 * <p>Thread-safe: callbacks from the transport and timer tasks synchronize on this object. The
 * actions run outside the lock.
 */
public final class ConnectionMonitor {

    /** What the monitor asks its owner to do. */
    public interface Actions {
        /** Send a control-frame ping; return false when it could not be written (counts as dead). */
        boolean ping();

        /** The link missed its pong: drop it. Called at most once. */
        void dead(String reason);
    }

    private final Scheduler scheduler;
    private final Duration pingInterval;
    private final Duration pingTimeout;
    private final Duration busyProbe;
    private final Actions actions;
    private long lastInbound;
    private long pingSentAt = -1;
    private long patientUntil;
    private boolean patient;
    /** The last RTT sample, or the last busy probe sent, whichever is later. */
    private long lastRtt;
    private Scheduler.Cancellable timer;
    private boolean stopped;

    /**
     * Creates a monitor; call {@link #start()} once the connection is open.
     *
     * @param scheduler    time and timers
     * @param pingInterval idle time before a ping, positive
     * @param pingTimeout  time a ping may stay unanswered, positive
     * @param busyProbe    time a busy link may go without an RTT sample before it is pinged, positive
     * @param actions      what to do
     * @throws IllegalArgumentException when a duration is not positive
     */
    public ConnectionMonitor(Scheduler scheduler, Duration pingInterval, Duration pingTimeout, Duration busyProbe,
                             Actions actions) {
        this.scheduler = Objects.requireNonNull(scheduler);
        this.pingInterval = positive("pingInterval", pingInterval);
        this.pingTimeout = positive("pingTimeout", pingTimeout);
        this.busyProbe = positive("busyProbe", busyProbe);
        this.actions = Objects.requireNonNull(actions);
    }

    private static Duration positive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
        return d;
    }

    /** Starts watching. */
    public synchronized void start() {
        lastInbound = scheduler.nanoTime();
        lastRtt = lastInbound;
        arm(pingInterval);
    }

    /** An RTT sample of this link was taken (a pong, or an ack timed on this link): no busy probe is due. */
    public synchronized void rttMeasured() {
        lastRtt = scheduler.nanoTime();
    }

    /** Records proof of life: a frame or a pong arrived. */
    public synchronized void alive() {
        lastInbound = scheduler.nanoTime();
        pingSentAt = -1;
    }

    /**
     * A large frame is expected (the answer to a resume, which a relay may send as one frame of its
     * whole history): until {@code d} from now, or {@link #endPatience()}, a missed pong does not
     * make the link dead. The pong timeout counts again after that.
     *
     * @param d how long to wait at most, positive
     */
    public synchronized void patience(Duration d) {
        patient = true;
        patientUntil = scheduler.nanoTime() + d.toNanos();
    }

    /** The large frame arrived: a missed pong counts again. */
    public synchronized void endPatience() {
        patient = false;
    }

    /** Stops all timers; no action runs after this returns. Idempotent. */
    public synchronized void stop() {
        stopped = true;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    /** Whether a ping is outstanding. */
    public synchronized boolean awaitingPong() {
        return pingSentAt >= 0;
    }

    private void arm(Duration delay) {
        if (!stopped) {
            timer = scheduler.schedule(delay, this::tick);
        }
    }

    private void tick() {
        boolean sendPing = false;
        String deadReason = null;
        synchronized (this) {
            if (stopped) {
                return;
            }
            long now = scheduler.nanoTime();
            if (pingSentAt >= 0) {
                long waited = now - pingSentAt;
                if (waited >= pingTimeout.toNanos() && patient && now - patientUntil < 0) {
                    // a large frame may be on its way: look again (a frame resets the ping) until the patience ends
                    arm(Duration.ofNanos(Math.min(pingTimeout.toNanos(), patientUntil - now)));
                } else if (waited >= pingTimeout.toNanos()) {
                    deadReason = "missed pong: nothing received for " + Duration.ofNanos(now - lastInbound).toMillis() + " ms";
                    stopped = true;
                } else {
                    arm(Duration.ofNanos(pingTimeout.toNanos() - waited));
                }
            } else {
                long idle = now - lastInbound;
                long unmeasured = now - lastRtt;
                if (idle >= pingInterval.toNanos()) {
                    pingSentAt = now;
                    lastRtt = now;
                    sendPing = true;
                    arm(pingTimeout);
                } else if (unmeasured >= busyProbe.toNanos()) {
                    // a latency probe, not a liveness check: pingSentAt stays clear, so no timeout
                    lastRtt = now;
                    sendPing = true;
                    arm(Duration.ofNanos(Math.min(pingInterval.toNanos() - idle, busyProbe.toNanos())));
                } else {
                    arm(Duration.ofNanos(Math.min(pingInterval.toNanos() - idle, busyProbe.toNanos() - unmeasured)));
                }
            }
        }
        if (deadReason != null) {
            actions.dead(deadReason);
        } else if (sendPing && !actions.ping()) {
            synchronized (this) {
                if (stopped) {
                    return;
                }
                stopped = true;
                if (timer != null) {
                    timer.cancel();
                }
            }
            actions.dead("ping could not be written");
        }
    }
}
