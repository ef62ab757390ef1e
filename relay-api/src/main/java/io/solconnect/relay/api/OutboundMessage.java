package io.solconnect.relay.api;

import java.time.Instant;
import java.util.Objects;

/**
 * A message the application sent, as the outbox holds it. Immutable and thread-safe.
 *
 * @param id        the client message id, assigned once at {@code send} (time-ordered UUIDv7 text);
 *                  it never changes across retries and relays
 * @param room      the room (session) it is addressed to; 1..256 characters
 * @param sender    the sender id written into the frame
 * @param payload   the application payload (ciphertext for SolConnect), UTF-8 text
 * @param createdAt when {@code send} accepted it
 */
public record OutboundMessage(String id, String room, String sender, String payload, Instant createdAt) {

    /**
     * Validates the components.
     *
     * @param id the client message id, assigned once at {@code send} (time-ordered UUIDv7 text); it never changes across retries and relays
     * @param room the room (session) it is addressed to; 1..256 characters
     * @param sender the sender id written into the frame
     * @param payload the application payload (ciphertext for SolConnect), UTF-8 text
     * @param createdAt when {@code send} accepted it
     * @throws IllegalArgumentException if the id or room is empty or the room is too long
     */
    public OutboundMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(createdAt, "createdAt");
        if (id.isEmpty()) {
            throw new IllegalArgumentException("id must not be empty");
        }
        Rooms.check(room);
    }

    /**
     * The payload size counted against outbox and frame limits: UTF-8 bytes of the payload.
     *
     * @return bytes
     */
    public int payloadBytes() {
        return Rooms.utf8Length(payload);
    }
}
