package io.solconnect.relay.examples.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.Optional;

/**
 * The body of one message in the shared log: its {@code sync_response} entry and the frame members
 * get, both without the sequence, which only the log assigns. Encoded as
 * {@code {"e": entry, "b": broadcast}} in UTF-8 JSON. Immutable; the nodes are copies.
 */
record StoredMessage(ObjectNode entry, ObjectNode broadcast) {

    /** The bytes stored. */
    byte[] encode(ObjectMapper json) {
        ObjectNode n = json.createObjectNode();
        n.set("e", entry);
        n.set("b", broadcast);
        try {
            return json.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a message: " + e.getMessage(), e);
        }
    }

    /** Reads stored bytes; empty for bytes another program put in the stream. */
    static Optional<StoredMessage> decode(ObjectMapper json, byte[] data) {
        try {
            JsonNode n = json.readTree(data);
            if (n != null && n.get("e") instanceof ObjectNode e && n.get("b") instanceof ObjectNode b) {
                return Optional.of(new StoredMessage(e, b));
            }
        } catch (IOException e) {
            // not ours
        }
        return Optional.empty();
    }

    /** The {@code sync_response} entry with its sequence. */
    ObjectNode entryAt(long sequence) {
        return entry.deepCopy().put("sequenceNumber", sequence);
    }

    /** The members' frame with its sequence, as text. */
    String broadcastAt(long sequence) {
        return broadcast.deepCopy().put("sequenceNumber", sequence).toString();
    }
}
