package io.solconnect.relay.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One completed failover, as kept in the status history. Immutable and thread-safe.
 *
 * @param at       when the new primary took over
 * @param from     the relay left, empty when there was none (first connect after OFFLINE)
 * @param to       the new primary
 * @param reason   why, in words (e.g. {@code "transport closed 1006"}, {@code "missed pong"})
 * @param duration from detection of the fault to the new primary carrying traffic
 * @param replayed unacknowledged messages written again to the new primary
 */
public record FailoverRecord(Instant at, Optional<String> from, String to, String reason, Duration duration,
                             int replayed) {

    /**
     * Checks that no component is null.
     *
     * @param at when the new primary took over
     * @param from the relay left, empty when there was none (first connect after OFFLINE)
     * @param to the new primary
     * @param reason why, in words (e.g. {@code "transport closed 1006"}, {@code "missed pong"})
     * @param duration from detection of the fault to the new primary carrying traffic
     * @param replayed unacknowledged messages written again to the new primary
     */
    public FailoverRecord {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(duration, "duration");
    }
}
