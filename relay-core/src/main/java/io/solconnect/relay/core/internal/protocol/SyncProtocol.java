package io.solconnect.relay.core.internal.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.solconnect.relay.api.OutboundMessage;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.Rooms;
import io.solconnect.relay.api.spi.BatchingProtocol;
import io.solconnect.relay.api.spi.ProtocolFrame;
import io.solconnect.relay.api.spi.RelayProtocol;
import io.solconnect.relay.api.spi.SequencedProtocol;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@code solconnect-sync} codec: messages go out as {@code sync_update} with one entry that
 * carries the client id; acknowledgements come from {@code sync_ack.acknowledgedMessageIds};
 * resume is {@code sync_request}; rooms are joined with an empty chat-path frame of type
 * {@code join} that clients of this framework ignore. The resume request states the largest frame
 * wanted ({@code maxFrameBytes}); a relay that can split its answer sends parts marked
 * {@code "more": true} but the last, and one that cannot sends one frame of up to
 * {@code maxResumeBytes}. A member missing serials of a sender asks
 * for them with an empty chat-path frame of type {@code resend}, and the sender writes them again
 * as {@code sync_update} with {@code "resend": true}. Several {@code sync_update} frames of one
 * room join into one whose {@code messages} array holds all their entries (relays acknowledge them
 * in one {@code sync_ack} listing every id). A relay of a fleet (relays that share one log and its
 * sequence numbers) says so with {@code {"type":"relay_info","fleetId":"<id>"}} right after the
 * connection opens and with {@code "fleetId"} in each {@code sync_response} (in each part of a
 * split one); see {@link SequencedProtocol.Decoded#fleet()}. Stateless and thread-safe.
 */
final class SyncProtocol implements RelayProtocol, SequencedProtocol, BatchingProtocol {

    /** Most entries in one joined {@code sync_update}. */
    static final int MAX_BATCH_MESSAGES = 64;
    private static final String MESSAGES = "\"messages\":[";
    private static final String TIMESTAMP = ",\"timestamp\":";
    private static final String RESEND = "\"resend\":true,";

    /**
     * The {@code sync_request} field that states the largest frame this client wants: a relay
     * that can split its answer sends it in parts of at most this many UTF-8 bytes (a part with
     * one entry may be larger), each with {@code "more": true} but the last.
     */
    static final String MAX_FRAME_BYTES_FIELD = "maxFrameBytes";

    private final JsonFrames json;

    SyncProtocol(int maxFrameBytes) {
        this(maxFrameBytes, maxFrameBytes);
    }

    /**
     * A codec for frames of at most {@code maxFrameBytes} UTF-8 bytes, except resume replies,
     * which may be up to {@code maxResumeBytes}.
     */
    SyncProtocol(int maxFrameBytes, int maxResumeBytes) {
        this.json = new JsonFrames(maxFrameBytes, maxResumeBytes);
    }

    /** Per-sender serials, marked resume replies and resend requests: this codec itself. */
    @Override
    public Optional<SequencedProtocol> sequencing() {
        return Optional.of(this);
    }

    /** {@code sync_update} carries a {@code messages} array: this codec itself. */
    @Override
    public Optional<BatchingProtocol> batching() {
        return Optional.of(this);
    }

    @Override
    public int maxMessages() {
        return MAX_BATCH_MESSAGES;
    }

    /**
     * Joins {@code sync_update} frames written by this codec: the first frame's head (type, room,
     * device, timestamp and id), then the {@code messages} entries of all of them in order. Written
     * without parsing: the encoder puts {@code messages} last, and a quote inside a JSON string is
     * escaped, so the markers below cannot occur inside a value. Frames of different rooms or
     * senders, resent beside ordinary ones, or not of this shape are not joined.
     */
    @Override
    public Optional<String> join(List<String> frames) {
        if (frames.size() < 2) {
            return frames.size() == 1 ? Optional.of(frames.get(0)) : Optional.empty();
        }
        String first = frames.get(0);
        int firstHead = first.indexOf(TIMESTAMP);
        int firstMark = first.indexOf(MESSAGES);
        if (firstHead < 0 || firstMark < 0) {
            return Optional.empty();
        }
        boolean resent = first.startsWith(RESEND, firstMark - RESEND.length());
        StringBuilder out = new StringBuilder(frames.stream().mapToInt(String::length).sum());
        out.append(first, 0, firstMark + MESSAGES.length());
        for (int i = 0; i < frames.size(); i++) {
            String f = frames.get(i);
            int mark = f.indexOf(MESSAGES);
            if (mark < 0 || !f.endsWith("]}") || f.length() <= mark + MESSAGES.length() + 2
                    || f.indexOf(TIMESTAMP) != firstHead || !f.regionMatches(0, first, 0, firstHead)
                    || f.startsWith(RESEND, mark - RESEND.length()) != resent) {
                return Optional.empty();
            }
            if (i > 0) {
                out.append(',');
            }
            out.append(f, mark + MESSAGES.length(), f.length() - 2);
        }
        out.append("]}");
        String joined = out.toString();
        return Rooms.utf8Length(joined) <= json.maxFrameBytes() ? Optional.of(joined) : Optional.empty();
    }

    /** {@code sync_response} answers {@code sync_request}. */
    @Override
    public boolean marksResumeReplies() {
        return true;
    }

    @Override
    public boolean acknowledges() {
        return true;
    }

    @Override
    public Result<String> encode(OutboundMessage m) {
        return encode(m, null);
    }

    @Override
    public Result<String> encode(OutboundMessage m, Origin origin) {
        return encode(m, origin, false);
    }

    private Result<String> encode(OutboundMessage m, Origin origin, boolean resent) {
        return json.checkSize(m).flatMap(ok -> {
            ObjectNode inner = json.object();
            inner.put("sender_wallet", m.sender());
            inner.put("ciphertext", m.payload());
            inner.put("timestamp", m.createdAt().toString());
            inner.put("session_id", m.room());
            inner.put("messageId", m.id());
            ObjectNode frame = json.object();
            frame.put("type", "sync_update");
            frame.put("sessionId", m.room());
            frame.put("deviceId", m.sender());
            frame.put("timestamp", m.createdAt().toString());
            frame.put("messageId", m.id());
            if (resent) {
                frame.put("resend", true);
            }
            ObjectNode entry = frame.putArray("messages").addObject();
            entry.set("message", inner);
            if (origin != null) {
                json.putOrigin(entry, origin);
            }
            return json.write(frame);
        });
    }

    /** As {@link #encode(OutboundMessage, Origin)} with {@code "resend": true} in the {@code sync_update}. */
    @Override
    public Result<String> encodeResent(OutboundMessage m, Origin origin) {
        return encode(m, origin, true);
    }

    @Override
    public Optional<String> resendFrame(Resend request, String sender) {
        return json.resendFrame(request, sender);
    }

    @Override
    public List<String> joinFrames(String room, String sender) {
        ObjectNode n = json.chatFrame(room, sender, "", Instant.EPOCH);
        n.put("type", JsonFrames.JOIN_TYPE);
        return json.write(n).toOptional().map(List::of).orElse(List.of());
    }

    @Override
    public Optional<String> resumeFrame(String room, String sender, long lastSequence) {
        ObjectNode n = json.object();
        n.put("type", "sync_request");
        n.put("sessionId", room);
        n.put("deviceId", sender);
        n.put("lastSyncedSequence", Math.max(0, lastSequence));
        // Relays that can split their answer keep each part below this (the original ignores it).
        n.put(MAX_FRAME_BYTES_FIELD, json.maxFrameBytes());
        return json.write(n).toOptional();
    }

    @Override
    public ProtocolFrame decode(String relay, String frame, Instant receivedAt) {
        return decodeSequenced(relay, frame, receivedAt).frame();
    }

    @Override
    public Decoded decodeSequenced(String relay, String frame, Instant receivedAt) {
        return json.decodeSequenced(relay, frame, receivedAt, this::decodeNode, true);
    }

    private ProtocolFrame decodeNode(String relay, JsonNode node, Instant receivedAt) {
        ProtocolFrame error = json.decodeError(node);
        if (error != null) {
            return error;
        }
        Optional<String> type = JsonFrames.type(node);
        if (type == null) {
            return new ProtocolFrame.Malformed("'type' is not a short text");
        }
        if (type.isEmpty()) {
            return json.decodeChat(relay, node, receivedAt);
        }
        return switch (type.get()) {
            case "sync_ack" -> json.decodeAck(node);
            case JsonFrames.RESUME_REPLY_TYPE -> json.decodeSyncResponse(relay, node, receivedAt);
            case JsonFrames.JOIN_TYPE -> new ProtocolFrame.Ignored("room join of another client");
            case JsonFrames.RELAY_INFO_TYPE -> new ProtocolFrame.Ignored("relay info");
            case "sync_status", "device_list", "sync_heartbeat", "device_announce" ->
                    new ProtocolFrame.Ignored(type.get());
            default -> new ProtocolFrame.Ignored("unknown frame type");
        };
    }
}
