package io.solconnect.relay.core.internal.monitor;

import io.solconnect.relay.api.Scheduler;
import java.time.Duration;
import java.util.Objects;

/**
 * Liveness of one connection, and a floor on its latency samples. Any inbound frame or pong is
 * proof of life. A link that received nothing for a while is pinged (a WebSocket control frame,
 * through the {@code ping} action); if nothing at all arrives within {@code pingTimeout} of that
 * ping, the link is declared dead through the {@code dead} action, once. How long "a while" is
 * depends on use ({@link ProbeSchedule}): {@code pingInterval} while the link carries traffic or
 * did within the active window, {@code idlePingInterval} once it is idle. So a silent link in use
 * is detected at most {@code pingInterval + pingTimeout} after its last frame, an idle one at most
 * {@code idlePingInterval + pingTimeout} after it, and the first {@link #traffic()} on an idle
 * link not heard from within {@code pingInterval} pings it at once: it is dropped within
 * {@code pingTimeout} of that use if it stays silent. While the owner expects a large frame
 * ({@link #patience}), a missed pong is not death: a frame of megabytes (a relay's whole history)
 * holds up every pong behind it.
 *
 * <p>An active link whose frames keep arriving needs no ping for liveness, but its latency must
 * still be known: the owner reports every RTT sample it takes (a pong, or the ack of a message
 * timed on this link) through {@link #rttMeasured()}, and an active link that had no sample for
 * {@code busyProbe} is pinged once (at most one such probe per {@code busyProbe}). The probe's
 * pong is the sample; a probe left unanswered is not a liveness failure (frames still arrive).
 *
 * <p>One timer per link, armed for the next thing due: an idle link wakes once per
 * {@code idlePingInterval}. Thread-safe: callbacks from the transport, the owner's calls and timer
 * tasks synchronize on this object. The actions run outside the lock, on the scheduler's thread.
 */
public final class ConnectionMonitor {

    /** What the monitor asks its owner to do. */
    public interface Actions {
        /** Send a control-frame ping; return false when it could not be written (counts as dead). */
        boolean ping();

        /** The link missed its pong: drop it. Called at most once. */
        void dead(String reason);
    }

    /**
     * The intervals of one monitor, all positive.
     *
     * @param pingInterval     silence after which an active link is pinged
     * @param idlePingInterval silence after which an idle link is pinged; at least {@code pingInterval}
     * @param activeWindow     how long a link stays active after its last traffic
     * @param pingTimeout      time a ping may stay unanswered
     * @param busyProbe        time an active link may go without an RTT sample before it is pinged
     */
    public record Timing(Duration pingInterval, Duration idlePingInterval, Duration activeWindow,
                         Duration pingTimeout, Duration busyProbe) {

        /**
         * Checks the intervals.
         *
         * @throws IllegalArgumentException when one is not positive, or {@code idlePingInterval}
         *                                  is shorter than {@code pingInterval}
         */
        public Timing {
            positive("pingInterval", pingInterval);
            positive("idlePingInterval", idlePingInterval);
            positive("activeWindow", activeWindow);
            positive("pingTimeout", pingTimeout);
            positive("busyProbe", busyProbe);
            if (idlePingInterval.compareTo(pingInterval) < 0) {
                throw new IllegalArgumentException("idlePingInterval " + idlePingInterval
                        + " is shorter than pingInterval " + pingInterval);
            }
        }

        private static void positive(String name, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
        }
    }

    private final Scheduler scheduler;
    private final Timing timing;
    private final Actions actions;
    /** Null until started. */
    private ProbeSchedule schedule;
    private long pingSentAt = -1;
    private long patientUntil;
    private boolean patient;
    private Scheduler.Cancellable timer;
    /** When the armed timer fires, ns. */
    private long timerAt;
    /** Counts timers armed: a timer that fires after another replaced it does nothing. */
    private long armed;
    private boolean stopped;

    /**
     * Creates a monitor; call {@link #start()} once the connection is open.
     *
     * @param scheduler time and timers
     * @param timing    the intervals
     * @param actions   what to do
     */
    public ConnectionMonitor(Scheduler scheduler, Timing timing, Actions actions) {
        this.scheduler = Objects.requireNonNull(scheduler);
        this.timing = Objects.requireNonNull(timing);
        this.actions = Objects.requireNonNull(actions);
    }

    /** Starts watching; the link counts as active (it is being set up). */
    public synchronized void start() {
        schedule = new ProbeSchedule(timing, scheduler.nanoTime());
        arm(timing.pingInterval().toNanos());
    }

    /** An RTT sample of this link was taken (a pong, or an ack timed on this link): no busy probe is due. */
    public synchronized void rttMeasured() {
        if (schedule != null) {
            schedule.measured(scheduler.nanoTime());
        }
    }

    /** Records proof of life: a frame or a pong arrived. */
    public synchronized void alive() {
        if (schedule != null) {
            schedule.heard(scheduler.nanoTime());
        }
        pingSentAt = -1;
    }

    /**
     * The link carries traffic: a message frame was written on it or received from it, or it is
     * about to carry the session's messages (it became the primary). It is active for the active
     * window from now; if it was not heard from within {@code pingInterval}, it is pinged at once
     * (unless a ping is outstanding already). Cheap when the link is active already: the timer is
     * moved only when this makes something due earlier.
     */
    public synchronized void traffic() {
        if (schedule == null || stopped) {
            return;
        }
        long now = scheduler.nanoTime();
        schedule.traffic(now);
        if (pingSentAt >= 0) {
            return; // the timer watches the outstanding ping
        }
        long due = Math.max(0, Math.min(schedule.livenessIn(now), schedule.latencyIn(now)));
        if (due < timerAt - now) {
            timer.cancel();
            arm(due);
        }
    }

    /** Whether the link carried traffic within the active window. */
    public synchronized boolean active() {
        return schedule != null && schedule.active(scheduler.nanoTime());
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

    private void arm(long delayNanos) {
        if (!stopped) {
            long id = ++armed;
            timerAt = scheduler.nanoTime() + delayNanos;
            timer = scheduler.schedule(Duration.ofNanos(delayNanos), () -> tick(id));
        }
    }

    private void tick(long id) {
        boolean sendPing = false;
        String deadReason = null;
        synchronized (this) {
            if (stopped || id != armed) {
                return; // stopped, or replaced by an earlier timer (traffic) while this one fired
            }
            long now = scheduler.nanoTime();
            long timeout = timing.pingTimeout().toNanos();
            if (pingSentAt >= 0) {
                long waited = now - pingSentAt;
                if (waited >= timeout && patient && now - patientUntil < 0) {
                    // a large frame may be on its way: look again (a frame resets the ping) until the patience ends
                    arm(Math.min(timeout, patientUntil - now));
                } else if (waited >= timeout) {
                    deadReason = "missed pong: nothing received for " + schedule.silentFor(now) / 1_000_000 + " ms";
                    stopped = true;
                } else {
                    arm(timeout - waited);
                }
            } else if (schedule.livenessIn(now) <= 0) {
                pingSentAt = now;
                schedule.measured(now);
                sendPing = true;
                arm(timeout);
            } else {
                if (schedule.latencyIn(now) <= 0) {
                    // a latency probe, not a liveness check: pingSentAt stays clear, so no timeout
                    schedule.measured(now);
                    sendPing = true;
                }
                arm(Math.min(schedule.livenessIn(now), schedule.latencyIn(now)));
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
