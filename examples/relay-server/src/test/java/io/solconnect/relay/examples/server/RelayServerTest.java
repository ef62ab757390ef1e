package io.solconnect.relay.examples.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.spi.CloseInfo;
import io.solconnect.relay.api.spi.RelayConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.solconnect.relay.examples.server.TestClient.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RelayServerTest {

    private static TestClient.Factory clients;
    private RelayServer server;
    private final List<TestClient> open = new ArrayList<>();

    @BeforeAll
    static void transport() {
        clients = new TestClient.Factory();
    }

    @AfterAll
    static void closeTransport() {
        clients.close();
    }

    @BeforeEach
    void start() throws Exception {
        server = RelayServer.start(RelayServerOptions.ofDefaults().withMaxFrameBytes(4096));
    }

    @AfterEach
    void stop() {
        open.forEach(TestClient::close);
        server.close();
    }

    private TestClient client() throws Exception {
        TestClient c = clients.connect(server.uri());
        open.add(c);
        return c;
    }

    private static String update(String room, String... ids) {
        StringBuilder sb = new StringBuilder("{\"type\":\"sync_update\",\"sessionId\":\"" + room
                + "\",\"deviceId\":\"d1\",\"timestamp\":1,\"messageId\":\"batch\",\"messages\":[");
        for (int i = 0; i < ids.length; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"message\":{\"sender_wallet\":\"w\",\"ciphertext\":\"c-")
                    .append(ids[i]).append("\",\"timestamp\":5,\"session_id\":\"").append(room)
                    .append("\",\"messageId\":\"").append(ids[i]).append("\"},\"vectorClock\":{\"w/s1\":")
                    .append(i + 1).append("}}");
        }
        return sb.append("]}").toString();
    }

    private static String join(String room) {
        return "{\"type\":\"join\",\"roomId\":\"" + room + "\"}";
    }

    /** A frame that is acked, used to know that everything sent before it was processed. */
    private static void barrier(TestClient c, String room, String id) throws Exception {
        c.send("{\"type\":\"join\",\"roomId\":\"" + room + "\",\"messageId\":\"" + id + "\"}");
        JsonNode ack = c.next();
        assertEquals("sync_ack", ack.path("type").asText(), ack::toString);
        assertEquals(id, ack.path("acknowledgedMessageIds").get(0).asText());
    }

    @Test
    void chatFrameIsBroadcastToOtherMembersWithItsIdAndAcked() throws Exception {
        TestClient a = client();
        TestClient b = client();
        a.send(join("r"));
        barrier(a, "r", "j-a");
        b.send("{\"roomId\":\"r\",\"message\":\"hi\",\"sender\":\"bob\",\"timestamp\":\"t\",\"messageId\":\"m1\"}");
        JsonNode got = a.next();
        assertEquals("hi", got.path("message").asText());
        assertEquals("m1", got.path("messageId").asText(), "the client's id is kept");
        assertEquals(1, got.path("sequenceNumber").asLong());
        assertTrue(got.has("serverTimestamp"));
        JsonNode ack = b.next();
        assertEquals("sync_ack", ack.path("type").asText());
        assertEquals("m1", ack.path("acknowledgedMessageIds").get(0).asText());
        assertEquals(1, ack.path("acknowledgedSequences").get(0).asLong());
        // b does not get its own frame, and a's join was never broadcast to b
        barrier(b, "r", "j-b");
        assertTrue(b.frames.isEmpty(), () -> "unexpected: " + b.frames);
    }

    @Test
    void retriedChatFrameIsAckedAgainButNotBroadcastTwice() throws Exception {
        TestClient a = client();
        TestClient b = client();
        barrier(a, "rc", "j");
        String frame = "{\"roomId\":\"rc\",\"message\":\"once\",\"sender\":\"b\",\"messageId\":\"dup\"}";
        b.send(frame);
        assertEquals(1, b.next().path("acknowledgedSequences").get(0).asLong());
        b.send(frame);
        JsonNode again = b.next();
        assertEquals("dup", again.path("acknowledgedMessageIds").get(0).asText());
        assertEquals(1, again.path("acknowledgedSequences").get(0).asLong());
        b.send("{\"roomId\":\"rc\",\"message\":\"next\",\"sender\":\"b\",\"messageId\":\"n2\"}");
        assertEquals("dup", a.next().path("messageId").asText());
        JsonNode second = a.next();
        assertEquals("n2", second.path("messageId").asText(), "the retry was not broadcast");
        assertEquals(2, second.path("sequenceNumber").asLong());
    }

    @Test
    void aResentUpdateOfAKnownIdIsBroadcastAgainButNotStoredTwice() throws Exception {
        TestClient a = client();
        TestClient b = client();
        barrier(a, "rs", "j");
        b.send(update("rs", "r1"));
        assertEquals("[1]", b.next().path("acknowledgedSequences").toString());
        assertEquals("r1", a.next().path("messageId").asText());
        // a member asked the sender for it: written again with "resend": true
        b.send(update("rs", "r1").replace("\"messageId\":\"batch\"", "\"messageId\":\"batch\",\"resend\":true"));
        assertEquals("[1]", b.next().path("acknowledgedSequences").toString(), "acked with its first sequence");
        JsonNode again = a.next();
        assertEquals("r1", again.path("messageId").asText());
        assertEquals(1, again.path("sequenceNumber").asLong());
        assertEquals("{\"w/s1\":1}", again.path("vectorClock").toString(), "the sender's serial, for the member's order");
        b.send(update("rs", "r1")); // a plain retry still is not broadcast
        b.next();
        b.send("{\"type\":\"sync_request\",\"sessionId\":\"rs\",\"lastSyncedSequence\":0}");
        assertEquals(1, b.next().path("messages").size(), "stored once");
        b.next(); // sync_status
        b.send(update("rs", "r2"));
        b.next();
        assertEquals("r2", a.next().path("messageId").asText(), "nothing else reached the other member");
    }

    @Test
    void aResendRequestReachesTheOtherMembersAndIsNotStored() throws Exception {
        TestClient a = client();
        TestClient b = client();
        barrier(a, "rq", "j");
        String request = "{\"type\":\"resend\",\"roomId\":\"rq\",\"message\":\"\",\"sender\":\"b\","
                + "\"origin\":\"w/s1\",\"from\":3,\"to\":9}";
        b.send(request);
        JsonNode got = a.next();
        assertEquals("resend", got.path("type").asText());
        assertEquals("w/s1", got.path("origin").asText());
        assertEquals(9, got.path("to").asLong());
        barrier(b, "rq", "after"); // b, now a member, got no ack and no copy of its own request
        b.send("{\"type\":\"sync_request\",\"sessionId\":\"rq\",\"lastSyncedSequence\":0}");
        assertEquals(0, b.next().path("messages").size());
    }

    /** A {@code sync_update} of {@code count} entries from serial {@code first}, each with a payload of {@code bytes}. */
    private static String bigUpdate(String room, int first, int count, int bytes) {
        String pad = "x".repeat(bytes);
        StringBuilder sb = new StringBuilder("{\"type\":\"sync_update\",\"sessionId\":\"" + room
                + "\",\"deviceId\":\"d1\",\"timestamp\":1,\"messageId\":\"batch-" + first + "\",\"messages\":[");
        for (int i = first; i < first + count; i++) {
            sb.append(i == first ? "" : ",").append("{\"message\":{\"sender_wallet\":\"w\",\"ciphertext\":\"")
                    .append(pad).append("\",\"timestamp\":5,\"session_id\":\"").append(room)
                    .append("\",\"messageId\":\"m").append(i).append("\"},\"vectorClock\":{\"w/s1\":")
                    .append(i + 1).append("}}");
        }
        return sb.append("]}").toString();
    }

    @Test
    void aResumeRequestStatingMaxFrameBytesIsAnsweredInPartsBelowIt() throws Exception {
        TestClient a = client();
        for (int batch = 0; batch < 30; batch++) { // this relay takes frames of 4 KB
            a.send(bigUpdate("split", batch * 10, 10, 200));
            assertEquals("sync_ack", a.next().path("type").asText());
        }
        TestClient b = client();
        b.send("{\"type\":\"sync_request\",\"sessionId\":\"split\",\"lastSyncedSequence\":0,\"maxFrameBytes\":4096}");
        List<Long> seqs = new ArrayList<>();
        int parts = 0;
        while (true) {
            JsonNode part = b.next();
            assertEquals("sync_response", part.path("type").asText(), part::toString);
            assertTrue(part.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 4096,
                    "part " + parts + " is within the stated size");
            assertEquals(parts, part.path("part").asInt());
            assertEquals(300, part.path("latestSequence").asLong());
            part.path("messages").forEach(m -> seqs.add(m.path("sequenceNumber").asLong()));
            parts++;
            if (!part.path("more").asBoolean()) {
                assertTrue(part.has("more"), "the last part says so");
                break;
            }
        }
        assertTrue(parts >= 20, "about 100 KB in parts of at most 4 KB: " + parts + " parts");
        assertEquals(java.util.stream.LongStream.rangeClosed(1, 300).boxed().toList(), seqs, "every entry once, in order");
        assertEquals("sync_status", b.next().path("type").asText());

        b.send("{\"type\":\"sync_request\",\"sessionId\":\"split\",\"lastSyncedSequence\":0}");
        JsonNode whole = b.next();
        assertEquals(300, whole.path("messages").size(), "without maxFrameBytes: one frame, as the original relay");
        assertFalse(whole.has("more"));
    }

    @Test
    void deviceAnnounceListsTheRoomsDevicesToItsMembers() throws Exception {
        TestClient a = client();
        barrier(a, "dev", "j");
        a.send("{\"type\":\"device_announce\",\"sessionId\":\"dev\",\"deviceId\":\"phone\"}");
        JsonNode list = a.next();
        assertEquals("device_list", list.path("type").asText());
        assertEquals("[\"phone\"]", list.path("devices").toString());
        a.send("{\"type\":\"sync_heartbeat\",\"sessionId\":\"dev\"}");
        barrier(a, "dev", "after-heartbeat"); // the heartbeat got no reply
    }

    @Test
    void chatFrameWithoutIdIsForwardedLikeTheOriginalWithoutAck() throws Exception {
        TestClient a = client();
        TestClient b = client();
        barrier(a, "legacy", "j");
        b.send("{\"roomId\":\"legacy\",\"message\":\"plain\",\"sender\":\"b\"}");
        JsonNode got = a.next();
        assertEquals("plain", got.path("message").asText());
        assertEquals(1, got.path("sequenceNumber").asLong());
        barrier(b, "legacy", "j2");
    }

    @Test
    void syncUpdateIsBroadcastAckedAndIdempotentOnRetry() throws Exception {
        TestClient a = client();
        TestClient b = client();
        barrier(a, "s", "j");
        b.send(update("s", "x1", "x2"));
        JsonNode first = a.next();
        JsonNode second = a.next();
        assertEquals("x1", first.path("messageId").asText());
        assertEquals("c-x1", first.path("message").asText());
        assertEquals("w", first.path("sender").asText());
        assertEquals(1, first.path("sequenceNumber").asLong());
        assertEquals("x2", second.path("messageId").asText());
        assertEquals(2, second.path("sequenceNumber").asLong());
        JsonNode ack = b.next();
        assertEquals("sync_ack", ack.path("type").asText());
        assertEquals("[\"x1\",\"x2\"]", ack.path("acknowledgedMessageIds").toString());
        assertEquals("[1,2]", ack.path("acknowledgedSequences").toString());

        b.send(update("s", "x2", "x3")); // x2 is a retry
        JsonNode again = b.next();
        assertEquals("[\"x2\",\"x3\"]", again.path("acknowledgedMessageIds").toString());
        assertEquals("[2,3]", again.path("acknowledgedSequences").toString(), "the retry keeps its sequence");
        JsonNode third = a.next();
        assertEquals("x3", third.path("messageId").asText(), "x2 was not broadcast twice");
        assertEquals(3, third.path("sequenceNumber").asLong());
    }

    @Test
    void sequencesArePerRoom() throws Exception {
        TestClient b = client();
        b.send(update("one", "a1", "a2"));
        assertEquals("[1,2]", b.next().path("acknowledgedSequences").toString());
        b.send(update("two", "b1"));
        assertEquals("[1]", b.next().path("acknowledgedSequences").toString());
    }

    @Test
    void syncRequestResumesAfterTheGivenSequence() throws Exception {
        TestClient b = client();
        b.send(update("h", "h1", "h2", "h3"));
        b.next();
        b.send("{\"type\":\"sync_request\",\"sessionId\":\"h\",\"deviceId\":\"d\",\"lastSyncedSequence\":1}");
        JsonNode resp = b.next();
        assertEquals("sync_response", resp.path("type").asText());
        assertEquals(3, resp.path("latestSequence").asLong());
        assertEquals(2, resp.path("messages").size());
        JsonNode m = resp.path("messages").get(0);
        assertEquals(2, m.path("sequenceNumber").asLong());
        assertEquals("c-h2", m.path("message").path("ciphertext").asText());
        assertEquals("h2", m.path("message").path("messageId").asText());
        assertEquals("h", m.path("message").path("session_id").asText());
        assertEquals("{\"w/s1\":2}", m.path("vectorClock").toString(), "the sender's clock is kept, like the original");
        JsonNode status = b.next();
        assertEquals("sync_status", status.path("type").asText());
        assertEquals("completed", status.path("status").asText());
    }

    @Test
    void badInputGetsAClearErrorAndTheConnectionStays() throws Exception {
        TestClient c = client();
        List<String> hostile = List.of(
                "not json",
                "[1,2,3]",
                "{\"message\":\"no room\"}",
                "{\"roomId\":42,\"message\":\"x\"}",
                "{\"roomId\":\"r\",\"message\":{\"nested\":true}}",
                "{\"roomId\":\"r\",\"roomId\":\"s\"}",
                "{\"roomId\":\"" + "r".repeat(300) + "\"}",
                "[".repeat(100) + "]".repeat(100),
                "{\"roomId\":\"r\",\"message\":\"" + "x".repeat(5000) + "\"}",
                "{\"type\":\"sync_update\",\"sessionId\":\"v\",\"messages\":[]}",
                "{\"type\":\"sync_request\",\"sessionId\":\"v\",\"lastSyncedSequence\":-1}",
                update("v", "v9").replace("\"messageId\":\"batch\"", "\"messageId\":\"batch\",\"resend\":\"yes\""));
        for (String h : hostile) {
            c.send(h);
            JsonNode reply = c.next();
            assertTrue(reply.has("error") && !reply.path("error").asText().isBlank(),
                    () -> "for " + h.substring(0, Math.min(60, h.length())) + " got " + reply);
        }
        assertTrue(c.conn.isOpen());
        barrier(c, "still-works", "ok");
    }

    @Test
    void updateWithABadEntryIsRejectedWholeAndStoresNothing() throws Exception {
        TestClient c = client();
        c.send("{\"type\":\"sync_update\",\"sessionId\":\"v\",\"messages\":["
                + "{\"message\":{\"ciphertext\":\"ok\",\"messageId\":\"v1\"}},"
                + "{\"message\":{\"ciphertext\":7}}]}");
        JsonNode err = c.next();
        assertTrue(err.path("error").asText().contains("messages[1]"), err::toString);
        c.send("{\"type\":\"sync_request\",\"sessionId\":\"v\",\"lastSyncedSequence\":0}");
        assertEquals(0, c.next().path("messages").size());
    }

    @Test
    void killResetsConnectionsWithoutCloseFrameAndRestartComesBackEmpty() throws Exception {
        TestClient c = client();
        c.send(update("k", "k1"));
        c.next();
        server.kill();
        CloseInfo info = c.closed.get(WAIT, TimeUnit.SECONDS);
        assertEquals(1006, info.code(), info::toString);
        assertEquals(CloseInfo.Kind.TRANSIENT, info.kind());
        assertFalse(server.running());
        Result<RelayConnection> refused = clients.tryConnect(server.uri(), new TestClient());
        assertEquals(ErrorCode.CONNECT_FAILED, refused.failure().orElseThrow().code());

        server.restart();
        TestClient again = client();
        again.send("{\"type\":\"sync_request\",\"sessionId\":\"k\",\"lastSyncedSequence\":0}");
        assertEquals(0, again.next().path("latestSequence").asLong(), "a restarted relay has no memory");
    }

    /**
     * Each run of the relay has its own Tyrus container with its own executors; a kill or restart
     * must stop them (a soak with a crash every 15 s grew by a thread pool a crash).
     */
    @Test
    void restartsReleaseTheirContainerThreads() throws Exception {
        barrier(client(), "t", "warm"); // the current run's container has made its threads
        long before = containerThreads();
        for (int i = 0; i < 5; i++) {
            server.kill();
            server.restart();
            barrier(client(), "t" + i, "after-restart-" + i);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT);
        while (containerThreads() > before && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // threads end asynchronously
        }
        assertTrue(containerThreads() <= before, "container threads before " + before + ", after five restarts "
                + containerThreads());
    }

    /** Live threads of Tyrus containers' executors ({@code tyrus-N-thread-M}). */
    private static long containerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().matches("tyrus-\\d+-thread-\\d+")).count();
    }

    @Test
    void blackholeSilencesFramesAndPingsUntilHealed() throws Exception {
        TestClient c = client();
        barrier(c, "b", "before");
        server.blackhole();
        c.send("{\"type\":\"join\",\"roomId\":\"b\",\"messageId\":\"during\"}");
        assertTrue(c.conn.ping().isOk());
        assertNull(c.frames.poll(300, TimeUnit.MILLISECONDS), "no reply while blackholed");
        assertNull(c.pongs.poll(1, TimeUnit.MILLISECONDS), "no pong while blackholed");
        assertFalse(c.closed.isDone(), "no FIN, no close frame");
        // a new client connects at TCP level but never completes the handshake
        Result<RelayConnection> stuck = clients.tryConnect(server.uri(), new TestClient());
        assertEquals(ErrorCode.TIMEOUT, stuck.failure().orElseThrow().code());
        server.heal();
        JsonNode late = c.next();
        assertEquals("during", late.path("acknowledgedMessageIds").get(0).asText(), "the parked frame is processed after heal");
        assertTrue(c.pongs.poll(WAIT, TimeUnit.SECONDS) != null);
    }

    @Test
    void slowAddsLatencyToFramesAndPongs() throws Exception {
        TestClient c = client();
        server.slow(Duration.ofMillis(300));
        assertTrue(c.conn.ping().isOk());
        Duration rtt = c.pongs.poll(WAIT, TimeUnit.SECONDS);
        assertTrue(rtt != null && rtt.toMillis() >= 300, "rtt " + rtt);
        long t0 = System.nanoTime();
        barrier(c, "slow", "s1");
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(300));
        server.slow(Duration.ZERO);
        assertTrue(c.conn.ping().isOk());
        assertTrue(c.pongs.poll(WAIT, TimeUnit.SECONDS) != null);
    }

    @Test
    void listensOnLoopbackOnly() throws Exception {
        java.net.InetAddress external = java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(n -> java.util.Collections.list(n.getInetAddresses()).stream())
                .filter(a -> a instanceof java.net.Inet4Address && !a.isLoopbackAddress())
                .findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(external != null, "no non-loopback IPv4 address on this host");
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress(external, server.port()), 2000);
            org.junit.jupiter.api.Assertions.fail("reachable on " + external);
        } catch (java.net.ConnectException expected) {
            assertTrue(expected.getMessage() != null);
        }
        try (java.net.Socket s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), server.port())) {
            assertTrue(s.isConnected());
        }
    }

    @Test
    void gracefulShutdownSendsGoingAway() throws Exception {
        TestClient c = client();
        server.shutdownGracefully();
        CloseInfo info = c.closed.get(WAIT, TimeUnit.SECONDS);
        assertEquals(1001, info.code());
        assertFalse(server.running());
    }

    @Test
    void leavingMembersGetNothingMore() throws Exception {
        TestClient a = client();
        TestClient b = client();
        barrier(a, "l", "ja");
        a.close();
        a.closed.get(WAIT, TimeUnit.SECONDS);
        b.send(update("l", "after"));
        assertEquals("sync_ack", b.next().path("type").asText());
    }
}
