package io.solconnect.relay.examples.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.solconnect.relay.examples.server.nats.NatsServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Relays of one fleet on a real single-node {@code nats-server} with JetStream, talked to over
 * loopback WebSockets frame by frame: fan-out across relays, one copy per member, ids stored once
 * fleet-wide, history after a restart with empty memory, and refusal when JetStream is gone.
 */
class FleetRelayTest {

    private static TestClient.Factory clients;
    private NatsServerProcess nats;
    private final List<RelayServer> relays = new ArrayList<>();
    private final List<TestClient> open = new ArrayList<>();

    /** Skips (never in CI) only when nats-server is not installed and cannot be. */
    static void requireNatsServer() {
        if (NatsServerProcess.binary().isEmpty()) {
            String why = "nats-server is not installed: run ./relay-test as root, or apt-get install -y nats-server";
            if (System.getenv("CI") != null) {
                fail(why);
            }
            Assumptions.abort(why);
        }
    }

    @BeforeAll
    static void transport() {
        clients = new TestClient.Factory();
    }

    @AfterAll
    static void closeTransport() {
        clients.close();
    }

    @BeforeEach
    void startNats() throws Exception {
        requireNatsServer();
        nats = NatsServerProcess.startSingle();
    }

    @AfterEach
    void stop() {
        open.forEach(TestClient::close);
        relays.forEach(RelayServer::close);
        if (nats != null) {
            nats.close();
        }
    }

    private RelayServer relay(JetStreamOptions o) throws Exception {
        RelayServer r = RelayServer.start(RelayServerOptions.ofDefaults(), o);
        relays.add(r);
        return r;
    }

    private RelayServer relay() throws Exception {
        return relay(JetStreamOptions.of(List.of(nats.uri())));
    }

    private TestClient client(RelayServer r) throws Exception {
        TestClient c = clients.connect(r.uri());
        open.add(c);
        return c;
    }

    private static JsonNode ackFor(TestClient c, String id) throws Exception {
        JsonNode ack = c.next();
        assertEquals("sync_ack", ack.path("type").asText(), ack::toString);
        assertEquals(id, ack.path("acknowledgedMessageIds").get(0).asText(), ack::toString);
        return ack;
    }

    private static String chat(String room, String id, String text) {
        return "{\"roomId\":\"" + room + "\",\"message\":\"" + text + "\",\"sender\":\"s\",\"timestamp\":1,\"messageId\":\""
                + id + "\"}";
    }

    private static String join(String room, String id) {
        return "{\"type\":\"join\",\"roomId\":\"" + room + "\",\"messageId\":\"" + id + "\"}";
    }

    private static String update(String room, String id) {
        return "{\"type\":\"sync_update\",\"sessionId\":\"" + room + "\",\"deviceId\":\"d1\",\"timestamp\":1,"
                + "\"messageId\":\"u-" + id + "\",\"messages\":[{\"message\":{\"sender_wallet\":\"w\",\"ciphertext\":\"c-"
                + id + "\",\"timestamp\":5,\"session_id\":\"" + room + "\",\"messageId\":\"" + id + "\"}}]}";
    }

    private static JsonNode syncRequest(TestClient c, String room, long after) throws Exception {
        c.send("{\"type\":\"sync_request\",\"sessionId\":\"" + room + "\",\"deviceId\":\"d\",\"lastSyncedSequence\":"
                + after + "}");
        JsonNode resp = c.next();
        assertEquals("sync_response", resp.path("type").asText(), resp::toString);
        assertEquals("sync_status", c.next().path("type").asText());
        return resp;
    }

