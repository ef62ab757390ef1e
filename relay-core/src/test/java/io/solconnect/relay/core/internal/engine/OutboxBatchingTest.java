package io.solconnect.relay.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.solconnect.relay.api.Delivery;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Batching on the wire: the send window, joined frames and their bounds, partial acknowledgements. */
class OutboxBatchingTest {

    static final ObjectMapper JSON = new ObjectMapper();

    final VirtualScheduler vs = new VirtualScheduler();
    final RelayConfig cfg = RelayConfig.custom().addRelay("ws://127.0.0.1:9001/").maxMessageBytes(64 * 1024)
            .pingInterval(Duration.ofMillis(100)).pingTimeout(Duration.ofMillis(100)).build();
    final Timings timings = new Timings(cfg);
    final EventBus events = new EventBus(new SerialLane("events", vs::execute, 1000));
    final SessionStateMachine state = new SessionStateMachine("s", vs, events);
    final Links links = new Links();
    final Outbox outbox = new Outbox(1000, 1_000_000);
    final RecentlyAcked acked = new RecentlyAcked();
    final OutboxWriter writer = new OutboxWriter("s", "me", "me/s", timings, Protocols.create(false, cfg), vs,
            new EngineLoop("loop", vs), events, new SerialLane("app", vs::execute, 1000),
            new AsyncStore(new MemStore(), vs::execute, "s"), state, links, outbox, acked, new Counters(), new Random(1));
    final Link primary = Parts.openLink(vs, links.nextGeneration(), Parts.relay(vs, "ws://127.0.0.1:9001/", 1), Link.Role.PRIMARY);
    final Link standby = Parts.openLink(vs, links.nextGeneration(), Parts.relay(vs, "ws://127.0.0.1:9002/", 1), Link.Role.STANDBY);
    final List<String> ids = new ArrayList<>();

    OutboxBatchingTest() {
        links.makePrimary(primary);
        links.addStandby(standby);
        state.move(SessionState.CONNECTED, "test");
    }

    CompletableFuture<Result<Delivery>> send(String room, String payload) {
        CompletableFuture<Result<Delivery>> f = new CompletableFuture<>();
        OutboundMessage m = writer.admit(room, payload, payload.length()).orElseThrow();
        Outbox.Entry e = writer.accept(m, payload.length(), f);
        ids.add(m.id());
        if (writer.encode(e)) {
            writer.pump();
        }
        return f;
    }

    /** The payloads a written sync_update carries, in order. */
    static List<String> payloads(String frame) throws Exception {
        JsonNode n = JSON.readTree(frame);
        assertEquals("sync_update", n.get("type").asText());
        List<String> out = new ArrayList<>();
        for (JsonNode e : n.get("messages")) {
            out.add(e.get("message").get("ciphertext").asText());
        }
        return out;
    }

    /** What the relay would answer for a frame: every message id it carries. */
    void ackFrame(Link link, String frame) throws Exception {
        for (JsonNode e : JSON.readTree(frame).get("messages")) {
            writer.acknowledge(e.get("message").get("messageId").asText(), link, true);
        }
        writer.pump();
    }

    @Test
    void withRoomInTheWindowEachMessageGoesOutAtOnceInAFrameOfItsOwn() throws Exception {
        for (int i = 0; i < SendWindow.FRAMES; i++) {
            send("room", "m" + i);
            assertEquals(i + 1, Parts.conn(primary).written.size(), "no waiting while the window has room");
            assertEquals(List.of("m" + i), payloads(Parts.conn(primary).written.get(i)));
        }
        assertEquals(SendWindow.FRAMES, Parts.conn(standby).written.size(), "one copy per message on the standby");
    }

    @Test
    void underABacklogMessagesWaitForAnAnswerAndThenGoOutJoinedInOrder() throws Exception {
        for (int i = 0; i < SendWindow.FRAMES + 100; i++) {
            send("room", "m" + i);
        }
        List<String> w = Parts.conn(primary).written;
        assertEquals(SendWindow.FRAMES, w.size(), "the backlog waits behind a full window");
        ackFrame(primary, w.get(0));
        assertEquals(SendWindow.FRAMES + 1, w.size(), "one answer, one frame");
        List<String> first = payloads(w.get(SendWindow.FRAMES));
        assertEquals(FrameJoiner.MAX_MESSAGES, first.size());
        assertEquals("m" + SendWindow.FRAMES, first.get(0));
        ackFrame(primary, w.get(1));
        List<String> second = payloads(w.get(SendWindow.FRAMES + 1));
        assertEquals(100 - FrameJoiner.MAX_MESSAGES, second.size());
        assertEquals("m" + (SendWindow.FRAMES + 100 - 1), second.get(second.size() - 1));
        List<String> all = new ArrayList<>();
        for (String f : w) {
            all.addAll(payloads(f));
        }
        for (int i = 0; i < all.size(); i++) {
            assertEquals("m" + i, all.get(i), "acceptance order on the wire");
        }
        assertEquals(w, Parts.conn(standby).written, "standbys get the same frames");
        for (String f : List.copyOf(w)) {
            ackFrame(primary, f);
        }
        vs.runUntilIdle();
        assertEquals(0, writer.size(), "one sync_ack per frame completes every message in it");
    }

