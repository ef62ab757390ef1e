package io.solconnect.relay.core.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.spi.CloseInfo;
import io.solconnect.relay.api.spi.ConnectionListener;
import io.solconnect.relay.api.spi.RelayConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A simulated SolConnect relay with the behaviour of {@code relay-sync.js} (or {@code relay.js}
 * when legacy) as described in PROTOCOL.md, and injectable faults: refuse connections, close or
 * fail every connection, blackhole (silently drop everything), delay pongs, drop acks, rewrite ids.
 */
public final class SimRelay {

    private static final ObjectMapper JSON = new ObjectMapper();

    final SimNetwork net;
    public final RelayEndpoint endpoint;
    final boolean legacy;
    // faults
    public boolean down;
    public boolean blackhole;
    public boolean dropAcks;
    public Duration pongDelay = Duration.ZERO;
    /** Keep client ids in broadcasts (the bundled Java relay does; relay-sync.js rewrites them). */
    public boolean keepIds;
    /** Frames to inject to every client right after it connects (hostile-input tests). */
    public List<String> greet = new ArrayList<>();
    /**
     * Messages kept per room for resume, oldest dropped first; the original relays keep 1,000,
     * which a busy room outruns in a second.
     */
    public int historyLimit = Integer.MAX_VALUE;
    /**
     * How long the answer to a {@code sync_request} takes while live messages go out at once: a
     * real relay can forward a live message between a client's join and its resume.
     */
    public Duration resumeDelay = Duration.ZERO;

    /** One-way latency of this relay's frames; {@code null} uses the network's. */
    public Duration latency;
    /** Up to this much extra one-way delay per frame, drawn from {@link #jitterRandom}; order on a connection is kept. */
    public Duration jitter = Duration.ZERO;
    /** Where the jitter comes from (seed it for a reproducible schedule). */
    public java.util.Random jitterRandom = new java.util.Random(0);

    /**
     * The fleet id this relay reports ({@code relay_info} on connect and {@code fleetId} in every
     * {@code sync_response}); null: none, as the original relays. Reporting it does not make the
     * relay share anything: {@link #shareLogWith} does (a relay can claim a fleet falsely).
     */
    public String fleetId;

    /**
     * The log a relay keeps its sequence and history in. A relay alone has its own; relays that
     * {@link #shareLogWith share} one behave like relays on one backplane: one sequence, one
     * history, every member of a room on every relay gets each message, and a message id is stored
     * once (as JetStream's {@code Nats-Msg-Id} de-duplication does).
     */
    private static final class Log {
        long seq;
        final Map<String, List<ObjectNode>> history = new LinkedHashMap<>();
        final List<SimRelay> relays = new ArrayList<>();
        final Set<String> ids = new java.util.HashSet<>();
    }

    private Log log = new Log();
    private final Map<String, Set<Conn>> rooms = new LinkedHashMap<>();
    private final Set<Conn> conns = new LinkedHashSet<>();
    public final List<Long> acceptedAt = new ArrayList<>();
    public final List<Long> refusedAt = new ArrayList<>();
    public int framesReceived;
    /** Control-frame pings clients sent to this relay (answered or not). */
    public int pingsReceived;
    /** Chat-path frames of type {@code resend} received (members asking a sender for serials). */
    public int resendRequests;
    /** The {@code lastSyncedSequence} of every {@code sync_request} received, in order. */
    public final List<Long> resumedAfter = new ArrayList<>();

    SimRelay(SimNetwork net, RelayEndpoint endpoint, boolean legacy) {
        this.net = net;
        this.endpoint = endpoint;
        this.legacy = legacy;
        log.relays.add(this);
    }

    /**
     * Makes {@code others} share this relay's log (sequence, history, fan-out, id de-duplication),
     * as relays of one fleet on a backplane do; call before any traffic.
     */
    public void shareLogWith(SimRelay... others) {
        for (SimRelay o : others) {
            o.log = log;
            log.relays.add(o);
        }
    }

