package io.solconnect.relay.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solconnect.relay.api.Delivery;
import io.solconnect.relay.api.InboundMessage;
import io.solconnect.relay.api.OutboundMessage;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.SessionState;
import io.solconnect.relay.api.spi.ProtocolFrame;
import io.solconnect.relay.api.spi.SequencedProtocol;
import io.solconnect.relay.core.VirtualScheduler;
import io.solconnect.relay.core.internal.events.EventBus;
import io.solconnect.relay.core.internal.events.SerialLane;
import io.solconnect.relay.core.internal.protocol.Protocols;
import io.solconnect.relay.core.sim.MemStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class FrameRouterTest {

    final VirtualScheduler vs = new VirtualScheduler();
    final RelayConfig cfg = RelayConfig.custom().addRelay("ws://127.0.0.1:9001/").build();
    final Timings timings = new Timings(cfg);
    final EngineLoop loop = new EngineLoop("loop", vs);
    final EventBus events = new EventBus(new SerialLane("events", vs::execute, 1000));
    final SerialLane app = new SerialLane("app", vs::execute, 1000);
    final SessionStateMachine state = new SessionStateMachine("s", vs, events);
    final Links links = new Links();
    final Outbox outbox = new Outbox(100, 100_000);
    final RecentlyAcked acked = new RecentlyAcked();
    final Counters counters = new Counters();
    final Pacer pacer = new Pacer("s", loop, true);
    final Republisher republisher = new Republisher("s", "me", "me/s", timings, vs, links, outbox, acked, pacer, counters,
            null);
    final Inbound inbound = new Inbound(loop, vs, app, new Dedup(Duration.ofMinutes(1), 1000, vs),
            new SenderOrder(Duration.ofSeconds(10).toNanos()), Duration.ofSeconds(1), "s", republisher);
    final OutboxWriter writer = new OutboxWriter("s", "me", "me/s", timings, Protocols.create(false, cfg), vs, loop, events,
            app, new AsyncStore(new MemStore(), vs::execute, "s"), state, links, outbox, acked, counters, new Random(1));
    final FrameRouter router = new FrameRouter("s", vs, events, state, inbound, writer, pacer, republisher, counters, new Fleets());
    final Link link = Parts.openLink(vs, links.nextGeneration(), Parts.relay(vs, "ws://127.0.0.1:9001/", 1), Link.Role.PRIMARY);
    final List<String> received = new CopyOnWriteArrayList<>();
    final List<RelayEvent> seen = new CopyOnWriteArrayList<>();

    FrameRouterTest() {
        inbound.onMessage(m -> received.add(m.payload()));
        events.subscribe(RelayEvent.class, seen::add);
        links.makePrimary(link);
        state.move(SessionState.CONNECTED, "test");
    }

    static InFrame deliver(boolean resumeReply, String... payloads) {
        List<InboundMessage> ms = new java.util.ArrayList<>();
        List<Optional<SequencedProtocol.Origin>> origins = new java.util.ArrayList<>();
        for (String p : payloads) {
            long serial = Long.parseLong(p.substring(1)) + 1;
            ms.add(new InboundMessage("ws://127.0.0.1:9001/", "room", "other", p, Optional.of("id-" + p), Optional.empty(),
                    java.time.Instant.EPOCH, OptionalLong.empty()));
            origins.add(Optional.of(new SequencedProtocol.Origin("other/s", serial)));
        }
        return new InFrame(new ProtocolFrame.Deliver(ms), origins, Optional.empty(), resumeReply, 10);
    }

    @Test
    void liveDeliveriesWaitForTheResumeAnswerAndComeAfterItsHistory() {
        link.resume().requested();
        router.frame(link, deliver(false, "m2"));
        vs.runUntilIdle();
        assertTrue(received.isEmpty(), "held while the resume is pending");
        router.frame(link, deliver(true, "m0", "m1"));
        vs.runUntilIdle();
        assertEquals(List.of("m0", "m1", "m2"), received);
    }

    @Test
    void anAckCompletesTheSendEvenOnARetiredLinkButNotOnALostOne() {
        CompletableFuture<Result<Delivery>> f = new CompletableFuture<>();
        OutboundMessage m = writer.admit("room", "hello", 5).orElseThrow();
        writer.encode(writer.accept(m, 5, f));
        links.retire(link, vs.nanoTime()); // CLOSING: its acks are still real
        router.frame(link, new InFrame(new ProtocolFrame.Ack(List.of(m.id())), List.of(), Optional.empty(), false, 10));
        vs.runUntilIdle();
        assertTrue(f.getNow(null).isOk());
        Link lost = Parts.openLink(vs, links.nextGeneration(), Parts.relay(vs, "ws://127.0.0.1:9002/", 1), Link.Role.STANDBY);
        lost.ended(vs.nanoTime());
        router.frame(lost, deliver(false, "m0"));
        vs.runUntilIdle();
        assertTrue(received.isEmpty(), "a lost link's frames are ignored");
    }

    @Test
    void aMalformedFrameIsCountedAndReported() {
        router.frame(link, new InFrame(new ProtocolFrame.Malformed("bad"), List.of(), Optional.empty(), false, 3));
        vs.runUntilIdle();
        assertEquals(1, counters.malformedCount());
        assertTrue(seen.stream().anyMatch(e -> e instanceof RelayEvent.FrameRejected r && r.reason().equals("bad")));
    }
}
