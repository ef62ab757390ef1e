package io.solconnect.relay.core.internal.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.solconnect.relay.api.OutboundMessage;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.spi.ProtocolFrame;
import io.solconnect.relay.api.spi.RelayProtocol;
import io.solconnect.relay.api.spi.SequencedProtocol;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@code solconnect-legacy} codec for the original {@code relay.js}: chat frames only, no
 * acknowledgements, no history, no resume. A message counts as sent once written to a socket; a
 * relay that dies with frames in its buffers loses them, and nothing can tell. Rooms are joined
 * with an empty chat frame of type {@code join}, since the relay adds a socket to a room only when
 * it sends to it. Stateless and thread-safe.
 */
final class LegacyProtocol implements RelayProtocol, SequencedProtocol {

    private final JsonFrames json;

    LegacyProtocol(int maxFrameBytes) {
        this.json = new JsonFrames(maxFrameBytes);
    }

    /** Per-sender serials (no resume, no resends: nothing is kept to write again): this codec itself. */
    @Override
    public Optional<SequencedProtocol> sequencing() {
        return Optional.of(this);
    }

    @Override
    public boolean acknowledges() {
        return false;
    }

    @Override
    public Result<String> encode(OutboundMessage m) {
        return encode(m, null);
    }

    @Override
    public Result<String> encode(OutboundMessage m, Origin origin) {
        return json.checkSize(m).flatMap(ok -> {
            ObjectNode n = json.chatFrame(m.room(), m.sender(), m.payload(), m.createdAt());
            n.put("messageId", m.id());
            if (origin != null) {
                json.putOrigin(n, origin);
            }
            return json.write(n);
        });
    }

    @Override
    public List<String> joinFrames(String room, String sender) {
        ObjectNode n = json.chatFrame(room, sender, "", Instant.EPOCH);
        n.put("type", JsonFrames.JOIN_TYPE);
        return json.write(n).toOptional().map(List::of).orElse(List.of());
    }

    @Override
    public Optional<String> resumeFrame(String room, String sender, long lastSequence) {
        return Optional.empty();
    }

    @Override
    public ProtocolFrame decode(String relay, String frame, Instant receivedAt) {
        return decodeSequenced(relay, frame, receivedAt).frame();
    }

    @Override
    public Decoded decodeSequenced(String relay, String frame, Instant receivedAt) {
        return json.decodeSequenced(relay, frame, receivedAt, this::decodeNode);
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
        if (type.isPresent()) {
            return new ProtocolFrame.Ignored(type.get().equals(JsonFrames.JOIN_TYPE)
                    ? "room join of another client" : "typed frame on the legacy protocol");
        }
        return json.decodeChat(relay, node, receivedAt);
    }
}
