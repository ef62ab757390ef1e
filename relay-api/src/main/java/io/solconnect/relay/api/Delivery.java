package io.solconnect.relay.api;

import java.time.Instant;
import java.util.Objects;

/**
 * The outcome of a successful {@code send}. Immutable and thread-safe.
 *
 * @param messageId      the client message id
 * @param relay          the relay that took it last
 * @param completedAt    when the acknowledgement arrived (or, unconfirmed, when it was written)
 * @param confirmed      true when the relay acknowledged the message; false with a protocol that
 *                       has no acknowledgements ({@code solconnect-legacy}): the frame was written
 *                       to a socket, and nothing more is known
 * @param attempts       how many times the message was written, counting replays after failover
 */
public record Delivery(String messageId, String relay, Instant completedAt, boolean confirmed, int attempts) {

    /**
     * Checks the components.
     *
     * @param messageId the client message id
     * @param relay the relay that took it last
     * @param completedAt when the acknowledgement arrived (or, unconfirmed, when it was written)
     * @param confirmed true when the relay acknowledged the message; false with a protocol that has no acknowledgements ({@code solconnect-legacy}): the frame was written to a socket, and nothing more is known
     * @param attempts how many times the message was written, counting replays after failover
     */
    public Delivery {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(relay, "relay");
        Objects.requireNonNull(completedAt, "completedAt");
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
        }
    }
}
