package io.solconnect.relay.core.internal.engine;

import io.solconnect.relay.api.Scheduler;
import io.solconnect.relay.api.SessionState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the session at its goal: a primary, then {@code standbyCount} standbys, on the relays the
 * room prefers. {@link #reconcile} opens what is missing (and wakes itself when a relay becomes
 * eligible again); the health check rescores the relays and moves the session when its primary
 * degrades, drains, or is not the preferred relay any more (make before break, standbys trimmed
 * once quiet). Confined to the engine loop.
 */
final class Reconciler {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

    /** Hysteresis above the failover threshold before DEGRADED returns to CONNECTED. */
    static final double RECOVERY_MARGIN = 0.05;

    private final String session;
    private final Timings timings;
    private final Scheduler scheduler;
    private final EngineLoop loop;
    private final SessionStateMachine state;
    private final Links links;
    private final RelayBook book;
    private final Connector connector;
    private final FailoverCoordinator coordinator;
    private boolean started;
    private Scheduler.Cancellable wake;
    private long wakeAt = Long.MAX_VALUE;
    /** Within a fleet, a standby must measure at most this share of the primary's RTT EWMA to take over. */
    static final double REBALANCE_RTT_RATIO = 0.5;
    /** ... and at least this many ms less, so that jitter between two fast relays moves nothing. */
    static final double REBALANCE_MIN_GAIN_MS = 5;

    /** The relay the balancer preferred to the primary at the last health check (fleets only), or null. */
    private RelayEntry rebalanceTo;
    private Scheduler.Cancellable healthTimer;

    Reconciler(String session, Timings timings, Scheduler scheduler, EngineLoop loop, SessionStateMachine state,
               Links links, RelayBook book, Connector connector, FailoverCoordinator coordinator) {
        this.session = session;
        this.timings = timings;
        this.scheduler = scheduler;
        this.loop = loop;
        this.state = state;
        this.links = links;
        this.book = book;
        this.connector = connector;
        this.coordinator = coordinator;
    }

    /** Starts the health checks; connecting starts once relays are known. */
    void start() {
        started = true;
        healthTimer = loop.schedule(timings.healthCheckInterval(), this::healthCheck);
    }

    boolean started() {
        return started;
    }

    void stop() {
        if (healthTimer != null) {
            healthTimer.cancel();
        }
        if (wake != null) {
            wake.cancel();
        }
    }

    /** Brings the session towards its goal. Idempotent; called after every change. */
    void reconcile() {
        if (!started || state.is(SessionState.CLOSED) || book.isEmpty()) {
            return;
        }
        long now = scheduler.nanoTime();
        if (links.noPrimary() && !links.standbys().isEmpty()) {
            coordinator.noteDetected(now, "no primary");
            coordinator.promoteStandby();
        }
        if (links.noPrimary()) {
            Optional<RelayEntry> pick = book.pick(now);
            if (pick.isPresent()) {
                links.connectingPrimary(connector.connect(pick.get(), Link.Role.PRIMARY));
            } else {
                if (!state.is(SessionState.CONNECTING) || book.anyFailing(now)) {
                    if (!state.is(SessionState.OFFLINE)) {
                        coordinator.noteDetected(now, "no relay reachable");
                    }
                    coordinator.goOffline("no relay reachable: all " + book.size() + " relays are backing off or ejected");
                }
                wakeAt(book.nextEligible(now));
            }
        }
        if (links.primary() != null) {
            int want = timings.standbyCount();
            // A standby connect that has not answered within a detection time no longer holds its
            // slot: a silent relay keeps it pending for the whole connect timeout, and meanwhile
            // the session would hear the room through its primary alone. Another relay is tried
            // beside it; if both open, the quiet one is retired at a health check.
            long stall = timings.detection().toNanos();
            while (links.standbys().size()
                    + links.pendingStandbys().stream().filter(l -> now - l.startedNanos() < stall).count() < want) {
                Optional<RelayEntry> pick = book.pick(now);
                if (pick.isEmpty()) {
                    wakeAt(book.nextEligible(now));
                    break;
                }
                links.pendingStandby(connector.connect(pick.get(), Link.Role.STANDBY));
                wakeAt(now + stall);
            }
        }
    }

