package io.solconnect.relay.examples.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * The frames of a relay of a fleet that touch messages: {@link SyncRelay} has checked them and
 * hands them here instead of to its rooms. Accepted messages go to the {@link Backplane}; the
 * sender's ack waits for it (or becomes an error when the log does not store them in time); members
 * get them back from the log; {@code sync_request} reads the log. The replies are built as
 * {@link SyncRelay} builds them, so clients see the same frames. Thread-safe (holds no state).
 */
final class FleetFrames {

    private final Backplane backplane;
    private final SyncRelay replies;
    private final ObjectMapper json;
    private final Clock clock;

    FleetFrames(Backplane backplane, SyncRelay replies, ObjectMapper json, Clock clock) {
        this.backplane = backplane;
        this.replies = replies;
        this.json = json;
        this.clock = clock;
    }

    /** A chat-path message (not a join or resend); acknowledged when it has a client id. */
    void chat(Peer from, ObjectNode frame, String roomId, String clientId, JsonNode message) {
        long now = clock.millis();
        ObjectNode out = frame.deepCopy().put("serverTimestamp", now);
        ObjectNode entry = replies.historyEntry(roomId, frame.path("sender").asText(""),
                message == null ? "" : message.asText(), frame.get("timestamp"), clientId, 0, now,
                frame.path("deviceId").asText(""), frame.get("vectorClock"));
        entry.remove("sequenceNumber");
        append(from, List.of(new Backplane.Outgoing(roomId, Optional.ofNullable(clientId), entry, out)),
                clientId == null ? null : seqs -> replies.ack(roomId, clientId, seqs, List.of(clientId)));
    }

    /**
     * A checked {@code sync_update}: every entry goes to the log (an entry the log holds already is
     * not stored or delivered again, resend or not), then one ack for all.
     */
    void syncUpdate(Peer from, ObjectNode frame, String sessionId, String deviceId, List<ObjectNode> entries)
            throws SyncRelay.BadFrame {
        long now = clock.millis();
        List<Backplane.Outgoing> out = new ArrayList<>();
        List<String> clientIds = new ArrayList<>();
        for (ObjectNode e : entries) {
            ObjectNode m = (ObjectNode) e.get("message");
            String clientId = SyncRelay.optId(m, "messageId");
            ObjectNode entry = replies.historyEntry(sessionId, m.path("sender_wallet").asText(""),
                    m.get("ciphertext").asText(), m.get("timestamp"), clientId, 0, now, deviceId, e.get("vectorClock"));
            entry.remove("sequenceNumber");
            ObjectNode b = replies.broadcastNode(sessionId, m, e, clientId, 0, now);
            b.remove("sequenceNumber");
            if (clientId == null) {
                b.remove("messageId"); // the log's sequence stands in for it, as in the original
            }
            out.add(new Backplane.Outgoing(sessionId, Optional.ofNullable(clientId), entry, b));
            clientIds.add(clientId);
        }
        String updateId = frame.path("messageId").asText("");
        append(from, out, seqs -> {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < seqs.size(); i++) {
                ids.add(clientIds.get(i) == null ? Long.toString(seqs.get(i)) : clientIds.get(i));
            }
            return replies.ack(sessionId, updateId, seqs, ids);
        });
    }

    /** A {@code sync_request}: the same two replies as a single relay's, from the log. */
    void syncRequest(Peer from, String sessionId, long after, int limit) throws SyncRelay.BadFrame {
        Backplane.History h;
        try {
            h = backplane.history(sessionId, after, limit);
        } catch (IOException e) {
            throw new SyncRelay.BadFrame("history unavailable: the fleet's message log cannot be read ("
                    + e.getMessage() + ")");
        }
        ObjectNode resp = json.createObjectNode();
        resp.put("type", "sync_response").put("sessionId", sessionId);
        replies.fleetId().ifPresent(f -> resp.put("fleetId", f));
        ArrayNode list = resp.putArray("messages");
        h.entries().forEach(list::add);
        resp.put("latestSequence", h.latestSequence());
        resp.putObject("serverVectorClock");
        from.send(resp.toString());
        ObjectNode status = json.createObjectNode();
        status.put("type", "sync_status").put("sessionId", sessionId).put("status", "completed");
        status.putObject("progress").put("total", h.entries().size()).put("synced", h.entries().size());
        from.send(status.toString());
    }

    /**
     * Stores messages in the log; the sender gets {@code ackOf}'s ack (when not null) once they are
     * stored, or an error when the log cannot store them in time.
     */
    private void append(Peer from, List<Backplane.Outgoing> messages, Function<List<Long>, ObjectNode> ackOf) {
        backplane.append(from, messages).whenComplete((seqs, err) -> {
            if (err != null) {
                Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
                from.send(json.createObjectNode().put("error", "not stored: the fleet's message log did not accept "
                        + messages.size() + " message(s) in time (" + cause.getClass().getSimpleName()
                        + "); nothing was acknowledged, send them again").toString());
            } else if (ackOf != null) {
                from.send(ackOf.apply(seqs).toString());
            }
        });
    }
}
