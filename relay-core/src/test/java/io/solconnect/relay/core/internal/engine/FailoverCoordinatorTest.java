package io.solconnect.relay.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solconnect.relay.api.FailoverRecord;
import io.solconnect.relay.api.OutboundMessage;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.SessionState;
import io.solconnect.relay.api.spi.CloseInfo;
import io.solconnect.relay.api.spi.ConnectionListener;
import io.solconnect.relay.api.spi.RelayConnection;
import io.solconnect.relay.api.spi.Transport;
import io.solconnect.relay.core.VirtualScheduler;
import io.solconnect.relay.core.internal.events.EventBus;
import io.solconnect.relay.core.internal.events.SerialLane;
import io.solconnect.relay.core.internal.protocol.Protocols;
import io.solconnect.relay.core.sim.MemStore;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The coordinator wired to real parts, with a transport whose connects never complete. */
class FailoverCoordinatorTest {

    static final String A = "ws://127.0.0.1:9001/";
    static final String B = "ws://127.0.0.1:9002/";
    static final String C = "ws://127.0.0.1:9003/";

    final VirtualScheduler vs = new VirtualScheduler();
    final RelayConfig cfg = RelayConfig.custom().addRelay(A).build();
    final Timings timings = new Timings(cfg);
    final EngineLoop loop = new EngineLoop("loop", vs);
    final EventBus events = new EventBus(new SerialLane("events", vs::execute, 1000));
    final List<RelayEvent> seen = new CopyOnWriteArrayList<>();
    final SessionStateMachine state = new SessionStateMachine("s", vs, events);
    final Links links = new Links();
    final RelayBook book = new RelayBook("s", timings, (c, k) -> c.stream().findFirst(), (e, m) -> 0.9, vs, loop, events,
            new Random(1), state);
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
    final Transport silent = new Transport() {
        @Override
        public CompletionStage<Result<RelayConnection>> connect(RelayEndpoint endpoint, ConnectionListener listener) {
            return new CompletableFuture<>();
        }

        @Override
        public void close() {
        }
    };
    final Connector connector = new Connector("s", "me", timings, silent, Protocols.create(false, cfg), vs, loop, events,
            state, links, book, new Fleets());
    final FailoverCoordinator coordinator = new FailoverCoordinator("s", timings, vs, events, store, state, links, book,
            writer, republisher, router, counters);
    final Reconciler reconciler = new Reconciler("s", timings, vs, loop, state, links, book, connector, coordinator);
    final Link primary;
    final Link standby;

    FailoverCoordinatorTest() {
        coordinator.wire(reconciler);
        connector.wire(coordinator);
        book.wire(links::inUse, () -> "", reconciler::reconcile);
        events.subscribe(RelayEvent.class, seen::add);
        book.discovered(List.of(RelayEndpoint.of(A), RelayEndpoint.of(B), RelayEndpoint.of(C)));
        reconciler.start();
        primary = Parts.openLink(vs, links.nextGeneration(), entry(A), Link.Role.PRIMARY);
        links.connectingPrimary(primary);
        coordinator.opened(primary);
        standby = Parts.openLink(vs, links.nextGeneration(), entry(B), Link.Role.STANDBY);
        links.pendingStandbys().clear(); // the reconciler's own standby connect never completes
        coordinator.opened(standby);
    }

    RelayEntry entry(String id) {
        return book.all().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }

    void send(String payload) {
        OutboundMessage m = writer.admit("room", payload, payload.length()).orElseThrow();
        writer.encode(writer.accept(m, payload.length(), new CompletableFuture<>()));
        writer.pump();
    }

    @Test
    void aPrimaryOverItsInboundLimitIsClosedWith1008CountedReportedAndFailedOver() {
        coordinator.exceeded(primary, "inbound queue", "10001 frames");
        assertEquals(1008, Parts.conn(primary).lastCloseCode);
        assertFalse(primary.open());
        assertSame(standby, links.primary(), "the session goes on on the standby");
        assertEquals(1, counters.limitsExceededCount());
        vs.runUntilIdle();
        assertTrue(seen.stream().anyMatch(e -> e instanceof RelayEvent.LimitExceeded l && l.relay().equals(A)
                && l.limit().equals("inbound queue")));
        coordinator.exceeded(primary, "inbound queue", "again");
        assertEquals(1, counters.limitsExceededCount(), "a closed link is not closed twice");
    }

    @Test
    void losingThePrimaryPromotesTheStandbyAndReplaysWhatIsUnacknowledged() {
        assertSame(primary, links.primary());
        send("m0");
        assertEquals(1, Parts.conn(standby).written.size(), "a copy on the warm standby");
        vs.advance(Duration.ofMillis(10));
        coordinator.closed(primary, CloseInfo.fromPeer(1006, "gone"));
        assertSame(standby, links.primary());
        assertEquals(SessionState.CONNECTED, state.state());
        assertEquals(2, Parts.conn(standby).written.size(), "unacknowledged: written again on the new primary");
        FailoverRecord f = coordinator.recentFailovers().get(0);
        assertEquals(A, f.from().orElseThrow());
        assertEquals(B, f.to());
        assertEquals(1, f.replayed());
        assertEquals(1, counters.failoverCount());
        assertEquals(1, entry(A).failures(), "a lost link counts against its relay");
        vs.runUntilIdle();
        assertTrue(seen.stream().anyMatch(e -> e instanceof RelayEvent.StateChanged s && s.to() == SessionState.FAILING_OVER));
    }

    @Test
    void everyOpenLinkDroppingAtOnceIsOurOutageNotTheRelays() {
        coordinator.closed(standby, CloseInfo.fromPeer(1006, "gone"));
        coordinator.closed(primary, CloseInfo.fromPeer(1006, "gone"));
        assertEquals(SessionState.OFFLINE, state.state());
        assertEquals(0, entry(A).failures());
        assertEquals(0, entry(B).failures(), "forgiven: the fault is probably ours");
    }

    @Test
    void aDeadLinkIsAbortedAndFailedOver() {
        coordinator.dead(primary, "missed pong");
        assertSame(standby, links.primary());
        assertTrue(!primary.open());
        coordinator.dead(primary, "again");
        assertEquals(1, counters.failoverCount(), "a link is lost once");
        assertEquals(1, entry(A).failures(), "and counted against its relay once");
    }
}
