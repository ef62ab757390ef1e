package io.solconnect.relay.api.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One finished connection, for the connection history. Immutable and thread-safe.
 *
 * @param relay       the relay id
 * @param connectedAt when it opened
 * @param duration    how long it lasted
 * @param closeCode   the WebSocket close code (1006 for a drop)
 * @param reason      why it ended
 */
public record ConnectionRecord(String relay, Instant connectedAt, Duration duration, int closeCode, String reason) {

    /**
     * Checks for nulls and a negative duration.
     *
     * @param relay the relay id
     * @param connectedAt when it opened
     * @param duration how long it lasted
     * @param closeCode the WebSocket close code (1006 for a drop)
     * @param reason why it ended
     */
    public ConnectionRecord {
        Objects.requireNonNull(relay, "relay");
        Objects.requireNonNull(connectedAt, "connectedAt");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(reason, "reason");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative, was " + duration);
        }
    }
}
