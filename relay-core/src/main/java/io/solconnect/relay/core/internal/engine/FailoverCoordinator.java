package io.solconnect.relay.core.internal.engine;

import io.solconnect.relay.api.FailoverRecord;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.Scheduler;
import io.solconnect.relay.api.SessionState;
import io.solconnect.relay.api.spi.CloseInfo;
import io.solconnect.relay.api.spi.ConnectionRecord;
import io.solconnect.relay.api.spi.RelayConnection;
import io.solconnect.relay.core.internal.events.EventBus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session state and its failovers: the only writer of the {@link SessionStateMachine}. Reacts
 * to links that open, close, die or are switched away from; promotes a standby or goes offline;
 * makes a link the primary (replaying the outbox and re-publishing on it) and records the failover
 * with its timing. Confined to the engine loop.
 */
final class FailoverCoordinator implements Connector.Outcomes {

    private static final Logger log = LoggerFactory.getLogger(FailoverCoordinator.class);

    /** Failover records kept for the status snapshot. */
    static final int RECENT_FAILOVERS = 100;

    private final String session;
    private final Timings timings;
    private final Scheduler scheduler;
    private final EventBus events;
    private final AsyncStore store;
    private final SessionStateMachine state;
    private final Links links;
    private final RelayBook book;
    private final OutboxWriter writer;
    private final Republisher republisher;
    private final FrameRouter router;
    private final Counters counters;
    private final ArrayDeque<FailoverRecord> failovers = new ArrayDeque<>();
    private Reconciler reconciler;

    // the failover in progress: when it was detected, from where, why
    private long detectedNanos = -1;
    private String failoverFrom;
    private String failoverReason;
    /** When the session first left a relay since it was last where the room meets; -1 when there. */
    private long awaySinceNanos = -1;
    /** When the last failover (of any kind) completed; MIN_VALUE before the first. */
    private long lastFailoverNanos = Long.MIN_VALUE;
    private long offlineSinceNanos = -1;

    FailoverCoordinator(String session, Timings timings, Scheduler scheduler, EventBus events, AsyncStore store,
                        SessionStateMachine state, Links links, RelayBook book, OutboxWriter writer,
                        Republisher republisher, FrameRouter router, Counters counters) {
        this.session = session;
        this.timings = timings;
        this.scheduler = scheduler;
        this.events = events;
        this.store = store;
        this.state = state;
        this.links = links;
        this.book = book;
        this.writer = writer;
        this.republisher = republisher;
        this.router = router;
        this.counters = counters;
    }

    void wire(Reconciler r) {
        this.reconciler = r;
    }

    /** When the last failover completed; MIN_VALUE before the first. */
    long lastFailoverNanos() {
        return lastFailoverNanos;
    }

    /** The most recent failovers, oldest first. */
    List<FailoverRecord> recentFailovers() {
        return List.copyOf(failovers);
    }

    // ---- from the connector

    @Override
    public List<Link> opened(Link link) {
        List<Link> surplus = List.of();
        if (links.isConnectingPrimary(link)) {
            becomePrimary(link, false);
        } else {
            links.addStandby(link);
            if (!link.catchUpDeferred()) {
                republisher.catchUp(link);
            }
            if (link.takeExtra()) {
                List<RelayEntry> keep = new ArrayList<>(book.preferred(scheduler.nanoTime(), primaryRelay()));
                keep.add(link.relay());
                surplus = reconciler.trimStandbys(keep);
            }
        }
        reconciler.reconcile();
        return surplus;
    }

    /** A standby whose catch-up waited for its relay to say its fleet gets it now. */
    @Override
    public void resumeAnswered(Link link) {
        if (link.takeDeferredCatchUp() && link.open() && link.role() == Link.Role.STANDBY) {
            republisher.catchUp(link);
        }
    }

    @Override
    public void connectFailed(Link link) {
        reconciler.reconcile();
    }

    @Override
    public void frame(Link link, InFrame frame) {
        router.frame(link, frame);
    }

    @Override
    public void pong(Link link, Duration rtt) {
        router.pong(link, rtt);
    }

    @Override
    public void dead(Link link, String reason) {
        if (link.closed()) {
            return;
        }
        link.relay().recorder().error();
        RelayConnection c = link.connection();
        log.warn("link to {} is dead: {}", link.id(), reason);
        lost(link, reason, 1006, false);
        c.abort();
    }

    /**
     * A relay sent more than the client holds for one link ({@code limit}: the inbound queue, the
     * resume buffer): the link is counted, reported and closed with 1008 (policy violation), its
     * frames dropped. The session goes on as after any lost link, and resumes what it missed on
     * the next one.
     */
    @Override
    public void exceeded(Link link, String limit, String detail) {
        if (link.closed()) {
            return;
        }
        counters.limitExceeded();
        link.relay().recorder().error();
        log.warn("{} of {} is over its limit ({}); closing the link with 1008", limit, link.id(), detail);
        events.publish(RelayEvent.LimitExceeded.class,
                () -> new RelayEvent.LimitExceeded(scheduler.now(), link.id(), limit, detail));
        RelayConnection c = link.connection();
        String reason = limit + " over its limit";
        lost(link, reason, 1008, false);
        c.close(1008, reason);
    }

