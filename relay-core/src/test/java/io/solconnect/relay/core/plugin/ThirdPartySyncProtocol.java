package io.solconnect.relay.core.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.InboundMessage;
import io.solconnect.relay.api.OutboundMessage;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.Rooms;
import io.solconnect.relay.api.spi.ProtocolFrame;
import io.solconnect.relay.api.spi.RelayProtocol;
import io.solconnect.relay.api.spi.SequencedProtocol;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A protocol plugin written the way a third party would: against {@code relay-api} only (plus its
 * own JSON library), no engine internals. It speaks the wire format of the SolConnect sync relay
 * and offers every optional capability through {@link RelayProtocol#sequencing()}: per-sender
 * serials in a one-entry {@code vectorClock}, marked resume replies ({@code sync_response}) and
 * resend requests. The engine scenarios run against it ({@code ThirdPartyProtocolFailoverTest})
 * prove that the capabilities reach the engine through the public SPI. Stateless and thread-safe.
 */
public final class ThirdPartySyncProtocol implements RelayProtocol, SequencedProtocol {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int maxFrameBytes;

    /** A codec whose frames (and payloads) stay within {@code maxFrameBytes} UTF-8 bytes. */
    public ThirdPartySyncProtocol(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    public Optional<SequencedProtocol> sequencing() {
        return Optional.of(this);
    }

    @Override
    public boolean marksResumeReplies() {
        return true;
    }

    @Override
    public boolean acknowledges() {
        return true;
    }

    @Override
    public Result<String> encode(OutboundMessage message) {
        return encode(message, null, false);
    }

    @Override
    public Result<String> encode(OutboundMessage message, Origin origin) {
        return encode(message, origin, false);
    }

    @Override
    public Result<String> encodeResent(OutboundMessage message, Origin origin) {
        return encode(message, origin, true);
    }

    private Result<String> encode(OutboundMessage m, Origin origin, boolean resent) {
        if (m.payloadBytes() > maxFrameBytes) {
            return Result.err(ErrorCode.TOO_LARGE, "payload of " + m.payloadBytes() + " bytes is over " + maxFrameBytes);
        }
        ObjectNode frame = JSON.createObjectNode();
        frame.put("type", "sync_update");
        frame.put("sessionId", m.room());
        frame.put("deviceId", m.sender());
        frame.put("timestamp", m.createdAt().toString());
        frame.put("messageId", m.id());
        if (resent) {
            frame.put("resend", true);
        }
        ObjectNode entry = frame.putArray("messages").addObject();
        ObjectNode inner = entry.putObject("message");
        inner.put("sender_wallet", m.sender());
        inner.put("ciphertext", m.payload());
        inner.put("timestamp", m.createdAt().toString());
        inner.put("session_id", m.room());
        inner.put("messageId", m.id());
        if (origin != null) {
            entry.putObject("vectorClock").put(origin.origin(), origin.serial());
        }
        String text = frame.toString();
        return Rooms.utf8Length(text) > maxFrameBytes ? Result.err(ErrorCode.TOO_LARGE, "frame over " + maxFrameBytes + " bytes")
                : Result.ok(text);
    }

    @Override
    public List<String> joinFrames(String room, String sender) {
        ObjectNode n = chat(room, sender);
        n.put("type", "join");
        return List.of(n.toString());
    }

    @Override
    public Optional<String> resumeFrame(String room, String sender, long lastSequence) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", "sync_request");
        n.put("sessionId", room);
        n.put("deviceId", sender);
        n.put("lastSyncedSequence", Math.max(0, lastSequence));
        return Optional.of(n.toString());
    }

    @Override
    public Optional<String> resendFrame(Resend r, String sender) {
        ObjectNode n = chat(r.room(), sender);
        n.put("type", "resend");
        n.put("origin", r.origin());
        n.put("from", r.from());
        n.put("to", r.to());
        return Optional.of(n.toString());
    }

    private static ObjectNode chat(String room, String sender) {
        ObjectNode n = JSON.createObjectNode();
        n.put("roomId", room);
        n.put("message", "");
        n.put("sender", sender);
        n.put("timestamp", Instant.EPOCH.toString());
        return n;
    }

    @Override
    public ProtocolFrame decode(String relay, String frame, Instant receivedAt) {
        return decodeSequenced(relay, frame, receivedAt).frame();
    }

    @Override
    public Decoded decodeSequenced(String relay, String frame, Instant receivedAt) {
        try {
            if (Rooms.utf8Length(frame) > maxFrameBytes * 4L + 65_536) {
                return new Decoded(new ProtocolFrame.Malformed("frame too large"), List.of());
            }
            JsonNode n = JSON.readTree(frame);
            if (n == null || !n.isObject()) {
                return new Decoded(new ProtocolFrame.Malformed("not a JSON object"), List.of());
            }
            String type = n.path("type").asText("");
            if (type.isEmpty() && n.has("error") && !n.has("roomId")) {
                return new Decoded(new ProtocolFrame.Error(n.get("error").asText()), List.of());
            }
            return switch (type) {
                case "" -> chatFrame(relay, n, receivedAt);
                case "sync_ack" -> ack(n);
                case "sync_response" -> history(relay, n, receivedAt);
                case "resend" -> resend(n);
                default -> new Decoded(new ProtocolFrame.Ignored(type), List.of());
            };
        } catch (Exception e) { // hostile input must never escape as an exception
            return new Decoded(new ProtocolFrame.Malformed("unreadable frame: " + e.getClass().getSimpleName()), List.of());
        }
    }

    private static Decoded chatFrame(String relay, JsonNode n, Instant at) {
        String room = n.has("roomId") ? n.path("roomId").asText("") : n.path("sessionId").asText("");
        if (room.isEmpty() || !n.path("message").isTextual()) {
            return new Decoded(new ProtocolFrame.Malformed("chat frame without a room or a text message"), List.of());
        }
        String payload = n.get("message").asText();
        if (payload.isEmpty()) {
            return new Decoded(new ProtocolFrame.Ignored("a room join"), List.of());
        }
        OptionalLong seq = n.path("sequenceNumber").canConvertToLong() ? OptionalLong.of(n.get("sequenceNumber").asLong())
                : OptionalLong.empty();
        Optional<String> id = text(n, "messageId");
        if (id.isPresent() && seq.isPresent() && id.get().equals(Long.toString(seq.getAsLong()))) {
            id = Optional.empty(); // the relay replaced the client's id with its sequence number
        }
        InboundMessage m = new InboundMessage(relay, room, text(n, "sender").orElse(""), payload, id,
                instant(n.get("timestamp")), at, seq);
        return new Decoded(new ProtocolFrame.Deliver(List.of(m)), List.of(origin(n.get("vectorClock"))));
    }

    private static Decoded history(String relay, JsonNode n, Instant at) {
        String room = n.path("sessionId").asText("");
        if (room.isEmpty() || !n.path("messages").isArray()) {
            return new Decoded(new ProtocolFrame.Malformed("sync_response without a room or messages"), List.of(),
                    Optional.empty(), true);
        }
        List<InboundMessage> out = new ArrayList<>();
        List<Optional<Origin>> origins = new ArrayList<>();
        for (JsonNode entry : n.get("messages")) {
            JsonNode m = entry.path("message");
            String payload = m.path("ciphertext").asText("");
            if (!m.isObject() || payload.isEmpty()) {
                continue;
            }
            OptionalLong seq = entry.path("sequenceNumber").canConvertToLong()
                    ? OptionalLong.of(entry.get("sequenceNumber").asLong()) : OptionalLong.empty();
            out.add(new InboundMessage(relay, room, text(m, "sender_wallet").orElse(""), payload, text(m, "messageId"),
                    instant(m.get("timestamp")), at, seq));
            origins.add(origin(entry.get("vectorClock")));
        }
        return new Decoded(new ProtocolFrame.Deliver(out), origins, Optional.empty(), true);
    }

    private static Decoded ack(JsonNode n) {
        List<String> ids = new ArrayList<>();
        for (JsonNode id : n.path("acknowledgedMessageIds")) {
            ids.add(id.asText());
        }
        return new Decoded(new ProtocolFrame.Ack(ids), List.of());
    }

    private static Decoded resend(JsonNode n) {
        String room = n.path("roomId").asText("");
        String origin = n.path("origin").asText("");
        long from = n.path("from").asLong(0);
        long to = n.path("to").asLong(0);
        if (room.isEmpty() || origin.isEmpty() || from < 1 || to < from || to - from >= 10_000) {
            return new Decoded(new ProtocolFrame.Malformed("bad resend request"), List.of());
        }
        return new Decoded(new ProtocolFrame.Ignored("resend request"), List.of(),
                Optional.of(new Resend(room, origin, from, to)), false);
    }

    private static Optional<Origin> origin(JsonNode vc) {
        if (vc == null || !vc.isObject() || vc.size() != 1) {
            return Optional.empty();
        }
        Iterator<Map.Entry<String, JsonNode>> it = vc.fields();
        Map.Entry<String, JsonNode> e = it.next();
        return e.getValue().canConvertToLong() && e.getValue().asLong() >= 1
                ? Optional.of(new Origin(e.getKey(), e.getValue().asLong())) : Optional.empty();
    }

    private static Optional<String> text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.isTextual() ? Optional.of(v.asText()) : Optional.empty();
    }

    private static Optional<Instant> instant(JsonNode n) {
        try {
            return n != null && n.isTextual() ? Optional.of(Instant.parse(n.asText())) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
