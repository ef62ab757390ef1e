package io.solconnect.relay.core.internal.protocol;

import static io.solconnect.relay.core.internal.protocol.JsonFields.instant;
import static io.solconnect.relay.core.internal.protocol.JsonFields.optionalText;
import static io.solconnect.relay.core.internal.protocol.JsonFields.sequence;
import static io.solconnect.relay.core.internal.protocol.JsonFields.text;
import static io.solconnect.relay.core.internal.protocol.JsonFields.validRoom;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.InboundMessage;
import io.solconnect.relay.api.OutboundMessage;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.Rooms;
import io.solconnect.relay.api.spi.ProtocolFrame;
import io.solconnect.relay.api.spi.SequencedProtocol;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The JSON reading and writing shared by both SolConnect protocols. Every inbound frame is
 * untrusted: its size is checked before parsing, the parser refuses deep nesting, long numbers and
 * long strings, unknown fields are ignored, and each field is checked for type and length. Nothing
 * here throws into the engine: problems come back as {@link ProtocolFrame.Malformed}. Thread-safe.
 */
final class JsonFrames {

    /** Deepest nesting accepted; SolConnect frames need 4. */
    static final int MAX_NESTING_DEPTH = 16;
    /** Longest number literal accepted, in characters. */
    static final int MAX_NUMBER_LENGTH = 24;
    /** Longest sender, device or message id accepted, in characters. */
    static final int MAX_ID_LENGTH = 256;
    /** Most entries accepted in one {@code sync_response} or acknowledgement. */
    static final int MAX_BATCH = 10_000;
    /** The {@code type} value of the join frame this framework sends on the chat path. */
    static final String JOIN_TYPE = "join";
    /**
     * The {@code type} value of the resend request this framework sends on the chat path (an
     * empty chat frame, so relays that store it return nothing for it on resume).
     */
    static final String RESEND_TYPE = "resend";
    /** The {@code type} of the relay's answer to a resume request. */
    static final String RESUME_REPLY_TYPE = "sync_response";
    /**
     * The {@code type} of the frame a relay of a fleet sends right after a connection opens:
     * {@code {"type":"relay_info","fleetId":"<id>"}}. The original relays never send it.
     */
    static final String RELAY_INFO_TYPE = "relay_info";
    /** The field that carries a relay's fleet id, in {@code relay_info} and {@code sync_response}. */
    static final String FLEET_FIELD = "fleetId";
    /** Longest fleet claim passed on as sent; longer ones are cut here (and are malformed anyway). */
    static final int MAX_FLEET_CLAIM = 129;

    private final int maxFrameBytes;
    /** Largest inbound frame: a resume reply ({@value #RESUME_REPLY_TYPE}) may be up to this. */
    private final int maxInboundBytes;
    private final ObjectMapper mapper;

    /** Frames of at most {@code maxFrameBytes} both ways, resume replies included. */
    JsonFrames(int maxFrameBytes) {
        this(maxFrameBytes, maxFrameBytes);
    }