    /** Every room member on every relay that shares this relay's log. */
    private List<Conn> fleetMembers(String room) {
        List<Conn> out = new ArrayList<>();
        for (SimRelay r : log.relays) {
            out.addAll(r.rooms.getOrDefault(room, Set.of()));
        }
        return out;
    }

    public String id() {
        return endpoint.id();
    }

    public int connections() {
        return conns.size();
    }

    public int members(String room) {
        return rooms.getOrDefault(room, Set.of()).size();
    }

    Conn accept(ConnectionListener l, SimNetwork.Port port) {
        Conn c = new Conn(l, port);
        conns.add(c);
        acceptedAt.add(net.scheduler.nanoTime());
        if (fleetId != null) {
            c.toClient(JSON.createObjectNode().put("type", "relay_info").put("fleetId", fleetId).toString());
        }
        for (String g : greet) {
            c.toClient(g);
        }
        return c;
    }

    /** Closes every connection from the server side with {@code code}. */
    public void closeAll(int code, String reason) {
        for (Conn c : List.copyOf(conns)) {
            c.serverClose(CloseInfo.fromPeer(code, reason));
        }
    }

    /** The payloads ({@code ciphertext}) this relay stored for a room, in the order they arrived. */
    public List<String> payloads(String room) {
        return log.history.getOrDefault(room, List.of()).stream().map(m -> m.path("ciphertext").asText()).toList();
    }

    /** Drops every connection as a crash would (1006, no close frame); history survives. */
    public void crashConnections() {
        closeAll(1006, "connection reset");
    }

    /** Drops (as a crash would) the connections whose client sent a chat-path frame as {@code sender}. */
    public void crashConnectionsOf(String sender) {
        for (Conn c : List.copyOf(conns)) {
            if (sender.equals(c.sender)) {
                c.serverClose(CloseInfo.fromPeer(1006, "connection reset"));
            }
        }
    }

    /**
     * A process restart: every connection drops as in a crash, and the new process starts with an
     * empty history and sequence numbers from 1 again, as the original relays do.
     */
    public void restart() {
        crashConnections();
        rooms.clear();
        if (log.relays.size() == 1) { // a shared log outlives a relay process
            log.history.clear();
            log.ids.clear();
            log.seq = 0;
        }
    }

    /** The delay of the next frame on one direction of a connection whose previous frame lands at {@code lastAt}. */
    long nextArrival(long lastAt) {
        long now = net.scheduler.nanoTime();
        long d = (latency != null ? latency : net.latency).toNanos();
        if (!jitter.isZero()) {
            d += (long) (jitterRandom.nextDouble() * jitter.toNanos());
        }
        return Math.max(now + d, lastAt); // a WebSocket never reorders the frames of one connection
    }

    /** Sends a raw frame to every connected client. */
    public void broadcastRaw(String frame) {
        for (Conn c : List.copyOf(conns)) {
            c.toClient(frame);
        }
    }

    private void onFrame(Conn from, String text) {
        framesReceived++;
        JsonNode n;
        try {
            n = JSON.readTree(text);
        } catch (Exception e) {
            return; // dropped silently, like the original
        }
        if (n == null || !n.isObject()) {
            return;
        }
        String type = n.path("type").asText("");
        if (!legacy && type.equals("sync_update")) {
            syncUpdate(from, n);
        } else if (!legacy && type.equals("sync_request")) {
            syncRequest(from, n);
        } else if (!legacy && Set.of("device_announce", "sync_heartbeat", "sync_ack", "sync_response").contains(type)) {
            return;
        } else {
            chat(from, (ObjectNode) n);
        }
    }

    private void chat(Conn from, ObjectNode n) {
        String room = n.hasNonNull("roomId") ? n.get("roomId").asText() : n.path("sessionId").asText("undefined");
        rooms.computeIfAbsent(room, k -> new LinkedHashSet<>()).add(from);
        from.sender = n.path("sender").asText(null);
        resendRequests += n.path("type").asText("").equals("resend") ? 1 : 0;
        ObjectNode out = n.deepCopy();
        if (!legacy) {
            long s = ++log.seq;
            out.put("sequenceNumber", s);
            out.put("serverTimestamp", net.scheduler.now().toString());
            ObjectNode stored = JSON.createObjectNode();
            stored.put("sender_wallet", n.path("sender").asText(""));
            stored.put("ciphertext", n.path("message").asText(""));
            stored.put("timestamp", n.path("timestamp").asText(""));
            stored.put("session_id", room);
            stored.put("seq", s);
            store(room, stored);
        }
        String frame = out.toString();
        for (Conn c : fleetMembers(room)) {
            if (c != from) {
                c.toClient(frame);
            }
        }
    }

