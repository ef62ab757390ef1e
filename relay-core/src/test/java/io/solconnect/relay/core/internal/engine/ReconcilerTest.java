package io.solconnect.relay.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.SessionState;
import io.solconnect.relay.api.spi.ConnectionListener;
import io.solconnect.relay.api.spi.RelayConnection;
import io.solconnect.relay.api.spi.Transport;
import io.solconnect.relay.core.VirtualScheduler;
import io.solconnect.relay.core.internal.events.EventBus;
import io.solconnect.relay.core.internal.events.SerialLane;
import io.solconnect.relay.core.internal.protocol.Protocols;
import io.solconnect.relay.core.sim.MemStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * The reconciler wired to real parts, with a transport whose connects complete only when the test
 * says so, a health scorer the test sets per relay, and link monitors stopped (nobody answers
 * pings here). Default settings otherwise: one standby, failover threshold 0.3, sticky ranking.
 */
class ReconcilerTest {

    static final String A = "ws://127.0.0.1:9001/";
    static final String B = "ws://127.0.0.1:9002/";
    static final String C = "ws://127.0.0.1:9003/";

    final VirtualScheduler vs = new VirtualScheduler();
    final RelayConfig cfg = RelayConfig.custom().addRelay(A).pingInterval(Duration.ofMillis(200))
            .pingTimeout(Duration.ofMillis(200)).healthCheckInterval(Duration.ofSeconds(1)).build();
    final Timings timings = new Timings(cfg);
    final EngineLoop loop = new EngineLoop("loop", vs);
    final EventBus events = new EventBus(new SerialLane("events", vs::execute, 1000));
    final SessionStateMachine state = new SessionStateMachine("s", vs, events);
    final Links links = new Links();
    final Map<String, Double> scores = new HashMap<>();
    final RelayBook book = new RelayBook("s", timings, (c, k) -> c.stream().findFirst(),
            (e, m) -> scores.getOrDefault(e.id(), 0.9), vs, loop, events, new Random(1), state);
    final Outbox outbox = new Outbox(100, 100_000);
    final RecentlyAcked acked = new RecentlyAcked();
    final Counters counters = new Counters();
    final SerialLane app = new SerialLane("app", vs::execute, 1000);
    final AsyncStore store = new AsyncStore(new MemStore(), vs::execute, "s");
    final Pacer pacer = new Pacer("s", loop, true);
    final Republisher republisher = new Republisher("s", "me", "me/s", timings, vs, links, outbox, acked, pacer, counters,
            null);
    final Inbound inbound = new Inbound(loop, vs, app, new Dedup(Duration.ofMinutes(1), 1000, vs),
            new SenderOrder(Duration.ofSeconds(10).toNanos()), Duration.ofSeconds(1), "s", republisher);
    final OutboxWriter writer = new OutboxWriter("s", "me", "me/s", timings, Protocols.create(false, cfg), vs, loop, events,
            app, store, state, links, outbox, acked, counters, new Random(1));
    final FrameRouter router = new FrameRouter("s", vs, events, state, inbound, writer, pacer, republisher, counters, new Fleets());
    /** The relays connected to, in order, and the connects waiting for the test. */
    final List<String> connects = new ArrayList<>();
    final List<CompletableFuture<Result<RelayConnection>>> pending = new ArrayList<>();
    final List<Parts.Conn> conns = new ArrayList<>();
    final Transport transport = new Transport() {
        @Override
        public CompletionStage<Result<RelayConnection>> connect(RelayEndpoint endpoint, ConnectionListener listener) {
            connects.add(endpoint.id());
            CompletableFuture<Result<RelayConnection>> f = new CompletableFuture<>();
            pending.add(f);
            return f;
        }

        @Override
        public void close() {
        }
    };
    final Connector connector = new Connector("s", "me", timings, transport, Protocols.create(false, cfg), vs, loop, events,
            state, links, book, new Fleets());
    final FailoverCoordinator coordinator = new FailoverCoordinator("s", timings, vs, events, store, state, links, book,
            writer, republisher, router, counters);
    final Reconciler reconciler = new Reconciler("s", timings, vs, loop, state, links, book, connector, coordinator);

    ReconcilerTest() {
        coordinator.wire(reconciler);
        connector.wire(coordinator);
        book.wire(links::inUse, () -> "", reconciler::reconcile);
        book.discovered(List.of(RelayEndpoint.of(A), RelayEndpoint.of(B), RelayEndpoint.of(C)));
    }

    RelayEntry entry(String id) {
        return book.all().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }

    /** Completes the {@code i}-th connect with a connection and stops the monitors (no pongs here). */
    Parts.Conn open(int i) {
        Parts.Conn c = new Parts.Conn(RelayEndpoint.of(connects.get(i)));
        conns.add(c);
        pending.get(i).complete(Result.ok(c));
        vs.runUntilIdle();
        links.open().forEach(Link::stopMonitor);
        return c;
    }

    String primary() {
        return links.primary() == null ? "none" : links.primary().id();
    }

    List<String> standbys() {
        return links.standbys().stream().map(Link::id).toList();
    }

    /** Started, with the primary open on A and the standby open on B. */
    void connectedToAAndB() {
        reconciler.start();
        reconciler.reconcile();
        open(0);
        open(1);
        assertEquals(A, primary());
        assertEquals(List.of(B), standbys());
    }

