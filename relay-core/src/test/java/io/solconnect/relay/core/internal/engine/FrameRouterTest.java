package io.solconnect.relay.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.OptionalDouble;
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
        writer.pump();
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

    static InFrame ack(String id) {
        return new InFrame(new ProtocolFrame.Ack(List.of(id)), List.of(), Optional.empty(), false, 10);
    }

    @Test
    void anAckFromALinkTheMessageWasNeverWrittenToChangesNothing() {
        CompletableFuture<Result<Delivery>> f = new CompletableFuture<>();
        OutboundMessage m = writer.admit("room", "hello", 5).orElseThrow();
        writer.encode(writer.accept(m, 5, f));
        writer.pump(); // written on the primary only: no standby was open
        Link standby = Parts.openLink(vs, links.nextGeneration(), Parts.relay(vs, "ws://127.0.0.1:9002/", 1),
                Link.Role.STANDBY);
        links.addStandby(standby);
        router.frame(standby, ack(m.id()));
        vs.runUntilIdle();
        assertFalse(f.isDone(), "a standby that was never sent the message cannot have stored it");
        assertEquals(1, outbox.size());
        assertEquals(1, counters.acksRefusedCount());
        assertEquals(0, counters.acknowledgedCount());
        router.frame(link, ack(m.id()));
        vs.runUntilIdle();
        assertTrue(f.getNow(null).isOk(), "the primary it was written to acknowledges it");
        assertEquals(link.id(), f.getNow(null).orElseThrow().relay());
    }

    @Test
    void anAckFromAStandbyThatGotACopyCounts() {
        Link standby = Parts.openLink(vs, links.nextGeneration(), Parts.relay(vs, "ws://127.0.0.1:9002/", 1),
                Link.Role.STANDBY);
        links.addStandby(standby);
        CompletableFuture<Result<Delivery>> f = new CompletableFuture<>();
        OutboundMessage m = writer.admit("room", "hello", 5).orElseThrow();
        writer.encode(writer.accept(m, 5, f));
        writer.pump(); // the standby gets a copy
        router.frame(standby, ack(m.id()));
        vs.runUntilIdle();
        assertTrue(f.getNow(null).isOk());
        assertEquals(0, counters.acksRefusedCount());
    }

    @Test
    void messagesForRoomsNeverJoinedAreCountedAndDropped() {
        inbound.wire(room -> room.equals("room"));
        List<InboundMessage> ms = List.of(
                new InboundMessage("ws://127.0.0.1:9001/", "elsewhere", "other", "foreign", Optional.of("id-f"),
                        Optional.empty(), java.time.Instant.EPOCH, OptionalLong.empty()),
                new InboundMessage("ws://127.0.0.1:9001/", "room", "other", "mine", Optional.of("id-m"),
                        Optional.empty(), java.time.Instant.EPOCH, OptionalLong.empty()));
        router.frame(link, new InFrame(new ProtocolFrame.Deliver(ms), List.of(Optional.empty(), Optional.empty()),
                Optional.empty(), false, 10));
        vs.runUntilIdle();
        assertEquals(List.of("mine"), received);
        assertEquals(1, inbound.foreignDropped());
        assertEquals(1, inbound.delivered());
    }

    @Test
    void liveDeliveriesPastTheResumeBufferLimitCloseTheLinkInsteadOfGrowingIt() {
        List<String> exceeded = new CopyOnWriteArrayList<>();
        router.wire((l, limit, detail) -> exceeded.add(limit));
        link.resume().requested();
        for (int i = 0; i < ResumeGate.MAX_FRAMES; i++) {
            router.frame(link, deliver(false, "m" + (i + 1)));
        }
        assertTrue(exceeded.isEmpty());
        assertEquals(ResumeGate.MAX_FRAMES, link.resume().heldFrames());
        router.frame(link, deliver(false, "m" + (ResumeGate.MAX_FRAMES + 1)));
        assertEquals(List.of("resume buffer"), exceeded);
        assertEquals(ResumeGate.MAX_FRAMES, link.resume().heldFrames(), "nothing more is held");
        ResumeGate gate = new ResumeGate();
        assertTrue(gate.hold(new InFrame(new ProtocolFrame.Deliver(List.of()), List.of(), Optional.empty(), false,
                (int) ResumeGate.MAX_BYTES)));
        assertFalse(gate.hold(new InFrame(new ProtocolFrame.Deliver(List.of()), List.of(), Optional.empty(), false, 1)),
                "a byte limit too");
        assertEquals(ResumeGate.MAX_BYTES, gate.heldBytes());
    }

    @Test
    void aMalformedFrameIsCountedAndReported() {
        router.frame(link, new InFrame(new ProtocolFrame.Malformed("bad"), List.of(), Optional.empty(), false, 3));
        vs.runUntilIdle();
        assertEquals(1, counters.malformedCount());
        assertTrue(seen.stream().anyMatch(e -> e instanceof RelayEvent.FrameRejected r && r.reason().equals("bad")));
    }

    @Test
    void aResumeAnswerInPartsIsDeliveredAsItComesAndLiveOnesWaitForItsLastPart() {
        link.resume().requested();
        router.frame(link, deliver(false, "m3"));
        InFrame first = deliver(true, "m0");
        router.frame(link, new InFrame(first.frame(), first.origins(), Optional.empty(), true, true, 10));
        vs.runUntilIdle();
        assertEquals(List.of("m0"), received, "a part is delivered at once");
        assertTrue(link.resume().waiting(), "the wait goes on until the last part");
        router.frame(link, deliver(true, "m1", "m2"));
        vs.runUntilIdle();
        assertEquals(List.of("m0", "m1", "m2", "m3"), received);
        assertTrue(!link.resume().waiting());
    }

    /** A relay sending 10,000 malformed frames over a minute: every one counted, a few lines logged. */
    @Test
    void aFloodOfMalformedFramesIsCountedInFullAndReportedAFewTimes() {
        InFrame bad = new InFrame(new ProtocolFrame.Malformed("bad"), List.of(), Optional.empty(), false, 3);
        try (io.solconnect.relay.core.LogCapture logs = new io.solconnect.relay.core.LogCapture()) {
            for (int i = 0; i < 10_000; i++) {
                router.frame(link, bad);
                vs.advance(Duration.ofMillis(6)); // 60 s in all
            }
            vs.advance(Duration.ofSeconds(10));
            router.pong(link, Duration.ofMillis(1)); // anything from a relay brings the count due
            vs.runUntilIdle();
            List<String> lines = logs.events().stream()
                    .filter(e -> e.getLoggerName().equals(FrameRouter.class.getName()))
                    .filter(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN)
                    .map(e -> e.getFormattedMessage()).toList();
            assertEquals(10_000, counters.malformedCount(), "every frame is counted");
            assertTrue(lines.size() <= 8, "one line per 10 s at most, was " + lines.size() + ": " + lines);
            long reported = 1 + lines.stream().skip(1)
                    .mapToLong(l -> Long.parseLong(l.substring(0, l.indexOf(' ')))).sum();
            assertEquals(10_000, reported, "the first line and the counts add up: " + lines);
            long rejected = seen.stream().filter(e -> e instanceof RelayEvent.FrameRejected).count();
            assertEquals(lines.size(), rejected, "events follow the log lines, not the frames");
        }
    }

    @Test
    void aMalformedFrameAfterAQuietIntervalIsReportedInFull() {
        InFrame bad = new InFrame(new ProtocolFrame.Malformed("bad"), List.of(), Optional.empty(), false, 3);
        router.frame(link, bad);
        vs.advance(Duration.ofSeconds(11));
        router.frame(link, bad);
        vs.runUntilIdle();
        assertEquals(2, seen.stream().filter(e -> e instanceof RelayEvent.FrameRejected r && r.reason().equals("bad")).count());
    }

    @Test
    void aCloseFor1009WhileAResumeIsUnansweredMarksThatResumeTooLarge() {
        link.resume().asked("room", 0);
        link.resume().requested();
        router.closed(link, io.solconnect.relay.api.spi.CloseInfo.fromPeer(1006, "reset"));
        assertTrue(!link.relay().resumeTooLarge("room", 0), "another close says nothing about the answer's size");
        router.closed(link, io.solconnect.relay.api.spi.CloseInfo.fromPeer(1009, "inbound message larger than 4194304 bytes"));
        vs.runUntilIdle();
        assertTrue(link.relay().resumeTooLarge("room", 0));
        assertTrue(!link.relay().resumeTooLarge("room", 1), "asking from a later sequence is a smaller answer");
        assertTrue(!link.relay().resumeTooLarge("other", 0));
        assertEquals(1, counters.resumesTooLargeCount());
        assertEquals(1, seen.stream().filter(e -> e instanceof RelayEvent.FrameRejected r && r.reason().contains("maxResumeBytes"))
                .count());
    }

    @Test
    void aCloseFor1009AfterTheResumeWasAnsweredMarksNothing() {
        link.resume().asked("room", 0);
        link.resume().requested();
        router.frame(link, deliver(true, "m0"));
        router.closed(link, io.solconnect.relay.api.spi.CloseInfo.fromPeer(1009, "too big"));
        assertTrue(!link.relay().resumeTooLarge("room", 0));
        assertEquals(0, counters.resumesTooLargeCount());
    }

    String sendOne(String payload) {
        OutboundMessage m = writer.admit("room", payload, payload.length()).orElseThrow();
        Outbox.Entry e = writer.accept(m, payload.length(), new CompletableFuture<>());
        assertTrue(writer.encode(e));
        writer.pump();
        return e.id();
    }

    static OptionalDouble rtt(Link l) {
        return l.relay().recorder().snapshot().rttEwmaMillis();
    }

    @Test
    void eachLinkTimesItsOwnAckOfAMessageWrittenOnItUnderTraffic() {
        Link standby = Parts.openLink(vs, links.nextGeneration(), Parts.relay(vs, "ws://127.0.0.1:9002/", 1),
                Link.Role.STANDBY);
        links.addStandby(standby);
        String id = sendOne("one");
        vs.advance(Duration.ofMillis(20));
        router.frame(standby, ack(id)); // the copy's ack: the first, so it completes the send
        vs.runUntilIdle();
        assertEquals(20.0, rtt(standby).orElseThrow(), 0.5);
        assertTrue(rtt(link).isEmpty(), "the standby's ack says nothing of the primary");
        vs.advance(Duration.ofMillis(10));
        router.frame(link, ack(id)); // late, after the send completed: still this link's round trip
        vs.runUntilIdle();
        assertEquals(30.0, rtt(link).orElseThrow(), 0.5);
    }

    @Test
    void anAckOnALinkThatWasNotWrittenTheMessageIsNoSample() {
        String id = sendOne("one");
        Link late = Parts.openLink(vs, links.nextGeneration(), Parts.relay(vs, "ws://127.0.0.1:9003/", 1),
                Link.Role.STANDBY);
        links.addStandby(late); // opened after the write: it got no copy
        vs.advance(Duration.ofMillis(20));
        router.frame(late, ack(id));
        vs.runUntilIdle();
        assertTrue(rtt(late).isEmpty(), "no write on this link, no round trip");
    }

    @Test
    void aMessageWrittenAgainOnTheLinkIsNoSample() {
        String id = sendOne("one");
        vs.advance(timings.ackTimeout());
        writer.rewriteOverdue();
        vs.advance(Duration.ofMillis(5));
        router.frame(link, ack(id));
        vs.runUntilIdle();
        assertTrue(rtt(link).isEmpty(), "the ack may answer either write (Karn)");
    }
}
