package io.solconnect.relay.examples.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback relay that behaves like the original {@code relay-sync.js} (Node + {@code ws}) where
 * it matters here, as PROTOCOL.md describes it: every frame without a sync type takes the chat path
 * (the socket joins the room, the frame is stored in a history of at most 1,000 per room and
 * broadcast to the other members with {@code sequenceNumber} and {@code serverTimestamp}); a
 * {@code sync_update} stores and broadcasts each entry with the client's id replaced by the
 * sequence and acks it; a {@code sync_request} is answered with ONE {@code sync_response} frame
 * holding every stored message after {@code lastSyncedSequence} (fields it does not know, such as
 * {@code maxFrameBytes}, are ignored), in which a stored chat frame with an empty message has no
 * {@code ciphertext} ({@code msg.message || msg.ciphertext}), then {@code sync_status}. No frame
 * size limit of its own. The WebSocket side is written by hand on a {@link ServerSocket} (RFC 6455:
 * handshake, masked client frames, fragments, ping/pong, close), so nothing limits the frames it
 * sends. Thread-safe: relay state under this object's monitor, one writer lock per connection.
 */
final class OriginalSyncRelay implements AutoCloseable {

    static final int HISTORY = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServerSocket server;
    private final Map<String, Set<Conn>> rooms = new HashMap<>(); // guarded by this
    private final Map<String, List<ObjectNode>> history = new HashMap<>(); // guarded by this
    private final Set<Conn> open = new LinkedHashSet<>(); // guarded by this
    private final AtomicInteger accepted = new AtomicInteger();
    private long sequence; // guarded by this
    /** Frames sent to every client right after its handshake (hostile-input tests). */
    private volatile List<String> greeting = List.of();