    @Override
    public void closed(Link link, CloseInfo close) {
        if (!link.everOpened()) {
            return; // the connect result decides about a link that never opened
        }
        link.stopMonitor();
        router.closed(link, close);
        // A relay may have restarted behind this close, and the original relays restart their
        // sequence numbers with the process: the next connection resumes from 0.
        link.relay().forgetSequences();
        if (link.openedAt() != null) {
            recordHistory(link, close.code(), close.reason());
            link.relay().recorder().disconnected();
            events.publish(RelayEvent.Disconnected.class,
                    () -> new RelayEvent.Disconnected(scheduler.now(), link.id(), close.code(), close.reason()));
        }
        if (link.closed()) {
            book.removeDrained();
            return; // we already acted on it (dead link, retired, stopped)
        }
        String reason = "transport closed " + close.code() + (close.reason().isEmpty() ? "" : " " + close.reason());
        if (close.kind() != CloseInfo.Kind.LOCAL) {
            link.relay().recorder().error();
        }
        lost(link, reason, close.code(), close.kind() == CloseInfo.Kind.TERMINAL);
        book.removeDrained();
    }

    /** Writes the end of an opened link to the connection history, once. */
    void recordHistory(Link link, int code, String reason) {
        if (!link.endToRecord()) {
            return;
        }
        ConnectionRecord rec = new ConnectionRecord(link.id(), link.openedAt(),
                Duration.ofNanos(Math.max(0, scheduler.nanoTime() - link.openedNanos())), code, reason);
        store.run(() -> store.store().appendHistory(rec));
    }

    /** A link failed (closed by the peer, errored, or missed its pong). */
    private void lost(Link link, String reason, int code, boolean terminal) {
        link.ended(scheduler.nanoTime());
        if (state.is(SessionState.CLOSED)) {
            return;
        }
        // Idle links are pinged seldom: re-check the others now, so that a fault they share (our
        // own network) drops them within a ping timeout, inside the local-outage window.
        for (Link other : links.open()) {
            other.traffic();
        }
        long now = scheduler.nanoTime();
        boolean outage = book.dropCompletesOutage(link.generation(), now, !links.open().isEmpty());
        if (!outage) {
            book.failed(link.relay(), reason, terminal, false);
            book.retryOthersNow(link.relay(), now);
        }
        if (link == links.primary()) {
            links.dropPrimary();
            writer.primaryChanged();
            beginFailover(link.id(), reason, now);
            if (outage) {
                goOffline(book.outageReason());
            } else {
                promoteStandby();
            }
        } else {
            links.dropStandby(link);
            if (outage && links.primary() == null) {
                goOffline(book.outageReason());
            }
        }
        if (outage) {
            book.forgiveAll();
        }
        reconciler.reconcile();
    }

    // ---- transitions

    private void beginFailover(String from, String reason, long now) {
        if (awaySinceNanos < 0) {
            awaySinceNanos = now; // members may stay on the relay we leave: see republication
        }
        noteDetected(now, reason, from);
        if (!state.is(SessionState.OFFLINE)) {
            state.move(SessionState.FAILING_OVER, reason);
        }
    }

    /** Starts timing a failover now, unless one is being timed already. */
    void noteDetected(long now, String reason) {
        noteDetected(now, reason, failoverFrom);
    }

    private void noteDetected(long now, String reason, String from) {
        if (detectedNanos < 0) {
            detectedNanos = now;
            failoverFrom = from;
            failoverReason = reason;
        }
    }

    /** Promotes the best open standby (the balancer's pick when there are several), if any. */
    void promoteStandby() {
        List<Link> open = links.standbys().stream().filter(Link::open).toList();
        if (!open.isEmpty()) {
            Link next = open.size() > 1 ? book.pickLink(open, open.get(0)) : open.get(0);
            becomePrimary(next, false);
        }
    }

    /**
     * Leaves the primary for {@code to} (quality, draining or convergence): back {@code home} to
     * the relay the room meets on, the old primary stays as a standby; otherwise it is retired.
     * Returns the links whose connections the caller closes.
     */
    List<Link> switchPrimary(Link to, String why, boolean home, long now) {
        Link old = links.primary();
        List<Link> toClose = new ArrayList<>();
        if (home) {
            // a swap: members who have not converged yet may still talk on the old primary; it
            // stays as a standby (trimmed once quiet)
            links.demotePrimary();
        } else {
            links.retire(old, now);
            links.dropPrimary();
            toClose.add(old);
        }
        writer.primaryChanged();
        beginFailover(old.id(), why, now);
        becomePrimary(to, home);
        return toClose;
    }

