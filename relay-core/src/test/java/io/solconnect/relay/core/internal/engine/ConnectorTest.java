package io.solconnect.relay.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.spi.CloseInfo;
import io.solconnect.relay.api.spi.ConnectionListener;
import io.solconnect.relay.api.spi.ProtocolFrame;
import io.solconnect.relay.api.spi.RelayConnection;
import io.solconnect.relay.api.spi.Transport;
import io.solconnect.relay.core.VirtualScheduler;
import io.solconnect.relay.core.internal.events.EventBus;
import io.solconnect.relay.core.internal.events.SerialLane;
import io.solconnect.relay.core.internal.protocol.Protocols;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class ConnectorTest {

    static final String A = "ws://127.0.0.1:9001/";

    final VirtualScheduler vs = new VirtualScheduler();
    final RelayConfig cfg = RelayConfig.custom().addRelay(A).build();
    final Timings timings = new Timings(cfg);
    final EngineLoop loop = new EngineLoop("loop", vs);
    final EventBus events = new EventBus(new SerialLane("events", vs::execute, 1000));
    final SessionStateMachine state = new SessionStateMachine("s", vs, events);
    final Links links = new Links();
    final RelayBook book = new RelayBook("s", timings, (c, k) -> c.stream().findFirst(), (e, m) -> 0.9, vs, loop, events,
            new Random(1), state);
    final List<CompletableFuture<Result<RelayConnection>>> pending = new ArrayList<>();
    final List<ConnectionListener> listeners = new ArrayList<>();
    final Transport transport = new Transport() {
        @Override
        public CompletionStage<Result<RelayConnection>> connect(RelayEndpoint endpoint, ConnectionListener listener) {
            CompletableFuture<Result<RelayConnection>> f = new CompletableFuture<>();
            pending.add(f);
            listeners.add(listener);
            return f;
        }

        @Override
        public void close() {
        }
    };
    final Connector connector = new Connector("s", "me", timings, transport, Protocols.create(false, cfg), vs, loop, events,
            state, links, book, new Fleets());
    final List<String> outcomes = new ArrayList<>();

    ConnectorTest() {
        book.discovered(List.of(RelayEndpoint.of(A)));
        connector.wire(new Connector.Outcomes() {
            @Override
            public List<Link> opened(Link link) {
                outcomes.add("opened " + link.role());
                return List.of();
            }

            @Override
            public void connectFailed(Link link) {
                outcomes.add("failed");
            }

            @Override
            public void frame(Link link, InFrame frame) {
                outcomes.add("frame " + ((ProtocolFrame.Ignored) frame.frame()).what());
            }

            @Override
            public void pong(Link link, Duration rtt) {
            }

            @Override
            public void closed(Link link, CloseInfo close) {
            }

            @Override
            public void dead(Link link, String reason) {
            }

            @Override
            public void exceeded(Link link, String limit, String detail) {
                outcomes.add("exceeded " + limit);
            }
        });
    }

    RelayEntry relay() {
        return book.all().iterator().next();
    }

    @Test
    void aConnectThatNeverCompletesFailsAtTheGuardAndALateConnectionIsClosed() {
        Link l = connector.connect(relay(), Link.Role.STANDBY);
        links.pendingStandby(l);
        vs.advance(timings.connectTimeout().plusMillis(999));
        assertTrue(outcomes.isEmpty());
        vs.advance(Duration.ofMillis(1));
        assertEquals(List.of("failed"), outcomes);
        assertEquals(1, relay().failures());
        assertTrue(links.pendingStandbys().isEmpty());
        Parts.Conn late = new Parts.Conn(relay().endpoint());
        pending.get(0).complete(Result.ok(late));
        vs.runUntilIdle();
        assertEquals(1, late.closes, "a connection that opens after the guard is not needed");
        assertEquals(List.of("failed"), outcomes);
    }

    @Test
    void aRelayWhoseResumeAnswerWasTooLargeIsJoinedWithoutAskingTheSameAgain() {
        connector.join("room");
        relay().resumeWasTooLarge("room", 0);
        Link l = connector.connect(relay(), Link.Role.STANDBY);
        Parts.Conn c = new Parts.Conn(relay().endpoint());
        pending.get(0).complete(Result.ok(c));
        vs.runUntilIdle();
        assertEquals(1, c.written.size(), "the join frame only: " + c.written);
        assertFalse(c.written.get(0).contains("sync_request"));
        assertFalse(l.resume().waiting(), "live messages are not held for an answer that is not coming");
        assertTrue(l.resume().unanswered().isEmpty());
        l.stopMonitor();
    }

    @Test
    void anOpenedLinkJoinsTheRoomsAndItsHeldDeliveriesGoOnWhenTheResumeIsNotAnswered() {
        connector.join("room");
        Link l = connector.connect(relay(), Link.Role.STANDBY);
        Parts.Conn c = new Parts.Conn(relay().endpoint());
        pending.get(0).complete(Result.ok(c));
        vs.runUntilIdle();
        assertEquals(List.of("opened STANDBY"), outcomes);
        assertEquals(2, c.written.size(), "a join frame and a resume request");
        assertTrue(c.written.get(1).contains("sync_request"));
        assertTrue(l.resume().waiting());
        assertEquals(java.util.Map.of("room", 0L), l.resume().unanswered(), "noted for a close with 1009");
        l.resume().hold(new InFrame(new ProtocolFrame.Ignored("live"), List.of(), Optional.empty(), false, 1));
        vs.advance(timings.ackTimeout());
        assertFalse(l.resume().waiting());
        assertEquals(List.of("opened STANDBY", "frame live"), outcomes);
        l.stopMonitor();
    }

    @Test
    void framesPastTheLinksInboundLimitAreDroppedAndTheOverflowReportedOnce() {
        Link l = connector.connect(relay(), Link.Role.STANDBY);
        pending.get(0).complete(Result.ok(new Parts.Conn(relay().endpoint())));
        vs.runUntilIdle();
        outcomes.clear();
        // the loop does not run meanwhile: everything the relay sends waits for it
        for (int i = 0; i < InboundBacklog.MAX_FRAMES + 500; i++) {
            listeners.get(0).onText("{\"type\":\"sync_status\"}");
        }
        assertEquals(InboundBacklog.MAX_FRAMES, l.backlog().frames(), "no more queued than the limit");
        assertEquals(InboundBacklog.MAX_FRAMES + 1, loop.queued(), "the frames and one overflow report");
        vs.runUntilIdle();
        assertEquals(InboundBacklog.MAX_FRAMES + 1, outcomes.size());
        assertEquals("exceeded inbound queue", outcomes.get(outcomes.size() - 1));
        assertEquals(0, l.backlog().frames(), "taken by the loop");
        listeners.get(0).onText("{\"type\":\"sync_status\"}");
        assertEquals(0, loop.queued(), "a link over its limit queues nothing more");
        l.stopMonitor();
    }

    @Test
    void aLinkAbandonedBeforeItOpensIsClosedWhenItDoes() {
        Link l = connector.connect(relay(), Link.Role.STANDBY);
        l.abandon();
        Parts.Conn c = new Parts.Conn(relay().endpoint());
        pending.get(0).complete(Result.ok(c));
        vs.runUntilIdle();
        assertEquals(1, c.closes);
        assertTrue(outcomes.isEmpty());
        assertFalse(l.open());
    }
}