    private void syncUpdate(Conn from, JsonNode n) {
        String room = n.path("sessionId").asText();
        ArrayNode ackIds = JSON.createArrayNode();
        ArrayNode ackSeqs = JSON.createArrayNode();
        for (JsonNode entry : n.path("messages")) {
            JsonNode m = entry.path("message");
            if (!m.isObject() || !m.has("ciphertext")) {
                send(from, "{\"error\":\"Invalid message entry\"}");
                return; // entries before it stay stored and broadcast; no ack
            }
            String cid = m.path("messageId").asText("");
            if (log.relays.size() > 1 && !cid.isEmpty() && !n.path("resend").asBoolean(false) && !log.ids.add(cid)) {
                ackIds.add(cid); // stored once fleet-wide: acknowledged again, not stored or sent again
                continue;
            }
            long s = ++log.seq;
            ObjectNode stored = ((ObjectNode) m).deepCopy();
            stored.put("seq", s);
            JsonNode vc = entry.has("vectorClock") ? entry.get("vectorClock") : JSON.createObjectNode();
            stored.set("vc", vc);
            store(room, stored);
            ObjectNode out = JSON.createObjectNode();
            out.put("roomId", room);
            out.put("message", m.path("ciphertext").asText());
            out.put("sender", m.path("sender_wallet").asText());
            out.put("timestamp", m.path("timestamp").asText());
            cid = m.path("messageId").asText(Long.toString(s));
            out.put("messageId", keepIds ? cid : Long.toString(s));
            out.put("sequenceNumber", s);
            out.set("vectorClock", vc);
            String frame = out.toString();
            for (Conn c : fleetMembers(room)) {
                if (c != from) {
                    c.toClient(frame);
                }
            }
            ackIds.add(cid);
            ackSeqs.add(s);
        }
        if (!dropAcks) {
            ObjectNode ack = JSON.createObjectNode();
            ack.put("type", "sync_ack");
            ack.put("sessionId", room);
            ack.put("deviceId", "server");
            ack.put("messageId", n.path("messageId").asText());
            ack.set("acknowledgedSequences", ackSeqs);
            ack.set("acknowledgedMessageIds", ackIds);
            send(from, ack.toString());
        }
    }

    private void store(String room, ObjectNode stored) {
        List<ObjectNode> h = log.history.computeIfAbsent(room, k -> new ArrayList<>());
        h.add(stored);
        if (h.size() > historyLimit) {
            h.subList(0, h.size() - historyLimit).clear();
        }
    }

    private void syncRequest(Conn from, JsonNode n) {
        String room = n.path("sessionId").asText();
        long last = n.path("lastSyncedSequence").asLong(0);
        resumedAfter.add(last);
        ObjectNode resp = JSON.createObjectNode();
        resp.put("type", "sync_response");
        resp.put("sessionId", room);
        if (fleetId != null) {
            resp.put("fleetId", fleetId);
        }
        ArrayNode msgs = resp.putArray("messages");
        long latest = 0;
        for (ObjectNode stored : log.history.getOrDefault(room, List.of())) {
            long s = stored.get("seq").asLong();
            latest = Math.max(latest, s);
            if (s > last) {
                ObjectNode m = stored.deepCopy();
                m.remove("seq");
                m.remove("vc");
                ObjectNode e = msgs.addObject();
                e.set("message", m);
                e.put("sequenceNumber", s);
                e.set("vectorClock", stored.has("vc") ? stored.get("vc") : JSON.createObjectNode());
            }
        }
        resp.put("latestSequence", latest);
        String answer = resp.toString();
        Runnable reply = () -> {
            send(from, answer);
            send(from, "{\"type\":\"sync_status\",\"status\":\"completed\",\"progress\":{}}");
        };
        if (resumeDelay.isZero()) {
            reply.run();
        } else {
            net.scheduler.schedule(resumeDelay, reply);
        }
    }