    private void wakeAt(long nanos) {
        if (nanos == Long.MAX_VALUE || state.is(SessionState.CLOSED)) {
            return;
        }
        if (wake != null && wakeAt <= nanos && wakeAt > scheduler.nanoTime()) {
            return;
        }
        if (wake != null) {
            wake.cancel();
        }
        wakeAt = nanos;
        wake = loop.schedule(Duration.ofNanos(Math.max(0, nanos - scheduler.nanoTime())), () -> {
            wake = null;
            wakeAt = Long.MAX_VALUE;
            reconcile();
        });
    }

    /** The health check: rescoring, then whether the session should move, then the goal. */
    private void healthCheck() {
        if (state.is(SessionState.CLOSED)) {
            return;
        }
        healthTimer = loop.schedule(timings.healthCheckInterval(), this::healthCheck);
        long now = scheduler.nanoTime();
        book.rescoreAll(now);
        List<Link> toClose = new ArrayList<>();
        Link primary = links.primary();
        if (primary != null) {
            double threshold = timings.failoverThreshold();
            Link switchTo = null;
            String why = null;
            boolean home = false;
            double score = primary.relay().score();
            if (score < threshold) {
                coordinator.degraded(String.format("primary %s scores %.2f, below the failover threshold %.2f",
                        primary.id(), score, threshold));
                switchTo = links.bestStandby(s -> s.relay().score() >= threshold);
                why = String.format("quality %.2f below threshold %.2f", score, threshold);
            } else if (state.is(SessionState.DEGRADED) && score >= threshold + RECOVERY_MARGIN) {
                coordinator.recovered(String.format("primary %s recovered to %.2f", primary.id(), score));
            }
            if (switchTo == null && primary.relay().draining()) {
                switchTo = links.bestStandby(s -> true);
                why = "relay " + primary.id() + " left discovery";
            }
            List<RelayEntry> wanted = book.preferred(now, primary.relay());
            Optional<RelayEntry> preferred = wanted.stream().findFirst();
            if (switchTo == null && !state.is(SessionState.DEGRADED)
                    && preferred.isPresent() && preferred.get() != primary.relay()) {
                RelayEntry want = preferred.get();
                Link standby = links.openStandbyTo(want);
                Duration converge = timings.convergeAfter();
                if (standby != null && now - standby.openedNanos() >= converge.toNanos()) {
                    switchTo = standby;
                    home = true;
                    why = "back to preferred relay " + want.id() + " (stable for " + converge.toMillis() + " ms)";
                } else if (standby == null && !links.inUse(want)) {
                    connectExtraStandby(want);
                }
            }
            if (switchTo == null && !state.is(SessionState.DEGRADED)) {
                Link better = rebalanceWithinFleet(primary, threshold);
                if (better != null) {
                    switchTo = better;
                    home = true;
                    why = "the balancer prefers " + better.id() + " within the fleet at two checks in a row";
                }
            } else {
                rebalanceTo = null;
            }
            long last = coordinator.lastFailoverNanos();
            if (switchTo == null && !state.is(SessionState.DEGRADED)
                    && (last == Long.MIN_VALUE || now - last >= timings.stablePeriod().toNanos())) {
                // the standbys converge too, on the room's next choices (make before break), but
                // only once the session has been settled for a stable period: right after faults
                // the members' views differ, and retiring a standby then can cut off a member who
                // sits on that relay alone (the benchmark lost thousands that way)
                wanted.stream().skip(1).filter(r -> !links.inUse(r)).findFirst().ifPresent(this::connectExtraStandby);
            }
            if (links.standbys().size() > timings.standbyCount()) {
                toClose.addAll(trimStandbys(wanted));
            }
            if (switchTo != null) {
                toClose.addAll(coordinator.switchPrimary(switchTo, why, home, now));
            }
        }
        reconcile();
        for (Link l : toClose) {
            l.connection().close(1000, "switching relay");
        }
    }

