package io.solconnect.relay.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solconnect.relay.api.Delivery;
import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.OutboundMessage;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.SessionState;
import io.solconnect.relay.core.VirtualScheduler;
import io.solconnect.relay.core.internal.events.EventBus;
import io.solconnect.relay.core.internal.events.SerialLane;
import io.solconnect.relay.core.internal.protocol.Protocols;
import io.solconnect.relay.core.sim.MemStore;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class OutboxWriterTest {

    final VirtualScheduler vs = new VirtualScheduler();
    final RelayConfig cfg = RelayConfig.custom().addRelay("ws://127.0.0.1:9001/").maxMessageBytes(1024)
            .pingInterval(Duration.ofMillis(100)).pingTimeout(Duration.ofMillis(100)).build();
    final Timings timings = new Timings(cfg);
    final EventBus events = new EventBus(new SerialLane("events", vs::execute, 1000));
    final SessionStateMachine state = new SessionStateMachine("s", vs, events);
    final Links links = new Links();
    final Outbox outbox = new Outbox(100, 100_000);
    final RecentlyAcked acked = new RecentlyAcked();
    final Counters counters = new Counters();
    final OutboxWriter writer = new OutboxWriter("s", "me", "me/s", timings, Protocols.create(false, cfg), vs,
            new EngineLoop("loop", vs), events, new SerialLane("app", vs::execute, 1000),
            new AsyncStore(new MemStore(), vs::execute, "s"), state, links, outbox, acked, counters, new Random(1));
    final Link primary = Parts.openLink(vs, links.nextGeneration(), Parts.relay(vs, "ws://127.0.0.1:9001/", 1), Link.Role.PRIMARY);
    final Link standby = Parts.openLink(vs, links.nextGeneration(), Parts.relay(vs, "ws://127.0.0.1:9002/", 1), Link.Role.STANDBY);

    OutboxWriterTest() {
        links.makePrimary(primary);
        links.addStandby(standby);
        state.move(SessionState.CONNECTED, "test");
    }

    CompletableFuture<Result<Delivery>> send(String payload) {
        CompletableFuture<Result<Delivery>> f = new CompletableFuture<>();
        OutboundMessage m = writer.admit("room", payload, payload.length()).orElseThrow();
        Outbox.Entry e = writer.accept(m, payload.length(), f);
        if (writer.encode(e)) {
            writer.pump();
        }
        return f;
    }

    @Test
    void eachMessageIsWrittenOnceOnThePrimaryWithOneCopyOnTheStandby() {
        send("one");
        send("two");
        assertEquals(2, Parts.conn(primary).written.size());
        assertEquals(2, Parts.conn(standby).written.size());
        writer.pump();
        assertEquals(2, Parts.conn(primary).written.size(), "the cursor has nothing left");
        writer.primaryChanged();
        writer.pump();
        assertEquals(3, Parts.conn(primary).written.size(), "a new primary gets them all again, in one frame");
        assertTrue(Parts.conn(primary).written.get(2).contains("\"one\"") && Parts.conn(primary).written.get(2).contains("\"two\""));
        assertEquals(2, Parts.conn(standby).written.size(), "copies only on the first write");
        assertEquals(2, writer.replayable());
        assertTrue(Parts.conn(primary).written.get(0).contains("\"vectorClock\":{\"me/s\":1}"), "serials through the SPI");
    }

    @Test
    void aNewPrimaryGetsTheOutboxReplayAndTheRepublicationMergedInAcceptanceOrder() {
        send("one");
        send("two");
        send("three");
        // "two" was acknowledged, "one" (its ack lost) and "three" were not
        writer.acknowledge(outbox.snapshot().get(1).id(), primary, true);
        links.dropPrimary();
        Link next = Parts.openLink(vs, links.nextGeneration(), Parts.relay(vs, "ws://127.0.0.1:9003/", 1), Link.Role.PRIMARY);
        links.makePrimary(next);
        writer.primaryChanged();
        writer.pump(acked.since(next, 0, vs.nanoTime(), Long.MAX_VALUE));
        // a member who hears us first through the new primary takes our order from its first frame
        // joined into sync_updates of at most maxMessageBytes (1 KB here: two frames)
        assertTrue(Parts.conn(next).written.size() < 3, "joined: " + Parts.conn(next).written);
        String frame = String.join("", Parts.conn(next).written);
        int one = frame.indexOf("\"one\"");
        int two = frame.indexOf("\"two\"");
        int three = frame.indexOf("\"three\"");
        assertTrue(0 <= one && one < two && two < three, "acceptance order: " + frame);
    }

    @Test
    void anAckCompletesTheSendAndIsRememberedForRepublication() {
        CompletableFuture<Result<Delivery>> f = send("one");
        String id = outbox.snapshot().get(0).id();
        writer.acknowledge(id, primary, true);
        writer.acknowledge(id, primary, true);
        vs.runUntilIdle();
        Delivery d = f.getNow(null).orElseThrow();
        assertEquals(primary.id(), d.relay());
        assertTrue(d.confirmed());
        assertEquals(1, acked.size());
        assertEquals(0, writer.size());
        assertEquals(1, counters.acknowledgedCount());
        assertEquals(1, counters.unknownAckCount(), "the second ack named nothing held");
    }

    @Test
    void whatThePrimaryLeavesUnacknowledgedForAnAckTimeoutIsWrittenAgain() {
        send("one");
        vs.advance(timings.ackTimeout().minusMillis(1));
        writer.rewriteOverdue();
        assertEquals(1, Parts.conn(primary).written.size());
        vs.advance(Duration.ofMillis(1));
        writer.rewriteOverdue();
        assertEquals(2, Parts.conn(primary).written.size());
        assertEquals(1, Parts.conn(standby).written.size());
    }

    @Test
    void aMessageThatCannotBeEncodedFailsAtOnceAndLeavesTheOutbox() {
        CompletableFuture<Result<Delivery>> f = send("x".repeat(2000));
        vs.runUntilIdle();
        assertEquals(ErrorCode.TOO_LARGE, f.getNow(null).failure().orElseThrow().code());
        assertEquals(0, writer.size());
        assertEquals(1, counters.failedCount());
        assertTrue(Parts.conn(primary).written.isEmpty());
        assertNull(outbox.nextUnwritten());
    }

    @Test
    void nothingIsWrittenWhileThereIsNoOpenPrimary() {
        links.dropPrimary();
        send("one");
        assertTrue(Parts.conn(primary).written.isEmpty());
        links.makePrimary(primary);
        writer.pump();
        assertEquals(1, Parts.conn(primary).written.size());
    }
}