    @Test
    void aJoinedFrameHoldsOneRoomAndStaysWithinMaxMessageBytes() throws Exception {
        for (int i = 0; i < SendWindow.FRAMES; i++) {
            send("room", "fill" + i);
        }
        String big = "x".repeat(20_000);
        for (int i = 0; i < 6; i++) {
            send("room", big + i);
        }
        send("other", "elsewhere");
        List<String> w = Parts.conn(primary).written;
        for (int i = 0; i < 4; i++) {
            ackFrame(primary, w.get(i));
        }
        assertEquals(SendWindow.FRAMES + 3, w.size());
        List<Integer> counts = new ArrayList<>();
        for (String f : w.subList(SendWindow.FRAMES, w.size())) {
            assertTrue(f.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= cfg.outbox().maxMessageBytes(),
                    "frame of " + f.length() + " bytes");
            counts.add(payloads(f).size());
        }
        assertEquals(List.of(3, 3, 1), counts, "20,000-byte messages three to a 64 KiB frame, the other room apart");
        assertEquals(List.of("elsewhere"), payloads(w.get(SendWindow.FRAMES + 2)));
        assertEquals("other", JSON.readTree(w.get(SendWindow.FRAMES + 2)).get("sessionId").asText());
    }

    @Test
    void whatARelayLeftUnacknowledgedInAJoinedFrameIsWrittenAgainOnePerFrame() throws Exception {
        for (int i = 0; i < SendWindow.FRAMES + 10; i++) {
            send("room", "m" + i);
        }
        List<String> w = Parts.conn(primary).written;
        ackFrame(primary, w.get(0));
        String batch = w.get(SendWindow.FRAMES);
        assertEquals(10, payloads(batch).size());
        // the relay answers half of the batch (and every single frame)
        JsonNode entries = JSON.readTree(batch).get("messages");
        for (int i = 0; i < 5; i++) {
            writer.acknowledge(entries.get(i).get("message").get("messageId").asText(), primary, true);
        }
        for (int i = 1; i < SendWindow.FRAMES; i++) {
            ackFrame(primary, w.get(i));
        }
        int before = w.size();
        vs.advance(timings.ackTimeout());
        writer.rewriteOverdue();
        List<String> again = w.subList(before, w.size());
        assertEquals(5, again.size(), "the unacknowledged half, each alone: " + again);
        for (int i = 0; i < 5; i++) {
            assertEquals(List.of("m" + (SendWindow.FRAMES + 5 + i)), payloads(again.get(i)));
        }
        for (String f : List.copyOf(again)) {
            ackFrame(primary, f);
        }
        assertEquals(0, writer.size());
    }

    @Test
    void aFrameNobodyAnswersLeavesTheWindowAfterTheAckTimeout() throws Exception {
        for (int i = 0; i < SendWindow.FRAMES + 3; i++) {
            send("room", "m" + i);
        }
        List<String> w = Parts.conn(primary).written;
        assertEquals(SendWindow.FRAMES, w.size());
        vs.advance(timings.ackTimeout());
        writer.rewriteOverdue(); // a relay that never acknowledges (relay-sync.js after a bad entry)
        // the eight rewritten alone, then the three that waited, joined
        assertEquals(SendWindow.FRAMES * 2 + 1, w.size(), String.valueOf(w.size()));
        assertEquals(List.of("m8", "m9", "m10"), payloads(w.get(w.size() - 1)));
    }

    @Test
    void aNewPrimaryGetsTheWholeReplayAtOnceJoined() throws Exception {
        for (int i = 0; i < SendWindow.FRAMES + 100; i++) {
            send("room", "m" + i);
        }
        links.dropPrimary();
        Link next = Parts.openLink(vs, links.nextGeneration(), Parts.relay(vs, "ws://127.0.0.1:9003/", 1), Link.Role.PRIMARY);
        links.makePrimary(next);
        writer.primaryChanged();
        writer.pump(List.of());
        List<String> w = Parts.conn(next).written;
        assertEquals(2, w.size(), "108 messages in frames of 64: " + w.size());
        List<String> all = new ArrayList<>(payloads(w.get(0)));
        all.addAll(payloads(w.get(1)));
        assertEquals(SendWindow.FRAMES + 100, all.size());
        assertEquals("m0", all.get(0));
    }
}
