package io.solconnect.relay.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solconnect.relay.api.ClientStatus;
import io.solconnect.relay.api.InboundMessage;
import io.solconnect.relay.api.OutboundMessage;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.RelayRole;
import io.solconnect.relay.api.RelayStatus;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.SessionState;
import io.solconnect.relay.api.spi.ConnectionListener;
import io.solconnect.relay.api.spi.ProtocolFrame;
import io.solconnect.relay.api.spi.RelayConnection;
import io.solconnect.relay.api.spi.Transport;
import io.solconnect.relay.core.VirtualScheduler;
import io.solconnect.relay.core.internal.events.EventBus;
import io.solconnect.relay.core.internal.events.SerialLane;
import io.solconnect.relay.core.internal.protocol.Protocols;
import io.solconnect.relay.core.sim.MemStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The status snapshot built from real parts: primary on A, an open standby on B, three more relays. */
class StatusViewTest {

    static final String A = "ws://127.0.0.1:9001/";
    static final String B = "ws://127.0.0.1:9002/";
    static final String C = "ws://127.0.0.1:9003/";
    static final String D = "ws://127.0.0.1:9004/";
    static final String E = "ws://127.0.0.1:9005/";

    final VirtualScheduler vs = new VirtualScheduler();
    final RelayConfig cfg = RelayConfig.custom().addRelay(A).ejectionTime(Duration.ofSeconds(5)).build();
    final Timings timings = new Timings(cfg);
    final EngineLoop loop = new EngineLoop("loop", vs);
    final EventBus events = new EventBus(new SerialLane("events", vs::execute, 1000));
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
    final StatusView view = new StatusView(vs, state, links, book, writer, coordinator, inbound, counters);
    final Link primary;
    final Link standby;

    StatusViewTest() {
        coordinator.wire(reconciler); // not started: it opens nothing by itself here
        connector.wire(coordinator);
        book.wire(links::inUse, () -> "", reconciler::reconcile);
        book.discovered(List.of(RelayEndpoint.of(A), RelayEndpoint.of(B), RelayEndpoint.of(C), RelayEndpoint.of(D),
                RelayEndpoint.of(E)));
        primary = Parts.openLink(vs, links.nextGeneration(), entry(A), Link.Role.PRIMARY);
        links.connectingPrimary(primary);
        coordinator.opened(primary);
        standby = Parts.openLink(vs, links.nextGeneration(), entry(B), Link.Role.STANDBY);
        coordinator.opened(standby);
    }

    RelayEntry entry(String id) {
        return book.all().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }

    static Map<String, RelayStatus> byId(ClientStatus s) {
        return s.relays().stream().collect(Collectors.toMap(r -> r.endpoint().id(), r -> r));
    }

    @Test
    void eachRelayShowsTheRoleItHasNow() {
        book.failed(entry(C), "terminal", true, false);
        book.discovered(List.of(RelayEndpoint.of(A), RelayEndpoint.of(B), RelayEndpoint.of(C), RelayEndpoint.of(E)));
        links.pendingStandby(new Link(links.nextGeneration(), entry(E), Link.Role.STANDBY, vs.nanoTime()));
        ClientStatus s = view.snapshot();
        Map<String, RelayStatus> r = byId(s);
        assertEquals(List.of(A, B, C, D, E), s.relays().stream().map(x -> x.endpoint().id()).toList(), "in the book's order");
        assertEquals(RelayRole.PRIMARY, r.get(A).role());
        assertEquals(RelayRole.STANDBY, r.get(B).role());
        assertEquals(RelayRole.EJECTED, r.get(C).role());
        assertEquals(RelayRole.DRAINING, r.get(D).role());
        assertEquals(RelayRole.CANDIDATE, r.get(E).role(), "a connect still pending is no standby yet");
        assertEquals(List.of(true, true, false, false, false),
                s.relays().stream().map(RelayStatus::connected).toList());
        assertEquals(Optional.of(A), s.primary());
        assertEquals(List.of(B), s.standby());
        assertEquals(SessionState.CONNECTED, s.state());
        assertEquals(vs.now(), s.at());
        assertEquals(0.9, r.get(A).score());
    }

    @Test
    void aStandbyWhoseLinkIsNoLongerOpenIsNeitherShownNorListedAsStandby() {
        standby.markClosed();
        ClientStatus s = view.snapshot();
        assertEquals(RelayRole.CANDIDATE, byId(s).get(B).role());
        assertEquals(false, byId(s).get(B).connected());
        assertEquals(List.of(), s.standby());
    }

    @Test
    void anEjectedRelayShowsTheWallTimeItsEjectionEnds() {
        Instant ejectedAt = vs.now();
        book.failed(entry(C), "terminal", true, false);
        Instant until = ejectedAt.plus(timings.ejectionTime());
        assertEquals(Optional.of(until), byId(view.snapshot()).get(C).ejectedUntil());
        vs.advance(Duration.ofSeconds(2));
        assertEquals(Optional.of(until), byId(view.snapshot()).get(C).ejectedUntil(), "the same instant later on");
        assertEquals(Optional.empty(), byId(view.snapshot()).get(D).ejectedUntil());
        vs.advance(Duration.ofSeconds(3));
        RelayStatus c = byId(view.snapshot()).get(C);
        assertEquals(Optional.empty(), c.ejectedUntil(), "over");
        assertEquals(RelayRole.CANDIDATE, c.role());
    }

    @Test
    void theOutboxAndEveryCounterComeFromTheirOwners() {
        for (String p : List.of("one", "two", "three")) {
            OutboundMessage m = writer.admit("room", p, p.length()).orElseThrow();
            writer.encode(writer.accept(m, p.length(), new CompletableFuture<>()));
        }
        writer.pump();
        writer.acknowledge(outbox.snapshot().get(0).id(), primary, true);
        InboundMessage in = new InboundMessage(A, "room", "other", "hi", Optional.of("m1"), Optional.empty(), vs.now(),
                OptionalLong.empty());
        inbound.accept(new ProtocolFrame.Deliver(List.of(in)), List.of(), entry(A));
        inbound.accept(new ProtocolFrame.Deliver(List.of(in)), List.of(), entry(B));
        inbound.accept(new ProtocolFrame.Deliver(List.of(in)), List.of(), entry(B));
        repeat(4, counters::failed);
        repeat(5, counters::malformed);
        repeat(6, counters::failover);
        repeat(7, counters::resendAsked);
        counters.resent(8);
        ClientStatus s = view.snapshot();
        assertEquals(2, s.outboxDepth());
        assertEquals(writer.bytes(), s.outboxBytes());
        assertTrue(s.outboxBytes() > 0);
        assertEquals(new ClientStatus.Counters(3, 1, 4, 1, 2, 5, 6, 7, 8, 0), s.counters());
        assertEquals(List.of(), s.recentFailovers());
        coordinator.dead(primary, "missed pong");
        ClientStatus after = view.snapshot();
        assertEquals(Optional.of(B), after.primary());
        assertEquals(1, after.recentFailovers().size());
        assertEquals(coordinator.recentFailovers(), after.recentFailovers());
        assertEquals(7, after.counters().failovers());
    }

    static void repeat(int n, Runnable r) {
        for (int i = 0; i < n; i++) {
            r.run();
        }
    }
}