    /**
     * Within a fleet (no session affinity: every relay reads one log, so a move re-publishes
     * nothing), with a balancer that ranks on measurements ({@link RelayBook#rebalances}): asks it
     * between the primary and the open standbys of the primary's fleet, and returns the standby it
     * picked at this check and the one before (two in a row) when it also measures at most
     * {@value #REBALANCE_RTT_RATIO} of the primary's RTT and {@value #REBALANCE_MIN_GAIN_MS} ms
     * less, or null. Both rules keep a balancer's random draw between relays alike from moving the
     * session back and forth. A fresh session picks its primary before it has measured any relay;
     * without this it stayed on a slow relay for good.
     */
    private Link rebalanceWithinFleet(Link primary, double threshold) {
        if (book.sticky() || !book.rebalances() || primary.fleet().isEmpty()) {
            rebalanceTo = null;
            return null;
        }
        List<Link> open = new ArrayList<>();
        open.add(primary);
        for (Link s : links.standbys()) {
            if (s.open() && s.sameFleet(primary) && s.relay().score() >= threshold) {
                open.add(s);
            }
        }
        Link pick = open.size() < 2 ? primary : book.pickLink(open, primary);
        // relays alike: a random draw between them must not move the session
        if (pick == primary || !clearlyFaster(pick.relay(), primary.relay())) {
            rebalanceTo = null;
            return null;
        }
        if (rebalanceTo == pick.relay()) {
            rebalanceTo = null;
            return pick;
        }
        rebalanceTo = pick.relay();
        return null;
    }

    private static boolean clearlyFaster(RelayEntry candidate, RelayEntry primary) {
        OptionalDouble theirs = candidate.recorder().snapshot().rttEwmaMillis();
        OptionalDouble mine = primary.recorder().snapshot().rttEwmaMillis();
        return theirs.isPresent() && mine.isPresent() && theirs.getAsDouble() <= mine.getAsDouble() * REBALANCE_RTT_RATIO
                && mine.getAsDouble() - theirs.getAsDouble() >= REBALANCE_MIN_GAIN_MS;
    }

    /**
     * Opens a link to the preferred relay beside a full set of standbys (make before break): the
     * weakest other standby is retired only once the new link is open ({@link #trimStandbys}), so a
     * preferred relay that does not answer never costs the session a link it was hearing the room
     * through. At most one such link is pending.
     */
    private void connectExtraStandby(RelayEntry want) {
        int count = timings.standbyCount();
        if (count == 0 || links.standbys().size() + links.pendingStandbys().size() < count
                || links.pendingStandbys().stream().anyMatch(Link::extra)) {
            return; // no standbys wanted, a free slot that the next fill takes, or one already on its way
        }
        Link l = connector.connect(want, Link.Role.STANDBY);
        l.markExtra();
        links.pendingStandby(l);
    }

    /**
     * Retires standbys beyond {@code standbyCount}, weakest first, but only quiet ones: a standby
     * that brought a message no other link had within the last ack timeout is how this session
     * hears a member who sits on another relay (clients notice faults at different moments), and
     * closing it would cut that member off until both converge. Such a standby stays, over the
     * count, until it goes quiet (checked at every health check). Links to the relays in
     * {@code keep} (the preferred ones) are never retired. Returns the retired links, whose
     * connections the caller closes.
     */
    List<Link> trimStandbys(Collection<RelayEntry> keep) {
        long now = scheduler.nanoTime();
        List<Link> out = links.trim(timings.standbyCount(), keep, now - timings.ackTimeout().toNanos(), now);
        for (Link l : out) {
            log.debug("retiring standby {}: {} standbys wanted", l.id(), timings.standbyCount());
        }
        return out;
    }
}
