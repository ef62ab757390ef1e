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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@code solconnect-sync} relay on a loopback socket, written from scratch (raw WebSocket
 * framing over TCP) so a test can script how it acknowledges {@code sync_update} batches, which
 * the bundled relay never gets wrong. Rooms are joined by chat-path frames; every entry of a
 * {@code sync_update} is broadcast to the other members as a chat-path frame, as
 * {@code relay-sync.js} does (with the sequence number in place of the client's id, and no dedup)
 * and kept in a history that {@code sync_request} returns (after {@code lastSyncedSequence}, without
 * the client's ids, as {@code relay-sync.js} does); pings get pongs. Thread-safe: one
 * thread per connection, shared state under this object's monitor.
 */
final class ScriptedSyncRelay implements AutoCloseable {

    /** How {@code sync_update} is answered. */
    enum Mode {
        /** Every entry acknowledged. */
        ACK_ALL,
        /** A frame of several entries gets an ack for its first half only (singles are acked). */
        ACK_HALF,
        /**
         * As {@code relay-sync.js} with a bad entry: entries before the first whose ciphertext
         * contains {@link #BAD} are stored and broadcast, then an error comes back and no ack.
         */
        RELAY_SYNC_JS_BAD_ENTRY
    }

    /** The marker of a payload the {@link Mode#RELAY_SYNC_JS_BAD_ENTRY} relay refuses. */
    static final String BAD = "BAD";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServerSocket server;
    private final Mode mode;
    private final Map<String, Set<Conn>> rooms = new ConcurrentHashMap<>();
    private final Set<Conn> conns = ConcurrentHashMap.newKeySet();
    private final AtomicLong updateFrames = new AtomicLong();
    private final AtomicLong updateEntries = new AtomicLong();
    private final AtomicLong batchFrames = new AtomicLong();
    private long sequence; // guarded by this
    private final Map<String, List<ObjectNode>> history = new ConcurrentHashMap<>(); // lists guarded by this

    ScriptedSyncRelay(Mode mode) throws IOException {
        this.mode = mode;
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread t = new Thread(this::acceptLoop, "scripted-relay");
        t.setDaemon(true);
        t.start();
    }

    URI uri() {
        return URI.create("ws://127.0.0.1:" + server.getLocalPort() + "/");
    }

    /** {@code sync_update} frames received. */
    long updateFrames() {
        return updateFrames.get();
    }

    /** Entries in them (messages, counting each retry). */
    long updateEntries() {
        return updateEntries.get();
    }

    /** {@code sync_update} frames with more than one entry. */
    long batchFrames() {
        return batchFrames.get();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Conn c : conns) {
            c.close();
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                Conn c = new Conn(s);
                conns.add(c);
                Thread t = new Thread(c::serve, "scripted-relay-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    /** One client connection. */
    private final class Conn {
        private final Socket socket;
        private OutputStream out;

        Conn(Socket socket) {
            this.socket = socket;
        }

        void serve() {
            try (socket) {
                InputStream in = socket.getInputStream();
                out = socket.getOutputStream();
                String head = WsHandshake.readHead(in);
                if (head == null) {
                    return;
                }
                String protocols = WsHandshake.header(head, "sec-websocket-protocol");
                String reply = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Accept: " + WsHandshake.accept(WsHandshake.header(head, "sec-websocket-key")) + "\r\n"
                        + (protocols == null ? "" : "Sec-WebSocket-Protocol: " + protocols.split(",")[0].trim() + "\r\n")
                        + "\r\n";
                synchronized (this) {
                    out.write(reply.getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                DataInputStream data = new DataInputStream(in);
                ByteArrayOutputStream message = new ByteArrayOutputStream();
                while (true) {
                    WsFrame f = WsFrame.read(data);
                    if (f == null) {
                        return; // the client went away
                    }
                    byte[] payload = f.payload();
                    int opcode = f.opcode();
                    if (opcode == 8) {
                        return;
                    } else if (opcode == 9) {
                        write(10, payload);
                    } else if (opcode == 1 || opcode == 0) {
                        message.write(payload);
                        if (f.fin()) {
                            onText(this, message.toString(StandardCharsets.UTF_8));
                            message.reset();
                        }
                    }
                }
            } catch (IOException e) {
                // the client went away
            } finally {
                conns.remove(this);
                for (Set<Conn> members : rooms.values()) {
                    members.remove(this);
                }
            }
        }

        void send(String text) {
            try {
                write(1, text.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                close();
            }
        }

        private synchronized void write(int opcode, byte[] payload) throws IOException {
            ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 10);
            f.write(0x80 | opcode);
            if (payload.length < 126) {
                f.write(payload.length);
            } else if (payload.length < 65536) {
                f.write(126);
                f.write(payload.length >>> 8);
                f.write(payload.length & 0xff);
            } else {
                f.write(127);
                for (int i = 7; i >= 0; i--) {
                    f.write((int) ((long) payload.length >>> (8 * i)) & 0xff);
                }
            }
            f.write(payload);
            out.write(f.toByteArray());
            out.flush();
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private void onText(Conn from, String text) throws IOException {
        JsonNode n = JSON.readTree(text);
        String type = n.path("type").asText("");
        switch (type) {
            case "sync_update" -> syncUpdate(from, n);
            case "sync_request" -> syncRequest(from, n);
            case "sync_heartbeat", "device_announce" -> { }
            default -> {
                String room = n.has("roomId") ? n.path("roomId").asText() : n.path("sessionId").asText();
                rooms.computeIfAbsent(room, k -> ConcurrentHashMap.newKeySet()).add(from);
                if (!n.path("message").asText("").isEmpty() || "resend".equals(type)) {
                    broadcast(room, from, text);
                }
            }
        }
    }

    private synchronized void syncRequest(Conn from, JsonNode n) {
        String room = n.path("sessionId").asText();
        long after = n.path("lastSyncedSequence").asLong(0);
        ObjectNode resp = JSON.createObjectNode().put("type", "sync_response").put("sessionId", room);
        ArrayNode list = resp.putArray("messages");
        for (ObjectNode e : history.getOrDefault(room, List.of())) {
            if (e.get("sequenceNumber").asLong() > after) {
                list.add(e);
            }
        }
        resp.put("latestSequence", sequence);
        resp.putObject("serverVectorClock");
        from.send(resp.toString());
        from.send(JSON.createObjectNode().put("type", "sync_status").put("sessionId", room).put("status", "completed")
                .toString());
    }

    private synchronized void syncUpdate(Conn from, JsonNode n) {
        String room = n.path("sessionId").asText();
        JsonNode entries = n.path("messages");
        updateFrames.incrementAndGet();
        updateEntries.addAndGet(entries.size());
        if (entries.size() > 1) {
            batchFrames.incrementAndGet();
        }
        List<Long> seqs = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (JsonNode e : entries) {
            JsonNode m = e.path("message");
            String cipher = m.path("ciphertext").asText();
            if (mode == Mode.RELAY_SYNC_JS_BAD_ENTRY && cipher.contains(BAD)) {
                from.send(JSON.createObjectNode().put("error", "Cannot read properties of undefined").toString());
                return; // the entries before it are stored and broadcast; no ack
            }
            long seq = ++sequence;
            ObjectNode out = JSON.createObjectNode();
            out.put("roomId", room).put("message", cipher).put("sender", m.path("sender_wallet").asText(""));
            out.set("timestamp", m.get("timestamp"));
            out.put("messageId", Long.toString(seq)).put("sequenceNumber", seq).put("serverTimestamp", System.currentTimeMillis());
            out.set("vectorClock", e.get("vectorClock"));
            broadcast(room, from, out.toString());
            ObjectNode stored = JSON.createObjectNode();
            stored.putObject("message").put("sender_wallet", m.path("sender_wallet").asText(""))
                    .put("ciphertext", cipher).put("session_id", room).set("timestamp", m.get("timestamp"));
            stored.put("sequenceNumber", seq).put("serverTimestamp", System.currentTimeMillis())
                    .put("originalDeviceId", n.path("deviceId").asText(""));
            stored.set("vectorClock", e.get("vectorClock"));
            history.computeIfAbsent(room, k -> new ArrayList<>()).add(stored);
            seqs.add(seq);
            ids.add(m.hasNonNull("messageId") ? m.get("messageId").asText() : Long.toString(seq));
        }
        int acked = mode == Mode.ACK_HALF && ids.size() > 1 ? ids.size() / 2 : ids.size();
        ObjectNode ack = JSON.createObjectNode().put("type", "sync_ack").put("sessionId", room).put("deviceId", "server")
                .put("timestamp", System.currentTimeMillis()).put("messageId", n.path("messageId").asText(""));
        ArrayNode s = ack.putArray("acknowledgedSequences");
        seqs.subList(0, acked).forEach(s::add);
        ArrayNode i = ack.putArray("acknowledgedMessageIds");
        ids.subList(0, acked).forEach(i::add);
        ack.putObject("vectorClock");
        from.send(ack.toString());
    }

    private void broadcast(String room, Conn from, String text) {
        for (Conn c : rooms.getOrDefault(room, Set.of())) {
            if (c != from) {
                c.send(text);
            }
        }
    }

}