    /** The primary's relay scores below the failover threshold. */
    void degraded(String reason) {
        state.move(SessionState.DEGRADED, reason);
    }

    /** The primary's relay scores well above the failover threshold again. */
    void recovered(String reason) {
        state.move(SessionState.CONNECTED, reason);
    }

    /** Makes an open link the primary and replays the outbox on it. */
    private void becomePrimary(Link link, boolean home) {
        links.makePrimary(link);
        link.traffic(); // about to carry the session: an idle standby not heard from lately is re-checked now
        int replayed = writer.replayable();
        SessionState before = state.state();
        String reason = detectedNanos >= 0 ? failoverReason : "connected to " + link.id();
        state.move(SessionState.CONNECTED, before == SessionState.CONNECTING ? "connected to " + link.id()
                : "primary is now " + link.id() + " after: " + reason);
        // the new primary carries traffic from here: the switch time ends before the writes start
        long now = scheduler.nanoTime();
        Instant tookOver = scheduler.now(); // before the writes below, which can take long (replay, re-publication)
        // the outbox replay and the re-publication, merged in acceptance order (see OutboxWriter.pump)
        writer.pump(before != SessionState.CONNECTING ? republication(link, home) : List.of());
        if (before == SessionState.OFFLINE) {
            Duration off = Duration.ofNanos(now - offlineSinceNanos);
            events.publish(RelayEvent.Online.class, () -> new RelayEvent.Online(scheduler.now(), link.id(), off));
        }
        if (detectedNanos >= 0) {
            Duration took = Duration.ofNanos(now - detectedNanos);
            Optional<String> from = Optional.ofNullable(failoverFrom);
            RelayEvent.Failover ev = new RelayEvent.Failover(tookOver, from, link.id(), reason, took, replayed);
            failovers.addLast(ev.toRecord());
            while (failovers.size() > RECENT_FAILOVERS) {
                failovers.pollFirst();
            }
            counters.failover();
            lastFailoverNanos = now;
            log.info("failover {} -> {} in {} ms ({}), {} replayed", from.orElse("(none)"),
                    link.id(), took.toNanos() / 1e6, reason, replayed);
            events.publish(RelayEvent.Failover.class, () -> ev);
            detectedNanos = -1;
            failoverFrom = null;
            failoverReason = null;
        }
    }

    /**
     * What to re-publish on the new primary. Back on the relay the room meets on, members who
     * stayed there while we were away heard nothing we published elsewhere since we left it, so
     * the reach starts then (less the window); otherwise one re-publication window back.
     */
    private List<RecentlyAcked.Acked> republication(Link link, boolean home) {
        long window = timings.republishWindow().toNanos();
        long from = home && awaySinceNanos >= 0 ? awaySinceNanos - window : scheduler.nanoTime() - window;
        if (home) {
            awaySinceNanos = -1;
        }
        return republisher.republication(link, from);
    }

    /**
     * Relays claiming {@code fleet} were caught keeping separate logs: their links are treated as
     * sharing nothing from now on, and what trusting them skipped is done now: the primary gets
     * what other relays acknowledged (re-publication over everything remembered), each standby a
     * catch-up. Returns the links that were in the fleet (the caller resumes them from 0).
     */
    List<Link> fleetBroken(String fleet) {
        List<Link> members = new ArrayList<>();
        for (Link l : links.open()) {
            if (l.fleet().equals(Optional.of(fleet))) {
                l.leaveFleet();
                l.relay().fleet(null);
                members.add(l);
            }
        }
        Link p = links.primary();
        if (p != null && p.open()) {
            writer.pump(republisher.republication(p, Long.MIN_VALUE));
        }
        for (Link s : links.standbys()) {
            if (s.open()) {
                republisher.catchUp(s);
            }
        }
        return members;
    }

    /** No relay is reachable (or our network is down): OFFLINE until a primary opens. */
    void goOffline(String reason) {
        if (!state.is(SessionState.OFFLINE)) {
            offlineSinceNanos = scheduler.nanoTime();
            failoverFrom = null; // no relay is left by the recovery: its Failover has an empty 'from'
            state.move(SessionState.OFFLINE, reason);
            events.publish(RelayEvent.Offline.class, () -> new RelayEvent.Offline(scheduler.now(), reason));
        }
    }

    /** The session stops; returns whether it was running. */
    boolean stop() {
        if (state.is(SessionState.CLOSED)) {
            return false;
        }
        state.move(SessionState.CLOSED, "stopped");
        return true;
    }

    private RelayEntry primaryRelay() {
        Link p = links.primary();
        return p == null ? null : p.relay();
    }
}