    /**
     * Frames of at most {@code maxFrameBytes}, except inbound resume replies: up to
     * {@code maxResumeBytes} (at least {@code maxFrameBytes}).
     */
    JsonFrames(int maxFrameBytes, int maxResumeBytes) {
        this.maxFrameBytes = maxFrameBytes;
        this.maxInboundBytes = Math.max(maxFrameBytes, maxResumeBytes);
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .maxStringLength(maxFrameBytes)
                        .maxDocumentLength(maxInboundBytes)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        this.mapper = new ObjectMapper(factory)
                .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);
    }

    int maxFrameBytes() {
        return maxFrameBytes;
    }

    ObjectNode object() {
        return mapper.createObjectNode();
    }

    Result<String> write(ObjectNode node) {
        try {
            String text = mapper.writeValueAsString(node);
            int bytes = Rooms.utf8Length(text);
            if (bytes > maxFrameBytes) {
                return Result.err(ErrorCode.TOO_LARGE, "encoded frame is " + bytes + " bytes, over the limit of "
                        + maxFrameBytes + " (maxMessageBytes)");
            }
            return Result.ok(text);
        } catch (JsonProcessingException e) {
            return Result.err(ErrorCode.BAD_INPUT, "could not encode frame: " + e.getOriginalMessage());
        }
    }

    /**
     * The frame as a JSON object, or the reason it is not one. Only a resume reply may be larger
     * than {@code maxFrameBytes} (up to the resume limit).
     */
    Result<JsonNode> parse(String frame) {
        if (frame == null) {
            return Result.err(ErrorCode.BAD_INPUT, "null frame");
        }
        // A char is at most 3 UTF-8 bytes: skip counting when the frame is obviously small enough.
        int bytes = (long) frame.length() * 3 > maxFrameBytes ? Rooms.utf8Length(frame) : 0;
        if (bytes > maxInboundBytes) {
            return Result.err(ErrorCode.TOO_LARGE, "frame of " + bytes + " bytes is over the limit of " + maxInboundBytes
                    + (maxInboundBytes > maxFrameBytes ? " (maxResumeBytes)" : ""));
        }
        try {
            JsonNode node = mapper.readTree(frame);
            if (node == null || !node.isObject()) {
                return Result.err(ErrorCode.BAD_INPUT, "frame is not a JSON object");
            }
            if (bytes > maxFrameBytes && !Optional.of(RESUME_REPLY_TYPE).equals(type(node))) {
                return Result.err(ErrorCode.TOO_LARGE, "frame of " + bytes + " bytes is over the limit of " + maxFrameBytes
                        + " (maxMessageBytes; only a resume reply may be larger)");
            }
            return Result.ok(node);
        } catch (JsonProcessingException e) {
            return Result.err(ErrorCode.BAD_INPUT, "invalid JSON: " + firstLine(e.getOriginalMessage()));
        } catch (RuntimeException e) {
            return Result.err(ErrorCode.BAD_INPUT, "unreadable frame: " + e.getClass().getSimpleName());
        }
    }

    /** Writes the fields shared by every chat-path frame. */
    ObjectNode chatFrame(String room, String sender, String payload, Instant timestamp) {
        ObjectNode n = object();
        n.put("roomId", room);
        n.put("message", payload);
        n.put("sender", sender);
        n.put("timestamp", timestamp.toString());
        return n;
    }

    /**
     * Decodes a chat-path frame ({@code {roomId|sessionId, message, sender, timestamp, messageId,
     * sequenceNumber}}): the only frame both relays forward between clients.
     */
    ProtocolFrame decodeChat(String relay, JsonNode node, Instant receivedAt) {
        JsonNode roomNode = node.has("roomId") ? node.get("roomId") : node.get("sessionId");
        Optional<String> room = text(roomNode, Rooms.MAX_LENGTH);
        if (room.isEmpty() || !validRoom(room.get())) {
            return new ProtocolFrame.Malformed("chat frame without a valid roomId");
        }
        JsonNode messageNode = node.get("message");
        if (messageNode == null || !messageNode.isTextual()) {
            return new ProtocolFrame.Malformed("chat frame without a text 'message'");
        }
        String payload = messageNode.asText();
        if (payload.isEmpty()) {
            return new ProtocolFrame.Ignored("empty chat frame (a room join)");
        }
        Optional<String> sender = optionalText(node, "sender", MAX_ID_LENGTH);
        Optional<String> messageId = optionalText(node, "messageId", MAX_ID_LENGTH);
        if (sender == null || messageId == null) {
            return new ProtocolFrame.Malformed("chat frame with a non-text or overlong sender/messageId");
        }
        OptionalLong sequence = sequence(node.get("sequenceNumber"));
        if (sequence == null) {
            return new ProtocolFrame.Malformed("chat frame with an invalid sequenceNumber");
        }
        // The sync relay replaces the sender's id with its own sequence number: that is no client id.
        if (messageId.isPresent() && sequence.isPresent()
                && messageId.get().equals(Long.toString(sequence.getAsLong()))) {
            messageId = Optional.empty();
        }
        InboundMessage m = new InboundMessage(relay, room.get(), sender.orElse(""), payload, messageId,
                instant(node.get("timestamp")), receivedAt, sequence);
        return new ProtocolFrame.Deliver(List.of(m));
    }

    /**
     * Decodes {@code sync_response.messages[]}; bad entries are skipped (a reply with bad entries
     * only is malformed). Entries without a {@code ciphertext} are what {@code relay-sync.js}
     * returns for the empty chat frames it stored (joins and resend requests: it answers
     * {@code msg.message || msg.ciphertext}, which is undefined for an empty message): they are
     * skipped quietly, as are entries with an empty one.
     */
    ProtocolFrame decodeSyncResponse(String relay, JsonNode node, Instant receivedAt) {
        Optional<String> room = text(node.get("sessionId"), Rooms.MAX_LENGTH);
        if (room.isEmpty() || !validRoom(room.get())) {
            return new ProtocolFrame.Malformed("sync_response without a valid sessionId");
        }
        JsonNode messages = node.get("messages");
        if (messages == null || !messages.isArray()) {
            return new ProtocolFrame.Malformed("sync_response without a 'messages' array");
        }
        if (messages.size() > MAX_BATCH) {
            return new ProtocolFrame.Malformed("sync_response with " + messages.size() + " entries, over " + MAX_BATCH);
        }
        List<InboundMessage> out = new ArrayList<>(messages.size());
        int bad = 0;
        for (JsonNode entry : messages) {
            JsonNode m = entry.get("message");
            if (m == null || !m.isObject()) {
                bad++;
                continue;
            }
            JsonNode ct = m.get("ciphertext");
            if (ct == null || ct.isNull() || (ct.isTextual() && ct.asText().isEmpty())) {
                continue; // a stored join (or other empty chat) frame
            }
            if (!ct.isTextual()) {
                bad++;
                continue;
            }
            Optional<String> sender = optionalText(m, "sender_wallet", MAX_ID_LENGTH);
            Optional<String> messageId = optionalText(m, "messageId", MAX_ID_LENGTH);
            OptionalLong sequence = sequence(entry.get("sequenceNumber"));
            if (sender == null || messageId == null || sequence == null) {
                bad++;
                continue;
            }
            out.add(new InboundMessage(relay, room.get(), sender.orElse(""), ct.asText(), messageId,
                    instant(m.get("timestamp")), receivedAt, sequence));
        }
        if (bad > 0 && out.isEmpty()) {
            return new ProtocolFrame.Malformed("sync_response with " + bad + " malformed entries and no valid one");
        }
        return new ProtocolFrame.Deliver(out);
    }

    /**
     * Whether a {@code sync_response} says more parts of the same answer follow:
     * {@code "more": true}. Relays that send one frame (the original) leave it out.
     */
    static boolean morePartsDue(JsonNode node) {
        JsonNode more = node.get("more");
        return more != null && more.isBoolean() && more.booleanValue();
    }

    /** Decodes {@code sync_ack.acknowledgedMessageIds}. */
    ProtocolFrame decodeAck(JsonNode node) {
        JsonNode ids = node.get("acknowledgedMessageIds");
        if (ids == null || !ids.isArray()) {
            return new ProtocolFrame.Malformed("sync_ack without an 'acknowledgedMessageIds' array");
        }
        if (ids.size() > MAX_BATCH) {
            return new ProtocolFrame.Malformed("sync_ack with " + ids.size() + " ids, over " + MAX_BATCH);
        }
        List<String> out = new ArrayList<>(ids.size());
        for (JsonNode id : ids) {
            if (!id.isTextual() || id.asText().isEmpty() || id.asText().length() > MAX_ID_LENGTH) {
                return new ProtocolFrame.Malformed("sync_ack with a non-text or overlong id");
            }
            out.add(id.asText());
        }
        return new ProtocolFrame.Ack(out);
    }

    /** Decodes {@code {"error": "..."}}, or returns null when the frame is not one. */
    ProtocolFrame decodeError(JsonNode node) {
        JsonNode e = node.get("error");
        if (e == null || node.has("type") || node.has("roomId")) {
            return null;
        }
        if (!e.isTextual()) {
            return new ProtocolFrame.Malformed("error frame with a non-text 'error'");
        }
        String text = e.asText();
        return new ProtocolFrame.Error(text.length() > 200 ? text.substring(0, 200) + "..." : text);
    }

    /** The {@code type} of a frame: empty when absent, null when present but not text. */
    static Optional<String> type(JsonNode node) {
        JsonNode t = node.get("type");
        if (t == null || t.isNull()) {
            return Optional.empty();
        }
        return t.isTextual() && t.asText().length() <= 64 ? Optional.of(t.asText()) : null;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "(no detail)";
        }
        int nl = s.indexOf('\n');
        String line = nl >= 0 ? s.substring(0, nl) : s;
        return line.length() > 160 ? line.substring(0, 160) + "..." : line;
    }

    /** Writes {@code {"<origin>": serial}}. */
    void putOrigin(ObjectNode n, SequencedProtocol.Origin o) {
        n.putObject("vectorClock").put(o.origin(), o.serial());
    }

    /** Reads a one-entry {@code vectorClock} written by {@link #putOrigin}; anything else is no origin. */
    static Optional<SequencedProtocol.Origin> origin(JsonNode vc) {
        if (vc == null || !vc.isObject() || vc.size() != 1) {
            return Optional.empty();
        }
        var it = vc.fields();
        var e = it.next();
        if (e.getKey().length() > 2 * MAX_ID_LENGTH || !e.getValue().isIntegralNumber() || !e.getValue().canConvertToLong()
                || e.getValue().asLong() < 1) {
            return Optional.empty();
        }
        return Optional.of(new SequencedProtocol.Origin(e.getKey(), e.getValue().asLong()));
    }

    /** The origins of a Deliver decoded from {@code node}: chat frames carry one at top level. */
    static List<Optional<SequencedProtocol.Origin>> origins(ProtocolFrame f, JsonNode node) {
        if (!(f instanceof ProtocolFrame.Deliver d)) {
            return List.of();
        }
        if (node.has("messages")) {
            List<Optional<SequencedProtocol.Origin>> out = new ArrayList<>();
            for (JsonNode entry : node.get("messages")) {
                JsonNode m = entry.get("message");
                if (m == null || !m.isObject() || m.path("ciphertext").asText("").isEmpty()) {
                    continue; // skipped by decodeSyncResponse as well (bad entries are dropped in the same way)
                }
                out.add(origin(entry.get("vectorClock")));
            }
            return out.size() == d.messages().size() ? out : d.messages().stream().map(x -> Optional.<SequencedProtocol.Origin>empty()).toList();
        }
        return List.of(origin(node.get("vectorClock")));
    }

    /** Checks the outbound payload size against the limit before anything is encoded. */
    Result<OutboundMessage> checkSize(OutboundMessage m) {
        if (m.payloadBytes() > maxFrameBytes) {
            return Result.err(ErrorCode.TOO_LARGE, "payload of " + m.payloadBytes() + " bytes is over the limit of "
                    + maxFrameBytes + " (maxMessageBytes)");
        }
        return Result.ok(m);
    }

    /**
     * Writes a resend request: {@code {"type":"resend","roomId":R,"message":"","sender":S,
     * "timestamp":"1970-01-01T00:00:00Z","origin":O,"from":F,"to":T}}.
     */
    Optional<String> resendFrame(SequencedProtocol.Resend r, String sender) {
        ObjectNode n = chatFrame(r.room(), sender, "", Instant.EPOCH);
        n.put("type", RESEND_TYPE);
        n.put("origin", r.origin());
        n.put("from", r.from());
        n.put("to", r.to());
        return write(n).toOptional();
    }

    /**
     * Reads a resend request written by {@link #resendFrame}: a valid room, an origin of at most
     * {@code 2 * MAX_ID_LENGTH} characters and serials {@code 1 <= from <= to}, at most
     * {@value #MAX_BATCH} of them. Returns the reason it is malformed as an error.
     */
    static Result<SequencedProtocol.Resend> decodeResend(JsonNode node) {
        Optional<String> room = text(node.get("roomId"), Rooms.MAX_LENGTH);
        if (room.isEmpty() || !validRoom(room.get())) {
            return Result.err(ErrorCode.BAD_INPUT, "resend request without a valid roomId");
        }
        Optional<String> origin = text(node.get("origin"), 2 * MAX_ID_LENGTH);
        if (origin.isEmpty() || origin.get().isEmpty()) {
            return Result.err(ErrorCode.BAD_INPUT, "resend request without a valid origin");
        }
        OptionalLong from = sequence(node.get("from"));
        OptionalLong to = sequence(node.get("to"));
        if (from == null || to == null || from.isEmpty() || to.isEmpty() || from.getAsLong() < 1
                || to.getAsLong() < from.getAsLong()) {
            return Result.err(ErrorCode.BAD_INPUT, "resend request needs serials 1 <= from <= to");
        }
        if (to.getAsLong() - from.getAsLong() >= MAX_BATCH) {
            return Result.err(ErrorCode.BAD_INPUT, "resend request for more than " + MAX_BATCH + " serials");
        }
        return Result.ok(new SequencedProtocol.Resend(room.get(), origin.get(), from.getAsLong(), to.getAsLong()));
    }

    /** Turns a parsed frame into what it means; may throw on shapes it did not expect. */
    interface NodeDecoder {
        ProtocolFrame decode(String relay, JsonNode node, Instant receivedAt);
    }

    /**
     * Parses a frame under the limits and decodes it with a protocol's node decoder; anything that
     * fails (parse, unexpected shape) becomes {@link ProtocolFrame.Malformed}. Never throws.
     */
    SequencedProtocol.Decoded decodeSequenced(String relay, String frame, Instant receivedAt, NodeDecoder decoder) {
        return decodeSequenced(relay, frame, receivedAt, decoder, false);
    }

    /**
     * As {@link #decodeSequenced(String, String, Instant, NodeDecoder)}; with {@code resends} a
     * frame of type {@value #RESEND_TYPE} is read as a resend request (or is malformed).
     */
    SequencedProtocol.Decoded decodeSequenced(String relay, String frame, Instant receivedAt, NodeDecoder decoder,
                                           boolean resends) {
        Result<JsonNode> parsed = parse(frame);
        if (!parsed.isOk()) {
            return new SequencedProtocol.Decoded(new ProtocolFrame.Malformed(parsed.failure().orElseThrow().message()), List.of());
        }
        JsonNode node = parsed.orElseThrow();
        if (resends && Optional.of(RESEND_TYPE).equals(type(node))) {
            Result<SequencedProtocol.Resend> r = decodeResend(node);
            return r.isOk() ? new SequencedProtocol.Decoded(new ProtocolFrame.Ignored("resend request"), List.of(), Optional.of(r.orElseThrow()), false)
                    : new SequencedProtocol.Decoded(new ProtocolFrame.Malformed(r.failure().orElseThrow().message()), List.of());
        }
        ProtocolFrame f;
        try {
            f = decoder.decode(relay, node, receivedAt);
        } catch (RuntimeException e) {
            return new SequencedProtocol.Decoded(new ProtocolFrame.Malformed("undecodable frame: " + e.getClass().getSimpleName()),
                    List.of());
        }
        Optional<String> t = type(node);
        boolean reply = Optional.of(RESUME_REPLY_TYPE).equals(t);
        boolean more = reply && morePartsDue(node);
        return new SequencedProtocol.Decoded(f, origins(f, node), Optional.empty(), reply, more,
                reply || Optional.of(RELAY_INFO_TYPE).equals(t) ? fleetClaim(node) : Optional.empty());
    }

    /**
     * The fleet id a {@code relay_info} or {@code sync_response} claims, as sent (at most
     * {@value #MAX_FLEET_CLAIM} characters); a claim that is not text comes back as "" (no valid
     * id), so that the engine notices it. Checking the id is the engine's part.
     */
    static Optional<String> fleetClaim(JsonNode node) {
        JsonNode f = node.get(FLEET_FIELD);
        if (f == null || f.isNull()) {
            return Optional.empty();
        }
        if (!f.isTextual()) {
            return Optional.of("");
        }
        String id = f.asText();
        return Optional.of(id.length() > MAX_FLEET_CLAIM ? id.substring(0, MAX_FLEET_CLAIM) : id);
    }
}