    private void send(Conn c, String frame) {
        c.toClient(frame);
    }

    /** The client's view of one connection to this relay. */
    final class Conn implements RelayConnection {
        private final ConnectionListener listener;
        private boolean closed;          // closed by either side: no new frames either way
        private boolean aborted;         // dropped by the client: frames in flight are lost too
        private boolean closeDelivered;  // onClosed was called
        private String sender;           // from its last chat-path frame
        private long toClientAt;         // when the last frame to the client lands (virtual ns)
        private long toRelayAt;          // when the last frame to the relay lands (virtual ns)
        final SimNetwork.Port port;      // the client's side of the network

        Conn(ConnectionListener listener, SimNetwork.Port port) {
            this.listener = listener;
            this.port = port;
        }

        private boolean cut() {
            return blackhole || net.localDown || port.down;
        }

        void toClient(String frame) {
            if (closed || blackhole) {
                return;
            }
            toClientAt = nextArrival(toClientAt);
            net.scheduler.schedule(Duration.ofNanos(toClientAt - net.scheduler.nanoTime()), () -> {
                if (!closeDelivered && !aborted && !cut()) {
                    listener.onText(frame);
                }
            });
        }

        void serverClose(CloseInfo info) {
            if (closed) {
                return;
            }
            closed = true;
            detach();
            net.scheduler.schedule(Duration.ofNanos(Math.max(toClientAt, nextArrival(0)) - net.scheduler.nanoTime()),
                    deliverClose0(info));
        }

        private Runnable deliverClose0(CloseInfo info) {
            return () -> {
                if (!closeDelivered) {
                    closeDelivered = true;
                    listener.onClosed(info);
                }
            };
        }

        private void detach() {
            conns.remove(this);
            for (Set<Conn> members : rooms.values()) {
                members.remove(this);
            }
        }

        @Override
        public RelayEndpoint endpoint() {
            return endpoint;
        }

        @Override
        public boolean isOpen() {
            return !closed;
        }

        @Override
        public CompletionStage<Result<Result.Done>> send(String text) {
            if (closed) {
                return CompletableFuture.completedFuture(Result.err(ErrorCode.CONNECTION_LOST, "closed"));
            }
            if (!cut()) {
                toRelayAt = nextArrival(toRelayAt);
                net.scheduler.schedule(Duration.ofNanos(toRelayAt - net.scheduler.nanoTime()), () -> {
                    if (!aborted && conns.contains(this) && !cut()) {
                        onFrame(this, text);
                    }
                });
            }
            return CompletableFuture.completedFuture(Result.ok());
        }

        @Override
        public Result<Result.Done> ping() {
            if (closed) {
                return Result.err(ErrorCode.CONNECTION_LOST, "closed");
            }
            long sentAt = net.scheduler.nanoTime();
            pingsReceived++;
            if (!cut()) {
                Duration rtt = (latency != null ? latency : net.latency).multipliedBy(2).plus(pongDelay);
                net.scheduler.schedule(rtt, () -> {
                    if (!closed && !cut()) {
                        listener.onPong(Duration.ofNanos(net.scheduler.nanoTime() - sentAt));
                    }
                });
            }
            return Result.ok();
        }

        @Override
        public void close(int code, String reason) {
            if (closed) {
                return;
            }
            closed = true;
            net.scheduler.schedule(net.latency, () -> {
                detach();
                deliverClose0(new CloseInfo(code, reason, CloseInfo.Kind.LOCAL)).run();
            });
        }

        @Override
        public void abort() {
            if (closed) {
                return;
            }
            closed = true;
            aborted = true;
            detach();
            net.scheduler.schedule(Duration.ZERO, deliverClose0(new CloseInfo(1006, "aborted", CloseInfo.Kind.LOCAL)));
        }
    }
}