    @Test
    void opensThePrimaryFirstThenItsStandbyAndNothingMore() {
        reconciler.reconcile();
        assertTrue(connects.isEmpty(), "nothing happens before start");
        reconciler.start();
        reconciler.reconcile();
        reconciler.reconcile();
        assertEquals(List.of(A), connects, "one primary connect, however often it is called");
        open(0);
        assertEquals(A, primary());
        assertEquals(List.of(A, B), connects, "the primary's opening brings the standby connect");
        reconciler.reconcile();
        assertEquals(List.of(A, B), connects, "a pending standby holds its slot");
        open(1);
        assertEquals(List.of(B), standbys());
        assertEquals(SessionState.CONNECTED, state.state());
    }

    @Test
    void aStandbyConnectThatStallsForADetectionTimeNoLongerHoldsItsSlot() {
        reconciler.start();
        reconciler.reconcile();
        open(0);
        assertEquals(List.of(A, B), connects);
        vs.advance(timings.detection().minusMillis(1));
        assertEquals(List.of(A, B), connects);
        vs.advance(Duration.ofMillis(1));
        assertEquals(List.of(A, B, C), connects, "the reconciler woke itself and tried another relay beside the silent one");
        open(2);
        assertEquals(List.of(C), standbys());
    }

    @Test
    void withEveryRelayBackingOffTheSessionGoesOfflineAndWakesWhenOneIsEligible() {
        reconciler.start();
        for (String r : List.of(A, B, C)) {
            book.failed(entry(r), "refused", false, true);
        }
        reconciler.reconcile();
        assertTrue(connects.isEmpty());
        assertEquals(SessionState.OFFLINE, state.state());
        vs.advance(timings.backoffInitial());
        assertEquals(1, connects.size(), "woken when the first backoff ended, before any health check");
        open(0);
        assertEquals(SessionState.CONNECTED, state.state());
    }

    @Test
    void aPrimaryScoringBelowTheThresholdFailsOverToAHealthyStandbyAtTheHealthCheck() {
        connectedToAAndB();
        scores.put(A, 0.1);
        vs.advance(timings.healthCheckInterval().minusMillis(1));
        assertEquals(A, primary(), "no check yet");
        vs.advance(Duration.ofMillis(1));
        assertEquals(B, primary());
        assertEquals(1, conns.get(0).closes, "the old primary is closed");
        assertEquals(1, counters.failoverCount());
        assertEquals(A, coordinator.recentFailovers().get(0).from().orElseThrow());
        assertEquals(SessionState.CONNECTED, state.state());
    }

    @Test
    void withNoHealthyStandbyTheSessionStaysDegradedUntilThePrimaryRecoversWellAboveTheThreshold() {
        connectedToAAndB();
        scores.put(A, 0.1);
        scores.put(B, 0.1);
        vs.advance(timings.healthCheckInterval());
        assertEquals(A, primary(), "no standby good enough to move to");
        assertEquals(SessionState.DEGRADED, state.state());
        scores.put(A, timings.failoverThreshold() + Reconciler.RECOVERY_MARGIN / 2);
        vs.advance(timings.healthCheckInterval());
        assertEquals(SessionState.DEGRADED, state.state(), "just above the threshold is not recovered yet");
        scores.put(A, timings.failoverThreshold() + Reconciler.RECOVERY_MARGIN);
        vs.advance(timings.healthCheckInterval());
        assertEquals(SessionState.CONNECTED, state.state());
        assertEquals(A, primary());
        assertEquals(0, counters.failoverCount());
    }

    @Test
    void aPrimaryWhoseRelayLeftDiscoveryMovesToTheStandby() {
        connectedToAAndB();
        book.discovered(List.of(RelayEndpoint.of(B), RelayEndpoint.of(C)));
        vs.advance(timings.healthCheckInterval());
        assertEquals(B, primary());
        assertEquals(1, conns.get(0).closes);
        assertTrue(coordinator.recentFailovers().get(0).reason().contains("left discovery"));
    }

    @Test
    void theSessionGoesBackToThePreferredRelayMakeBeforeBreak() {
        book.failed(entry(A), "refused", false, true); // A is backing off: the session starts on B
        reconciler.start();
        reconciler.reconcile();
        open(0);
        open(1);
        assertEquals(B, primary());
        assertEquals(List.of(C), standbys());
        vs.advance(timings.healthCheckInterval());
        assertEquals(List.of(B, C, A), connects, "a link to the preferred relay beside the full set of standbys");
        assertEquals(B, primary(), "nothing is left before it opens");
        open(2);
        assertEquals(List.of(A), standbys(), "the quiet standby the room does not prefer is retired once A is open");
        assertEquals(1, conns.get(1).closes);
        vs.advance(timings.convergeAfter().minus(timings.healthCheckInterval()));
        assertEquals(B, primary(), "A has not been open for the convergence delay yet");
        vs.advance(timings.healthCheckInterval());
        assertEquals(A, primary());
        assertEquals(List.of(B), standbys(), "back home, the old primary stays as a standby");
        assertEquals(0, conns.get(0).closes);
        assertTrue(coordinator.recentFailovers().get(0).reason().contains("back to preferred relay"));
    }

    @Test
    void stopEndsTheHealthChecks() {
        connectedToAAndB();
        reconciler.stop();
        scores.put(A, 0.1);
        vs.advance(timings.healthCheckInterval().multipliedBy(3));
        assertEquals(A, primary());
        assertEquals(0.9, entry(A).score(), "not even rescored");
        assertFalse(state.is(SessionState.DEGRADED));
    }
}
