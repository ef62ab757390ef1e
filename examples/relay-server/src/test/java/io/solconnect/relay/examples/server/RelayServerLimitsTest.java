package io.solconnect.relay.examples.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.solconnect.relay.examples.server.TestClient.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reference relay's per-connection limits, each against real WebSocket clients over loopback:
 * rooms joined, frames per second, bytes queued for a slow reader, devices per room, empty rooms
 * freed, resend frames throttled. Rate windows follow a clock the test moves.
 */
class RelayServerLimitsTest {

    private static TestClient.Factory clients;
    private RelayServer server;
    private final List<TestClient> open = new ArrayList<>();
    private final ManualClock clock = new ManualClock();

    @BeforeAll
    static void transport() {
        clients = new TestClient.Factory();
    }

    @AfterAll
    static void closeTransport() {
        clients.close();
    }

    @AfterEach
    void stop() {
        open.forEach(TestClient::close);
        if (server != null) {
            server.close();
        }
    }

    /** A clock that moves only when told. */
    private static final class ManualClock extends Clock {
        private final AtomicLong millis = new AtomicLong(1_800_000_000_000L);

        void advanceSeconds(int s) {
            millis.addAndGet(s * 1000L);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }
    }

    private static RelayServerOptions.Limits limits(int rooms, int frames, long queued, int devices, int resends) {
        return new RelayServerOptions.Limits(rooms, frames, queued, devices, resends);
    }

    private static final RelayServerOptions.Limits D = RelayServerOptions.Limits.ofDefaults();

    private void start(RelayServerOptions options) throws Exception {
        server = RelayServer.start(options, clock);
    }

    private TestClient client() throws Exception {
        TestClient c = clients.connect(server.uri());
        open.add(c);
        return c;
    }

    private static String joinWithId(String room, String id) {
        return "{\"type\":\"join\",\"roomId\":\"" + room + "\",\"messageId\":\"" + id + "\"}";
    }

    private static void barrier(TestClient c, String room, String id) throws Exception {
        c.send(joinWithId(room, id));
        JsonNode ack = c.next();
        assertEquals("sync_ack", ack.path("type").asText(), ack::toString);
        assertEquals(id, ack.path("acknowledgedMessageIds").get(0).asText());
    }

    private static String error(TestClient c) throws Exception {
        JsonNode n = c.next();
        assertTrue(n.has("error"), () -> "expected an error, got " + n);
        return n.path("error").asText();
    }

    @Test
    void roomsJoinedPerConnectionAreCapped() throws Exception {
        start(RelayServerOptions.ofDefaults().withLimits(limits(3, D.framesPerSecond(), D.maxQueuedBytes(),
                D.devicesPerRoom(), D.resendsPerSecond())));
        TestClient a = client();
        for (int i = 1; i <= 3; i++) {
            barrier(a, "room" + i, "j" + i);
        }
        a.send(joinWithId("room4", "j4"));
        assertEquals("this connection is in its maximum of 3 rooms; leave one (reconnect) before joining room4",
                error(a));
        barrier(a, "room2", "again"); // a room it is already in still works
        barrier(client(), "room4", "other"); // the cap is per connection
    }

