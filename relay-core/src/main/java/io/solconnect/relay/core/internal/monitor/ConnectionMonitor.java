package io.solconnect.relay.core.internal.monitor;

import io.solconnect.relay.api.Scheduler;
import java.time.Duration;
import java.util.Objects;

/**
 * Liveness of one connection. Any inbound frame or pong is proof of life. A link that received
 * nothing for {@code pingInterval} is pinged (a WebSocket control frame, through the
 * {@code ping} action); if nothing at all arrives within {@code pingTimeout} of that ping, the
 * link is declared dead through the {@code dead} action, once. Busy links are never pinged. So a
 * silent link is detected at most {@code pingInterval + pingTimeout} after its last frame, except
 * while the owner expects a large frame ({@link #patience}): a frame of megabytes (a relay's whole
 * history) holds up every pong behind it, so until then silence is not taken for death.
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
    private final Actions actions;
    private long lastInbound;
    private long pingSentAt = -1;
    private long patientUntil;
    private boolean patient;
    private Scheduler.Cancellable timer;
    private boolean stopped;

    /**
     * Creates a monitor; call {@link #start()} once the connection is open.
     *
     * @param scheduler    time and timers
     * @param pingInterval idle time before a ping, positive
     * @param pingTimeout  time a ping may stay unanswered, positive
     * @param actions      what to do
     */
    public ConnectionMonitor(Scheduler scheduler, Duration pingInterval, Duration pingTimeout, Actions actions) {
        this.scheduler = Objects.requireNonNull(scheduler);
        this.pingInterval = pingInterval;
        this.pingTimeout = pingTimeout;
        this.actions = Objects.requireNonNull(actions);
    }

    /** Starts watching. */
    public synchronized void start() {
        lastInbound = scheduler.nanoTime();
        arm(pingInterval);
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
                if (idle >= pingInterval.toNanos()) {
                    pingSentAt = now;
                    sendPing = true;
                    arm(pingTimeout);
                } else {
                    arm(Duration.ofNanos(pingInterval.toNanos() - idle));
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