    OriginalSyncRelay() throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread t = new Thread(this::acceptLoop, "original-sync-relay");
        t.setDaemon(true);
        t.start();
    }

    URI uri() {
        return URI.create("ws://127.0.0.1:" + server.getLocalPort() + "/");
    }

    private final AtomicInteger memberships = new AtomicInteger();

    /** Times a connection became a member of a room (its first frame there), over all rooms. */
    int memberships() {
        return memberships.get();
    }

    /** WebSocket connections accepted so far. */
    int accepted() {
        return accepted.get();
    }

    /** Sends these frames to every client that connects from now on, right after the handshake. */
    void greet(List<String> frames) {
        greeting = List.copyOf(frames);
    }

    /** Bytes of the largest {@code sync_response} sent so far. */
    private volatile int largestResumeReply;

    int largestResumeReply() {
        return largestResumeReply;
    }

    /** The payloads of the last {@code sync_response} sent (its distinct ciphertexts). */
    private volatile Set<String> lastResumePayloads = Set.of();

    Set<String> lastResumePayloads() {
        return lastResumePayloads;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> serve(s), "original-sync-relay-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket s) {
        Conn c = new Conn(s);
        try {
            if (!c.handshake()) {
                return;
            }
            accepted.incrementAndGet();
            synchronized (this) {
                open.add(c);
            }
            for (String g : greeting) {
                c.send(g);
            }
            String text;
            while ((text = c.read()) != null) {
                onFrame(c, text);
            }
        } catch (IOException e) {
            // the client went away
        } finally {
            c.end();
            synchronized (this) {
                open.remove(c);
                rooms.values().forEach(m -> m.remove(c));
            }
        }
    }

    // ---- relay-sync.js

    private synchronized void onFrame(Conn from, String text) throws IOException {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (IOException e) {
            from.send("{\"error\":\"Invalid message\"}");
            return;
        }
        if (!(node instanceof ObjectNode frame)) {
            from.send("{\"error\":\"Invalid message\"}");
            return;
        }
        switch (frame.path("type").asText("")) {
            case "sync_update" -> syncUpdate(from, frame);
            case "sync_request" -> syncRequest(from, frame);
            case "device_announce", "sync_heartbeat" -> { }
            default -> chat(from, frame);
        }
    }

    private void chat(Conn from, ObjectNode frame) throws IOException {
        String room = frame.hasNonNull("roomId") ? frame.get("roomId").asText() : frame.path("sessionId").asText("undefined");
        if (rooms.computeIfAbsent(room, k -> new LinkedHashSet<>()).add(from)) {
            memberships.incrementAndGet();
        }
        ObjectNode stored = frame.deepCopy();
        stored.put("sequenceNumber", ++sequence).put("serverTimestamp", System.currentTimeMillis());
        store(room, stored);
        broadcast(room, from, stored.toString());
    }

    private void syncUpdate(Conn from, ObjectNode frame) throws IOException {
        String room = frame.path("sessionId").asText();
        ArrayNode seqs = JSON.createArrayNode();
        ArrayNode ids = JSON.createArrayNode();
        for (JsonNode e : frame.path("messages")) {
            JsonNode m = e.path("message");
            long seq = ++sequence;
            ObjectNode out = JSON.createObjectNode();
            out.put("roomId", room).put("message", m.path("ciphertext").asText()).put("sender", m.path("sender_wallet").asText());
            out.set("timestamp", m.get("timestamp"));
            out.put("messageId", Long.toString(seq)).put("sequenceNumber", seq);
            out.set("vectorClock", e.has("vectorClock") ? e.get("vectorClock") : JSON.createObjectNode());
            out.put("serverTimestamp", System.currentTimeMillis());
            store(room, out);
            broadcast(room, from, out.toString());
            seqs.add(seq);
            ids.add(m.hasNonNull("messageId") ? m.get("messageId").asText() : Long.toString(seq));
        }
        ObjectNode ack = JSON.createObjectNode();
        ack.put("type", "sync_ack").put("sessionId", room).put("deviceId", "server")
                .put("timestamp", System.currentTimeMillis()).put("messageId", frame.path("messageId").asText());
        ack.set("acknowledgedSequences", seqs);
        ack.set("acknowledgedMessageIds", ids);
        ack.putObject("vectorClock");
        from.send(ack.toString());
    }

    private void syncRequest(Conn from, ObjectNode frame) throws IOException {
        String room = frame.path("sessionId").asText();
        long after = frame.path("lastSyncedSequence").asLong(0);
        ObjectNode resp = JSON.createObjectNode();
        resp.put("type", "sync_response").put("sessionId", room);
        ArrayNode list = resp.putArray("messages");
        int count = 0;
        Set<String> payloads = new java.util.HashSet<>();
        for (ObjectNode msg : history.getOrDefault(room, List.of())) {
            if (msg.path("sequenceNumber").asLong() <= after) {
                continue;
            }
            ObjectNode entry = list.addObject();
            ObjectNode m = entry.putObject("message");
            m.set("sender_wallet", msg.get("sender"));
            String message = msg.path("message").asText("");
            if (!message.isEmpty()) {
                m.put("ciphertext", message); // msg.message || msg.ciphertext: absent for an empty chat frame
                payloads.add(message);
            }
            m.set("timestamp", msg.get("timestamp"));
            m.put("session_id", room);
            entry.set("sequenceNumber", msg.get("sequenceNumber"));
            entry.set("vectorClock", msg.has("vectorClock") ? msg.get("vectorClock") : JSON.createObjectNode());
            entry.set("serverTimestamp", msg.get("serverTimestamp"));
            entry.set("originalDeviceId", msg.get("deviceId"));
            count++;
        }
        resp.put("latestSequence", sequence);
        resp.putObject("serverVectorClock");
        String text = resp.toString();
        largestResumeReply = Math.max(largestResumeReply, text.getBytes(StandardCharsets.UTF_8).length);
        lastResumePayloads = Set.copyOf(payloads);
        from.send(text);
        ObjectNode status = JSON.createObjectNode();
        status.put("type", "sync_status").put("sessionId", room).put("status", "completed");
        status.putObject("progress").put("total", count).put("synced", count);
        from.send(status.toString());
    }

    private void store(String room, ObjectNode msg) {
        List<ObjectNode> h = history.computeIfAbsent(room, k -> new ArrayList<>());
        h.add(msg);
        if (h.size() > HISTORY) {
            h.remove(0);
        }
    }

    private void broadcast(String room, Conn from, String text) {
        for (Conn c : rooms.getOrDefault(room, Set.of())) {
            if (c != from) {
                try {
                    c.send(text);
                } catch (IOException e) {
                    // that member went away; its reader cleans up
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        List<Conn> all;
        synchronized (this) {
            all = List.copyOf(open);
        }
        for (Conn c : all) {
            c.socket.close();
        }
    }

    // ---- RFC 6455, server side

    /**
     * One client connection. Like Node's {@code ws}, sending never blocks the relay: frames go to a
     * queue that a writer thread drains in order (pongs too), so a member slow to read a 1.6 MB
     * frame holds up no one else.
     */
    private static final class Conn {
        private static final byte[] END = new byte[0];
        final Socket socket;
        private DataInputStream in;
        private OutputStream out;
        private final java.util.concurrent.BlockingQueue<byte[]> queue = new java.util.concurrent.LinkedBlockingQueue<>();

        Conn(Socket socket) {
            this.socket = socket;
            Thread w = new Thread(this::drain, "original-sync-relay-writer");
            w.setDaemon(true);
            w.start();
        }

        private void drain() {
            try (socket) {
                while (true) {
                    byte[] f = queue.take();
                    if (f == END) {
                        return;
                    }
                    out.write(f);
                    out.flush();
                }
            } catch (IOException | InterruptedException | RuntimeException e) {
                // the client went away
            }
        }

        boolean handshake() throws IOException {
            in = new DataInputStream(socket.getInputStream());
            out = socket.getOutputStream();
            String head = WsHandshake.readHead(in);
            if (head == null) {
                return false;
            }
            String key = WsHandshake.header(head, "sec-websocket-key");
            String protocols = WsHandshake.header(head, "sec-websocket-protocol");
            StringBuilder resp = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Accept: " + WsHandshake.accept(key) + "\r\n");
            if (protocols != null) {
                resp.append("Sec-WebSocket-Protocol: ").append(protocols.split(",")[0].trim()).append("\r\n");
            }
            resp.append("\r\n");
            queue.add(resp.toString().getBytes(StandardCharsets.US_ASCII));
            return true;
        }

        /** The next text message (fragments joined), or null at close or end of stream. */
        String read() throws IOException {
            ByteArrayOutputStream message = new ByteArrayOutputStream();
            while (true) {
                WsFrame f = WsFrame.read(in);
                if (f == null) {
                    return null;
                }
                byte[] payload = f.payload();
                switch (f.opcode()) {
                    case 0x8 -> {
                        write(0x8, payload); // echo the close
                        return null;
                    }
                    case 0x9 -> write(0xA, payload); // pong
                    case 0xA -> { }
                    default -> {
                        message.write(payload);
                        if (f.fin()) {
                            return message.toString(StandardCharsets.UTF_8);
                        }
                    }
                }
            }
        }

        void send(String text) throws IOException {
            write(0x1, text.getBytes(StandardCharsets.UTF_8));
        }

        /** Queues one unfragmented, unmasked frame, as {@code ws} sends a message. */
        void write(int opcode, byte[] payload) throws IOException {
            ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 10);
            f.write(0x80 | opcode);
            if (payload.length < 126) {
                f.write(payload.length);
            } else if (payload.length < 65_536) {
                f.write(126);
                f.write(payload.length >>> 8);
                f.write(payload.length & 0xFF);
            } else {
                f.write(127);
                for (int i = 7; i >= 0; i--) {
                    f.write((int) (((long) payload.length >>> (8 * i)) & 0xFF));
                }
            }
            f.write(payload);
            queue.add(f.toByteArray());
        }

        /** Ends the writer once what is queued is written. */
        void end() {
            queue.add(END);
        }

    }
}
