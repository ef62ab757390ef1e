package io.solconnect.relay.api;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A message delivered to the application. Immutable and thread-safe.
 *
 * @param relay      id of the relay it came through
 * @param room       the room
 * @param sender     the sender id as the frame gave it, {@code ""} when absent
 * @param payload    the payload
 * @param messageId  the sender's client message id when the relay kept it
 * @param sentAt     the sender's timestamp when the frame had a valid one
 * @param receivedAt when this client decoded it
 * @param sequence   the relay-assigned sequence number when present (meaningful only on that relay)
 */
public record InboundMessage(String relay, String room, String sender, String payload, Optional<String> messageId,
                             Optional<Instant> sentAt, Instant receivedAt, OptionalLong sequence) {

    /**
     * Checks that no component is null.
     *
     * @param relay id of the relay it came through
     * @param room the room
     * @param sender the sender id as the frame gave it, {@code ""} when absent
     * @param payload the payload
     * @param messageId the sender's client message id when the relay kept it
     * @param sentAt the sender's timestamp when the frame had a valid one
     * @param receivedAt when this client decoded it
     * @param sequence the relay-assigned sequence number when present (meaningful only on that relay)
     */
    public InboundMessage {
        Objects.requireNonNull(relay, "relay");
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(sentAt, "sentAt");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(sequence, "sequence");
    }
}