    @Test
    void aMessageSentThroughOneRelayReachesMembersOnAnotherOnceAndIsStoredOnce() throws Exception {
        RelayServer a = relay();
        RelayServer b = relay();
        String room = "room with spaces.and.dots.>*";
        TestClient sender = client(a);
        TestClient localMember = client(a);
        TestClient remoteMember = client(b);
        sender.send(join(room, "j-s"));
        ackFor(sender, "j-s");
        localMember.send(join(room, "j-l"));
        ackFor(localMember, "j-l");
        remoteMember.send(join(room, "j-r"));
        ackFor(remoteMember, "j-r");

        sender.send(chat(room, "m1", "hello fleet"));
        long seq = ackFor(sender, "m1").path("acknowledgedSequences").get(0).asLong();
        for (TestClient member : List.of(localMember, remoteMember)) {
            JsonNode got = member.next();
            assertEquals("hello fleet", got.path("message").asText(), got::toString);
            assertEquals("m1", got.path("messageId").asText());
            assertEquals(seq, got.path("sequenceNumber").asLong(), "the stream's sequence, the same on every relay");
        }

        // the same id re-published through the other relay (as after a move): acked with its first
        // sequence, stored and delivered no second time
        TestClient moved = client(b);
        moved.send(chat(room, "m1", "hello fleet"));
        assertEquals(seq, ackFor(moved, "m1").path("acknowledgedSequences").get(0).asLong());
        moved.send(update(room, "m2"));
        JsonNode ack2 = moved.next();
        assertEquals("sync_ack", ack2.path("type").asText(), ack2::toString);
        long seq2 = ack2.path("acknowledgedSequences").get(0).asLong();
        assertTrue(seq2 > seq);
        for (TestClient member : List.of(localMember, remoteMember, sender)) {
            JsonNode got = member.next();
            assertEquals("m2", got.path("messageId").asText(), () -> "m1 came twice or m2 is missing: " + got);
            assertEquals(seq2, got.path("sequenceNumber").asLong());
        }
        // the sender got no copy of its own m1
        assertNull(sender.frames.poll(), () -> "unexpected: " + sender.frames);

        JsonNode history = syncRequest(client(b), room, 0);
        assertEquals(2, history.path("messages").size(), history::toString);
        assertEquals(seq, history.path("messages").get(0).path("sequenceNumber").asLong());
        assertEquals("m1", history.path("messages").get(0).path("message").path("messageId").asText());
        assertEquals(seq2, history.path("latestSequence").asLong());
        assertEquals(1, syncRequest(client(a), room, seq).path("messages").size(), "resumes after the sequence");
    }

    @Test
    void aFleetRelaySaysItsFleetIdInRelayInfoAndInTheSyncResponseFromTheStream() throws Exception {
        RelayServer a = RelayServer.start(RelayServerOptions.ofDefaults().withFleetId("eu-1"),
                JetStreamOptions.of(List.of(nats.uri())));
        relays.add(a);
        TestClient c = client(a);
        JsonNode info = c.next();
        assertEquals("relay_info", info.path("type").asText(), info::toString);
        assertEquals("eu-1", info.path("fleetId").asText());
        c.send(update("r", "m1"));
        assertEquals("sync_ack", c.next().path("type").asText());
        JsonNode resp = syncRequest(c, "r", 0);
        assertEquals("eu-1", resp.path("fleetId").asText(), resp::toString);
        assertEquals(1, resp.path("messages").size(), resp::toString);
    }

    @Test
    void theCommandsBackplaneImpliesAFleetIdByTheStreamUnlessOneIsGiven() throws Exception {
        String implied = command("--port", "0", "--backplane", nats.uri().toString());
        assertTrue(implied.contains("relay-server reports fleet id jetstream:SOLCONNECT"), implied);
        String given = command("--port", "0", "--backplane", nats.uri().toString(), "--fleet-id", "eu-1");
        assertTrue(given.contains("relay-server reports fleet id eu-1"), given);
        assertFalse(given.contains("jetstream:"), given);
    }

    private static String command(String... args) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        RelayServerCommand cmd = new RelayServerCommand(new java.io.ByteArrayInputStream(
                "quit\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        int code = cmd.run(List.of(args), new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(0, code, () -> err.toString(java.nio.charset.StandardCharsets.UTF_8));
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void aRelayRestartedWithEmptyMemoryServesTheHistoryFromTheStream() throws Exception {
        RelayServer a = relay();
        TestClient c = client(a);
        List<Long> seqs = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            c.send(update("r", "m" + i));
            JsonNode ack = c.next();
            assertEquals("sync_ack", ack.path("type").asText(), ack::toString);
            seqs.add(ack.path("acknowledgedSequences").get(0).asLong());
        }
        a.restart();
        JsonNode resp = syncRequest(client(a), "r", seqs.get(1));
        List<String> ids = new ArrayList<>();
        resp.path("messages").forEach(m -> ids.add(m.path("message").path("messageId").asText()));
        assertEquals(List.of("m3", "m4", "m5"), ids);
        assertEquals(seqs.get(4), resp.path("latestSequence").asLong());
    }

    @Test
    void aRelayThatCannotReachJetStreamRefusesSendsInsteadOfAcking() throws Exception {
        RelayServer a = relay(JetStreamOptions.of(List.of(nats.uri())).withPublishTimeout(Duration.ofSeconds(1)));
        TestClient c = client(a);
        c.send(update("r", "before"));
        assertEquals("sync_ack", c.next().path("type").asText());
        nats.kill();
        c.send(update("r", "lost"));
        JsonNode reply = c.next();
        assertTrue(reply.has("error"), reply::toString);
        assertTrue(reply.path("error").asText().contains("not stored"), reply::toString);
        c.send(chat("r", "lost-too", "x"));
        JsonNode reply2 = c.next();
        assertTrue(reply2.has("error"), reply2::toString);
        // and no ack comes late for either
        assertNull(c.frames.poll(2, TimeUnit.SECONDS), () -> "unexpected: " + c.frames);
        assertFalse(a.sessions() == 0, "the connection stays open");
    }
}