    @Test
    void framesBeyondThePerSecondLimitGetOneErrorAndAreDropped() throws Exception {
        start(RelayServerOptions.ofDefaults().withLimits(limits(D.roomsPerConnection(), 10, D.maxQueuedBytes(),
                D.devicesPerRoom(), D.resendsPerSecond())));
        TestClient a = client();
        for (int i = 0; i < 15; i++) {
            a.send(joinWithId("f", "m" + i));
        }
        for (int i = 0; i < 10; i++) {
            assertEquals("m" + i, a.next().path("acknowledgedMessageIds").get(0).asText());
        }
        assertEquals("more than 10 frames in one second from this connection: the rest of this second's frames"
                + " are dropped", error(a));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT);
        while (server.framesDroppedOverRate() < 5 && System.nanoTime() < until) {
            Thread.onSpinWait(); // the server has read m11..m14 (they give no reply to wait on)
        }
        assertEquals(5, server.framesDroppedOverRate(), "m10 answered with the error, m11..m14 dropped");
        clock.advanceSeconds(1);
        a.send(joinWithId("f", "next-second"));
        assertEquals("next-second", a.next().path("acknowledgedMessageIds").get(0).asText(),
                "m11..m14 were dropped unanswered; the next second is served");
    }

    @Test
    void aClientThatReadsTooSlowlyIsCutOff() throws Exception {
        start(RelayServerOptions.ofDefaults().withMaxFrameBytes(128 * 1024).withLimits(limits(D.roomsPerConnection(),
                D.framesPerSecond(), 256 * 1024, D.devicesPerRoom(), D.resendsPerSecond())));
        try (Socket slow = new Socket()) {
            slow.setReceiveBufferSize(4096); // before connect: a small window the server fills quickly
            slow.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
            slow.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT));
            InputStream in = handshake(slow);
            sendMasked(slow.getOutputStream(), joinWithId("flood", "slow-join"));
            JsonNode ack = new com.fasterxml.jackson.databind.ObjectMapper().readTree(readText(new DataInputStream(in)));
            assertEquals("slow-join", ack.path("acknowledgedMessageIds").get(0).asText());

            TestClient fast = client();
            String big = "x".repeat(60_000);
            int sent = 200; // 12 MB: more than every socket buffer on the way can hold
            for (int i = 0; i < sent; i++) {
                fast.send("{\"roomId\":\"flood\",\"message\":\"" + big + "\",\"sender\":\"f\",\"messageId\":\"b" + i + "\"}");
                assertEquals("sync_ack", fast.next().path("type").asText());
            }
            // now read: whatever was written before the cut, then the close frame
            DataInputStream data = new DataInputStream(in);
            int texts = 0;
            int closeCode = -1;
            while (texts < sent) {
                int b0 = data.readUnsignedByte();
                byte[] payload = payload(data);
                int opcode = b0 & 0x0f;
                if (opcode == 1) {
                    texts++;
                } else if (opcode == 8) {
                    closeCode = ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
                    break;
                }
            }
            assertEquals(1008, closeCode, "cut off after " + texts + " of " + sent + " frames");
            assertTrue(texts < sent, "frames after the cut were never queued: " + texts);
            barrier(fast, "flood", "still-served"); // the room and the fast client go on
        }
    }

    @Test
    void theDeviceListIsCappedAndAReannounceIsNotBroadcast() throws Exception {
        start(RelayServerOptions.ofDefaults().withLimits(limits(D.roomsPerConnection(), D.framesPerSecond(),
                D.maxQueuedBytes(), 3, D.resendsPerSecond())));
        TestClient a = client();
        TestClient b = client();
        barrier(a, "dev", "ja");
        barrier(b, "dev", "jb");
        for (int i = 1; i <= 3; i++) {
            b.send("{\"type\":\"device_announce\",\"sessionId\":\"dev\",\"deviceId\":\"d" + i + "\"}");
            assertEquals(i, a.next().path("devices").size(), "a member sees each new device");
            assertEquals(i, b.next().path("devices").size());
        }
        b.send("{\"type\":\"device_announce\",\"sessionId\":\"dev\",\"deviceId\":\"d4\"}");
        assertEquals("room dev lists its maximum of 3 devices", error(b));
        b.send("{\"type\":\"device_announce\",\"sessionId\":\"dev\",\"deviceId\":\"d1\"}");
        assertEquals("[\"d1\",\"d2\",\"d3\"]", b.next().path("devices").toString(), "the announcer gets the list");
        barrier(a, "dev", "ja2");
        assertTrue(a.frames.isEmpty(), () -> "an unchanged list is not broadcast: " + a.frames);
    }

    @Test
    void emptyRoomsAreFreedSoTheRoomCapIsNotPermanent() throws Exception {
        start(RelayServerOptions.ofDefaults().withMaxRooms(2));
        TestClient a = client();
        barrier(a, "kept", "j");
        TestClient b = client();
        for (int i = 0; i < 5; i++) { // lookups of rooms that hold nothing leave nothing behind
            b.send("{\"type\":\"sync_request\",\"sessionId\":\"probe" + i + "\",\"lastSyncedSequence\":0}");
            assertEquals("sync_response", b.next().path("type").asText());
            assertEquals("sync_status", b.next().path("type").asText());
        }
        barrier(b, "second", "j2");
        b.send(joinWithId("third", "j3"));
        assertEquals("this relay holds its maximum of 2 rooms, all with members", error(b));
        b.send("{\"roomId\":\"second\",\"message\":\"kept in history\",\"sender\":\"b\",\"messageId\":\"h1\"}");
        assertEquals("h1", b.next().path("acknowledgedMessageIds").get(0).asText());
        b.close();
        b.closed.get(WAIT, TimeUnit.SECONDS);
        TestClient c = client();
        // b's rooms lost their last member; "second" is freed (history and all) when a new room needs the place
        JsonNode reply;
        do { // the server handles b's close asynchronously: ask until it has
            c.send(joinWithId("third", "j3"));
            reply = c.next();
        } while (reply.has("error"));
        assertEquals("j3", reply.path("acknowledgedMessageIds").get(0).asText());
        barrier(a, "kept", "j-again"); // a room with a member is never freed
    }

    @Test
    void resendFramesAreThrottledPerConnection() throws Exception {
        start(RelayServerOptions.ofDefaults().withLimits(limits(D.roomsPerConnection(), D.framesPerSecond(),
                D.maxQueuedBytes(), D.devicesPerRoom(), 2)));
        TestClient a = client();
        TestClient b = client();
        barrier(a, "rs", "ja");
        barrier(b, "rs", "jb");
        for (int i = 0; i < 4; i++) {
            b.send("{\"type\":\"resend\",\"roomId\":\"rs\",\"sender\":\"b\",\"fromSequence\":" + i + "}");
        }
        assertEquals("more than 2 resend frames in one second from this connection: not forwarded", error(b));
        assertEquals("more than 2 resend frames in one second from this connection: not forwarded", error(b));
        assertEquals(0, a.next().path("fromSequence").asInt());
        assertEquals(1, a.next().path("fromSequence").asInt());
        barrier(a, "rs", "ja2");
        assertTrue(a.frames.isEmpty(), () -> "only 2 resends were forwarded: " + a.frames);
        clock.advanceSeconds(1);
        b.send("{\"type\":\"resend\",\"roomId\":\"rs\",\"sender\":\"b\",\"fromSequence\":9}");
        assertEquals(9, a.next().path("fromSequence").asInt(), "the next second is served");
    }

    // ---- a raw WebSocket client that can stop reading

    private InputStream handshake(Socket s) throws IOException {
        byte[] key = new byte[16];
        new java.util.Random(1).nextBytes(key);
        String req = "GET / HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key)
                + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
        s.getOutputStream().write(req.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        InputStream in = s.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("handshake: " + head);
            }
            head.write(b);
        }
        assertTrue(head.toString(StandardCharsets.US_ASCII).startsWith("HTTP/1.1 101"), head::toString);
        return in;
    }

    private static void sendMasked(OutputStream out, String text) throws IOException {
        byte[] p = text.getBytes(StandardCharsets.UTF_8);
        assertTrue(p.length < 126);
        byte[] mask = {1, 2, 3, 4};
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(0x81);
        f.write(0x80 | p.length);
        f.write(mask);
        for (int i = 0; i < p.length; i++) {
            f.write(p[i] ^ mask[i % 4]);
        }
        out.write(f.toByteArray());
        out.flush();
    }

    private static String readText(DataInputStream in) throws IOException {
        int b0 = in.readUnsignedByte();
        assertEquals(0x81, b0, "a whole text frame");
        return new String(payload(in), StandardCharsets.UTF_8);
    }

    private static byte[] payload(DataInputStream in) throws IOException {
        int b1 = in.readUnsignedByte();
        long len = b1 & 0x7f;
        if (len == 126) {
            len = in.readUnsignedShort();
        } else if (len == 127) {
            len = in.readLong();
        }
        byte[] p = new byte[(int) len];
        in.readFully(p);
        return p;
    }
}
