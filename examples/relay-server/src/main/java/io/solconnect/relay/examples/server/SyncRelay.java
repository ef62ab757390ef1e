package io.solconnect.relay.examples.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code solconnect-sync} relay logic, compatible with the original {@code relay-sync.js} and
 * without its rough edges (see {@link RelayServer}), and with per-connection limits
 * ({@link RelayServerOptions.Limits}): rooms joined, frames and resends per second, devices per
 * room. Rooms with nothing in them are freed. Thread-safe: state lives in {@link Room}s, each used
 * under its own monitor (never two at once on one thread, except the room scan that frees an idle
 * room, which holds no other).
 *
 * <p>With a {@link Backplane} (a relay of a fleet), accepted messages go to the shared log instead
 * of the room's own history: the sender is acknowledged once the log stored them, members (here
 * and on every other relay of the fleet) get them from the log through {@link #deliver}, and
 * {@code sync_request} reads the log. Sequences are then the log's.
 */
final class SyncRelay {

    static final int MAX_ID_LENGTH = 256;
    static final int MAX_ENTRIES_PER_UPDATE = 1000;

    private final RelayServerOptions options;
    private final Clock clock;
    private final ObjectMapper json;
    private final Map<String, Room> rooms = new ConcurrentHashMap<>();
    private final Map<Peer, Set<Room>> memberships = new ConcurrentHashMap<>();
    private final Map<Peer, ConnectionBudget> budgets = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong droppedOverRate = new java.util.concurrent.atomic.AtomicLong();
    private final Optional<Backplane> backplane;
    private final Optional<FleetFrames> fleet;

    /** Starts the backplane of a relay of a fleet, given where its messages go. */
    interface BackplaneStarter {
        Backplane start(Backplane.Sink sink, ObjectMapper json) throws IOException;
    }

    /** Work done under a room's monitor. */
    private interface RoomWork {
        void run(Room room) throws BadFrame;
    }

    SyncRelay(RelayServerOptions options, Clock clock) {
        this(options, clock, newMapper(options), Optional.empty());
    }

    private SyncRelay(RelayServerOptions options, Clock clock, ObjectMapper json, Optional<Backplane> backplane) {
        this.options = options;
        this.clock = clock;
        this.json = json;
        this.backplane = backplane;
        this.fleet = backplane.map(b -> new FleetFrames(b, this, json, clock));
    }

    /**
     * A relay of a fleet: its messages go through the backplane, started here.
     *
     * @throws IOException when the backplane cannot start
     */
    static SyncRelay withBackplane(RelayServerOptions options, Clock clock, BackplaneStarter starter) throws IOException {
        ObjectMapper json = newMapper(options);
        // the log may deliver before the relay exists: it has no rooms then, so nothing is missed
        java.util.concurrent.atomic.AtomicReference<SyncRelay> self = new java.util.concurrent.atomic.AtomicReference<>();
        Backplane b = starter.start((room, except, frame) -> {
            SyncRelay r = self.get();
            if (r != null) {
                r.deliver(room, except, frame);
            }
        }, json);
        SyncRelay r = new SyncRelay(options, clock, json, Optional.of(b));
        self.set(r);
        return r;
    }

    private static ObjectMapper newMapper(RelayServerOptions options) {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(32)
                        .maxNumberLength(64)
                        .maxStringLength(options.maxFrameBytes())
                        .maxNameLength(MAX_ID_LENGTH)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        return new ObjectMapper(factory);
    }

    /** Thrown for input that gets an {@code {"error": ...}} reply. */
    static final class BadFrame extends Exception {
        BadFrame(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Handles one inbound frame; replies and broadcasts go out through the peers.
     *
     * @param from the sender
     * @param text the frame
     */
    void onFrame(Peer from, String text) {
        ConnectionBudget.Verdict verdict = budgets.computeIfAbsent(from, k -> new ConnectionBudget(options.limits()))
                .frame(clock.millis());
        if (verdict != ConnectionBudget.Verdict.OK) {
            droppedOverRate.incrementAndGet();
        }
        if (verdict == ConnectionBudget.Verdict.OVER) {
            return;
        }
        try {
            if (verdict == ConnectionBudget.Verdict.FIRST_OVER) {
                throw new BadFrame("more than " + options.limits().framesPerSecond()
                        + " frames in one second from this connection: the rest of this second's frames are dropped");
            }
            int bytes = text.length() > options.maxFrameBytes() / 3 ? text.getBytes(StandardCharsets.UTF_8).length : 0;
            if (bytes > options.maxFrameBytes()) {
                throw new BadFrame("frame of " + bytes + " bytes is over the limit of " + options.maxFrameBytes());
            }
            JsonNode node;
            try {
                node = json.readTree(text);
            } catch (JsonProcessingException e) {
                throw new BadFrame("invalid JSON: " + e.getOriginalMessage());
            }
            if (node == null || !node.isObject()) {
                throw new BadFrame("frame must be a JSON object");
            }
            ObjectNode frame = (ObjectNode) node;
            String type = optText(frame, "type");
            switch (type == null ? "" : type) {
                case "sync_update" -> syncUpdate(from, frame);
                case "sync_request" -> syncRequest(from, frame);
                case "device_announce" -> deviceAnnounce(from, frame);
                case "sync_heartbeat" -> { }
                default -> chat(from, frame, type);
            }
        } catch (BadFrame e) {
            ObjectNode err = json.createObjectNode().put("error", e.getMessage());
            from.send(err.toString());
        }
    }

    /** Forgets a peer that disconnected. */
    void onLeave(Peer p) {
        budgets.remove(p);
        backplane.ifPresent(b -> b.forget(p));
        Set<Room> joined = memberships.remove(p);
        if (joined == null) {
            return;
        }
        for (Room r : joined) {
            synchronized (r) {
                r.leave(p);
                freeIfEmpty(r);
            }
        }
    }

    // ---- frame kinds

    private void chat(Peer from, ObjectNode frame, String type) throws BadFrame {
        String roomId = optId(frame, "roomId");
        if (roomId == null) {
            roomId = optId(frame, "sessionId");
        }
        if (roomId == null) {
            throw new BadFrame("roomId (or sessionId) is required and must be a non-empty string");
        }
        String clientId = optId(frame, "messageId");
        JsonNode message = frame.get("message");
        if (message != null && !message.isTextual()) {
            throw new BadFrame("message must be a string");
        }
        String rid = roomId;
        inRoom(roomId, room -> chatIn(from, frame, type, rid, clientId, message, room));
    }

    /** A chat-path frame, under the room's monitor. */
    private void chatIn(Peer from, ObjectNode frame, String type, String roomId, String clientId, JsonNode message,
                        Room room) throws BadFrame {
        join(from, room);
        if ("join".equals(type)) {
            if (clientId != null) {
                from.send(ack(roomId, clientId, List.of(), List.of(clientId)).toString());
            }
            return;
        }
        if ("resend".equals(type)) {
            if (!budget(from).resend(clock.millis())) {
                throw new BadFrame("more than " + options.limits().resendsPerSecond()
                        + " resend frames in one second from this connection: not forwarded");
            }
            room.broadcast(from, frame.toString()); // a request between members: nothing to keep
            return;
        }
        if (fleet.isPresent()) {
            fleet.get().chat(from, frame, roomId, clientId, message);
            return;
        }
        Long earlier = room.seen(clientId);
        long seq;
        if (earlier != null) {
            seq = earlier;
        } else {
            seq = room.nextSequence();
            long now = clock.millis();
            ObjectNode out = frame.deepCopy();
            out.put("sequenceNumber", seq).put("serverTimestamp", now);
            room.store(seq, clientId, historyEntry(roomId, frame.path("sender").asText(""),
                    message == null ? "" : message.asText(), frame.get("timestamp"), clientId, seq, now,
                    frame.path("deviceId").asText(""), frame.get("vectorClock")));
            room.broadcast(from, out.toString());
        }
        if (clientId != null) {
            from.send(ack(roomId, clientId, List.of(seq), List.of(clientId)).toString());
        }
    }

    private void syncUpdate(Peer from, ObjectNode frame) throws BadFrame {
        String sessionId = requireId(frame, "sessionId");
        String deviceId = frame.path("deviceId").asText("");
        JsonNode messages = frame.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw new BadFrame("messages must be a non-empty array");
        }
        if (messages.size() > MAX_ENTRIES_PER_UPDATE) {
            throw new BadFrame("messages holds " + messages.size() + " entries, at most " + MAX_ENTRIES_PER_UPDATE
                    + " are accepted");
        }
        // Validate every entry first: a bad entry rejects the whole update, so nothing is half stored.
        List<ObjectNode> entries = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode e = messages.get(i);
            JsonNode m = e.get("message");
            if (!e.isObject() || m == null || !m.isObject()) {
                throw new BadFrame("messages[" + i + "].message must be an object");
            }
            JsonNode cipher = m.get("ciphertext");
            if (cipher == null || !cipher.isTextual()) {
                throw new BadFrame("messages[" + i + "].message.ciphertext must be a string");
            }
            JsonNode wallet = m.get("sender_wallet");
            if (wallet != null && !wallet.isTextual()) {
                throw new BadFrame("messages[" + i + "].message.sender_wallet must be a string");
            }
            try {
                optId((ObjectNode) m, "messageId");
            } catch (BadFrame b) {
                throw new BadFrame("messages[" + i + "]." + b.getMessage());
            }
            entries.add((ObjectNode) e);
        }
        JsonNode resendFlag = frame.get("resend");
        if (resendFlag != null && !resendFlag.isBoolean()) {
            throw new BadFrame("resend must be true or false");
        }
        // a throttled resend is still stored and acked; only the repeat broadcast is skipped
        boolean resend = resendFlag != null && resendFlag.booleanValue() && budget(from).resend(clock.millis());
        if (fleet.isPresent()) {
            fleet.get().syncUpdate(from, frame, sessionId, deviceId, entries);
            return;
        }
        inRoom(sessionId, room -> {
            List<Long> seqs = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (ObjectNode e : entries) {
                ObjectNode m = (ObjectNode) e.get("message");
                String clientId = optId(m, "messageId");
                Long earlier = room.seen(clientId);
                long seq;
                long now = clock.millis();
                if (earlier != null) {
                    seq = earlier;
                    if (resend) {
                        room.broadcast(from, broadcastOf(sessionId, m, e, clientId, seq, now));
                    }
                } else {
                    seq = room.nextSequence();
                    String wallet = m.path("sender_wallet").asText("");
                    String cipher = m.get("ciphertext").asText();
                    room.store(seq, clientId, historyEntry(sessionId, wallet, cipher, m.get("timestamp"), clientId, seq,
                            now, deviceId, e.get("vectorClock")));
                    room.broadcast(from, broadcastOf(sessionId, m, e, clientId, seq, now));
                }
                seqs.add(seq);
                ids.add(clientId == null ? Long.toString(seq) : clientId);
            }
            ObjectNode ack = ack(sessionId, frame.path("messageId").asText(""), seqs, ids);
            from.send(ack.toString());
        });
    }

    /**
     * Hands a message of the fleet's log to this relay's members of its room (the {@link Backplane.Sink}).
     * A room with no members here has nobody to tell.
     */
    private void deliver(String roomId, Optional<Peer> except, String frame) {
        Room r = rooms.get(roomId);
        if (r == null) {
            return;
        }
        synchronized (r) {
            if (!r.freed()) {
                r.broadcast(except.orElse(null), frame);
            }
        }
    }

    /** Stops the fleet's backplane, if any: nothing more is delivered. */
    void close() {
        backplane.ifPresent(Backplane::close);
    }

    /** The chat-path frame members get for one {@code sync_update} entry. */
    private String broadcastOf(String sessionId, ObjectNode m, ObjectNode entry, String clientId, long seq, long now) {
        return broadcastNode(sessionId, m, entry, clientId, seq, now).toString();
    }

    ObjectNode broadcastNode(String sessionId, ObjectNode m, ObjectNode entry, String clientId, long seq, long now) {
        ObjectNode out = json.createObjectNode();
        out.put("roomId", sessionId).put("message", m.get("ciphertext").asText()).put("sender", m.path("sender_wallet").asText(""));
        out.set("timestamp", m.get("timestamp") == null ? json.getNodeFactory().numberNode(now) : m.get("timestamp"));
        out.put("messageId", clientId == null ? Long.toString(seq) : clientId);
        out.put("sequenceNumber", seq).put("serverTimestamp", now);
        out.set("vectorClock", entry.get("vectorClock") == null ? json.createObjectNode() : entry.get("vectorClock"));
        return out;
    }

    /** The fleet id this relay reports in {@code relay_info} and {@code sync_response}, if any. */
    Optional<String> fleetId() {
        return options.fleetId();
    }

    /** The smallest part size a client may ask for; smaller requests are raised to it. */
    static final int MIN_PART_BYTES = 1024;

    /**
     * Answers a resume request. Without {@code maxFrameBytes} in the request the answer is one
     * {@code sync_response} holding every stored message after {@code lastSyncedSequence}, as the
     * original relay sends it. With it (a positive integer, raised to at least
     * {@value #MIN_PART_BYTES}), the answer is split into parts of at most that many UTF-8 bytes
     * (a part holds at least one entry, so one entry larger than that makes a larger part), each
     * with {@code "more": true} but the last ({@code "more": false}) and its index in
     * {@code "part"} from 0. Then one {@code sync_status}.
     */
    private void syncRequest(Peer from, ObjectNode frame) throws BadFrame {
        String sessionId = requireId(frame, "sessionId");
        JsonNode last = frame.get("lastSyncedSequence");
        long lastSynced = 0;
        if (last != null && !last.isNull()) {
            if (!last.canConvertToLong() || !last.isIntegralNumber() || last.asLong() < 0) {
                throw new BadFrame("lastSyncedSequence must be a non-negative integer");
            }
            lastSynced = last.asLong();
        }
        JsonNode max = frame.get("maxFrameBytes");
        long partBytes = Long.MAX_VALUE;
        if (max != null && !max.isNull()) {
            if (!max.canConvertToLong() || !max.isIntegralNumber() || max.asLong() < 1) {
                throw new BadFrame("maxFrameBytes must be a positive integer");
            }
            partBytes = Math.max(MIN_PART_BYTES, max.asLong());
        }
        long after = lastSynced;
        long limit = partBytes;
        boolean split = max != null && !max.isNull();
        if (fleet.isPresent()) {
            // the fleet's answer comes from the shared log in one frame (not split yet)
            fleet.get().syncRequest(from, sessionId, after, options.historyPerRoom());
            return;
        }
        inRoom(sessionId, room -> {
            List<Room.Stored> missed = room.after(after);
            for (String part : responseParts(sessionId, missed, room.latestSequence(), split, limit)) {
                from.send(part);
            }
            ObjectNode status = json.createObjectNode();
            status.put("type", "sync_status").put("sessionId", sessionId).put("status", "completed");
            status.putObject("progress").put("total", missed.size()).put("synced", missed.size());
            from.send(status.toString());
        });
    }

    /** The {@code sync_response} frames for {@code missed}: one, or parts of at most {@code limit} bytes. */
    private List<String> responseParts(String sessionId, List<Room.Stored> missed, long latest, boolean split, long limit) {
        if (!split) {
            return List.of(response(sessionId, missed, latest, -1, false));
        }
        // the frame's bytes besides its entries: the envelope with an empty list, and a comma per entry
        long envelope = utf8(response(sessionId, List.of(), latest, Integer.MAX_VALUE, false));
        List<String> parts = new ArrayList<>();
        List<Room.Stored> part = new ArrayList<>();
        long bytes = envelope;
        for (Room.Stored s : missed) {
            long entry = utf8(s.entry().toString()) + 1;
            if (!part.isEmpty() && bytes + entry > limit) {
                parts.add(response(sessionId, part, latest, parts.size(), true));
                part = new ArrayList<>();
                bytes = envelope;
            }
            part.add(s);
            bytes += entry;
        }
        parts.add(response(sessionId, part, latest, parts.size(), false));
        return parts;
    }

    /** One {@code sync_response}; with {@code index >= 0} a part, marked with {@code "part"} and {@code "more"}. */
    private String response(String sessionId, List<Room.Stored> entries, long latest, int index, boolean more) {
        ObjectNode resp = json.createObjectNode();
        resp.put("type", "sync_response").put("sessionId", sessionId);
        options.fleetId().ifPresent(f -> resp.put("fleetId", f));
        ArrayNode list = resp.putArray("messages");
        entries.forEach(s -> list.add(s.entry()));
        resp.put("latestSequence", latest);
        resp.putObject("serverVectorClock");
        if (index >= 0) {
            resp.put("part", index).put("more", more);
        }
        return resp.toString();
    }

    private static long utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private void deviceAnnounce(Peer from, ObjectNode frame) throws BadFrame {
        String sessionId = requireId(frame, "sessionId");
        String deviceId = requireId(frame, "deviceId");
        inRoom(sessionId, room -> {
            boolean added = room.addDevice(deviceId, options.limits().devicesPerRoom());
            if (!added && !room.hasDevice(deviceId)) {
                throw new BadFrame("room " + sessionId + " lists its maximum of " + options.limits().devicesPerRoom()
                        + " devices");
            }
            ObjectNode list = json.createObjectNode();
            list.put("type", "device_list").put("sessionId", sessionId);
            ArrayNode devices = list.putArray("devices");
            room.devices().forEach(devices::add);
            if (added) {
                room.broadcastAll(list.toString());
            } else {
                from.send(list.toString()); // nothing changed: only the announcer needs the list
            }
        });
    }

    // ---- helpers

    ObjectNode ack(String sessionId, String messageId, List<Long> seqs, List<String> ids) {
        ObjectNode ack = json.createObjectNode();
        ack.put("type", "sync_ack").put("sessionId", sessionId).put("deviceId", "server")
                .put("timestamp", clock.millis()).put("messageId", messageId);
        ArrayNode s = ack.putArray("acknowledgedSequences");
        seqs.forEach(s::add);
        ArrayNode i = ack.putArray("acknowledgedMessageIds");
        ids.forEach(i::add);
        ack.putObject("vectorClock");
        return ack;
    }

    /**
     * The {@code sync_response} entry for a stored message. The sender's vector clock is kept, as
     * the original relay keeps it: clients order each sender's messages by it, and a copy that comes
     * back from history without it could not take its place in that order.
     */
    ObjectNode historyEntry(String roomId, String wallet, String cipher, JsonNode timestamp, String clientId,
                                    long seq, long now, String deviceId, JsonNode vectorClock) {
        ObjectNode entry = json.createObjectNode();
        ObjectNode m = entry.putObject("message");
        m.put("sender_wallet", wallet).put("ciphertext", cipher);
        m.set("timestamp", timestamp == null ? json.getNodeFactory().numberNode(now) : timestamp);
        m.put("session_id", roomId);
        if (clientId != null) {
            m.put("messageId", clientId);
        }
        entry.put("sequenceNumber", seq);
        if (vectorClock != null && vectorClock.isObject()) {
            entry.set("vectorClock", vectorClock.deepCopy());
        } else {
            entry.putObject("vectorClock");
        }
        entry.put("serverTimestamp", now);
        entry.put("originalDeviceId", deviceId);
        return entry;
    }

    /**
     * Runs work under the monitor of the room with this id, creating the room when needed (freeing
     * a room without members when at the cap), and frees the room afterwards when it is left with
     * no members and no history.
     */
    private void inRoom(String id, RoomWork work) throws BadFrame {
        while (true) {
            Room r = room(id);
            synchronized (r) {
                if (r.freed()) {
                    continue; // freed between the lookup and the lock: take the new one
                }
                try {
                    work.run(r);
                } finally {
                    freeIfEmpty(r);
                }
                return;
            }
        }
    }

    private Room room(String id) throws BadFrame {
        Room r = rooms.get(id);
        if (r != null) {
            return r;
        }
        if (rooms.size() >= options.maxRooms() && !freeOneIdleRoom()) {
            throw new BadFrame("this relay holds its maximum of " + options.maxRooms() + " rooms, all with members");
        }
        return rooms.computeIfAbsent(id, k -> new Room(k, options.historyPerRoom(), options.idsPerRoom()));
    }

    /** Frees one room that has no members (its history goes with it); false when every room has members. */
    private boolean freeOneIdleRoom() {
        for (Room r : rooms.values()) {
            synchronized (r) {
                if (!r.freed() && r.hasNoMembers()) {
                    r.free();
                    rooms.remove(r.id, r);
                    return true;
                }
            }
        }
        return false;
    }

    /** Frees a room with no members and no history; the caller holds its monitor. */
    private void freeIfEmpty(Room r) {
        if (!r.freed() && r.isEmpty()) {
            r.free();
            rooms.remove(r.id, r);
        }
    }

    private ConnectionBudget budget(Peer p) {
        return budgets.computeIfAbsent(p, k -> new ConnectionBudget(options.limits()));
    }

    private void join(Peer p, Room r) throws BadFrame {
        if (r.isMember(p)) {
            return;
        }
        Set<Room> joined = memberships.computeIfAbsent(p, k -> ConcurrentHashMap.newKeySet());
        if (joined.size() >= options.limits().roomsPerConnection()) {
            throw new BadFrame("this connection is in its maximum of " + options.limits().roomsPerConnection()
                    + " rooms; leave one (reconnect) before joining " + r.id);
        }
        r.join(p);
        joined.add(r);
    }

    private static String optText(ObjectNode frame, String field) throws BadFrame {
        JsonNode v = frame.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new BadFrame(field + " must be a string");
        }
        return v.asText();
    }

    static String optId(ObjectNode frame, String field) throws BadFrame {
        String v = optText(frame, field);
        if (v == null) {
            return null;
        }
        if (v.isEmpty() || v.length() > MAX_ID_LENGTH) {
            throw new BadFrame(field + " must be 1.." + MAX_ID_LENGTH + " characters, was " + v.length());
        }
        return v;
    }

    private static String requireId(ObjectNode frame, String field) throws BadFrame {
        String v = optId(frame, field);
        if (v == null) {
            throw new BadFrame(field + " is required");
        }
        return v;
    }

    /** Frames dropped (or answered only with an error) over the per-second limit. */
    long framesDroppedOverRate() {
        return droppedOverRate.get();
    }

    /** For tests and status: how many rooms exist. */
    int roomCount() {
        return rooms.size();
    }
}
