package io.solconnect.relay.api;

/**
 * Bounds on what is held for sending and on the size of one message. A {@code send} beyond them
 * is refused, never silently dropped. Immutable and thread-safe.
 *
 * @param maxMessages     most messages held unacknowledged or queued; 1..10,000,000; default 10,000
 * @param maxBytes        most payload bytes held, in bytes; at least {@code maxMessageBytes};
 *                        default 16 MiB
 * @param maxMessageBytes largest outbound payload and largest inbound frame other than a resume
 *                        reply, in bytes; 1 KiB..64 MiB; default 1 MiB
 * @param maxResumeBytes  largest inbound resume reply ({@code sync_response}) frame, in bytes;
 *                        at least {@code maxMessageBytes}, at most 256 MiB; default 4 MiB (or
 *                        {@code maxMessageBytes} when that is larger). A relay that cannot split
 *                        its answer (the original {@code relay-sync.js} sends a room's whole
 *                        history, up to 1,000 messages, in one frame) needs this much. A larger
 *                        reply closes that connection with 1009 once; the next connection to that
 *                        relay does not ask it for the same history again (see the README)
 */
public record OutboxConfig(int maxMessages, long maxBytes, int maxMessageBytes, int maxResumeBytes) {

    /** The default {@code maxResumeBytes} when {@code maxMessageBytes} is not larger: 4 MiB. */
    public static final int DEFAULT_MAX_RESUME_BYTES = 4 * 1024 * 1024;
    /** The largest {@code maxResumeBytes} accepted: 256 MiB. */
    public static final int MAX_RESUME_BYTES_LIMIT = 256 * 1024 * 1024;

    private static final OutboxConfig DEFAULTS = new OutboxConfig(10_000, 16L * 1024 * 1024, 1024 * 1024);

    /**
     * Validates every component and that {@code maxBytes >= maxMessageBytes}.
     *
     * @param maxMessages     most messages held unacknowledged or queued; 1..10,000,000; default 10,000
     * @param maxBytes        most payload bytes held, in bytes; at least {@code maxMessageBytes}; default 16 MiB
     * @param maxMessageBytes largest outbound payload and largest inbound frame other than a resume reply, in
     *                        bytes; 1 KiB..64 MiB; default 1 MiB
     * @param maxResumeBytes  largest inbound resume reply frame, in bytes; {@code maxMessageBytes}..256 MiB;
     *                        default 4 MiB or {@code maxMessageBytes}, whichever is larger
     * @throws IllegalArgumentException whose message starts with the option's path, e.g.
     *                                  {@code "outbox.maxMessages must be in 1..10000000, was 0"}
     */
    public OutboxConfig {
        ConfigChecks.range("outbox.maxMessages", maxMessages, 1, 10_000_000);
        ConfigChecks.range("outbox.maxMessageBytes", maxMessageBytes, 1024, 64 * 1024 * 1024);
        if (maxBytes < maxMessageBytes) {
            throw new IllegalArgumentException("outbox.maxBytes must be at least outbox.maxMessageBytes ("
                    + maxMessageBytes + "), was " + maxBytes);
        }
        ConfigChecks.range("outbox.maxResumeBytes", maxResumeBytes, 1024, MAX_RESUME_BYTES_LIMIT);
        if (maxResumeBytes < maxMessageBytes) {
            throw new IllegalArgumentException("outbox.maxResumeBytes must be at least outbox.maxMessageBytes ("
                    + maxMessageBytes + "), was " + maxResumeBytes);
        }
    }

    /**
     * As the canonical constructor with the default {@code maxResumeBytes} for this
     * {@code maxMessageBytes} ({@link #defaultMaxResumeBytes(int)}).
     *
     * @param maxMessages     most messages held unacknowledged or queued; 1..10,000,000
     * @param maxBytes        most payload bytes held, in bytes; at least {@code maxMessageBytes}
     * @param maxMessageBytes largest outbound payload and largest inbound frame other than a resume reply, in
     *                        bytes; 1 KiB..64 MiB
     * @throws IllegalArgumentException as the canonical constructor
     */
    public OutboxConfig(int maxMessages, long maxBytes, int maxMessageBytes) {
        this(maxMessages, maxBytes, maxMessageBytes, defaultMaxResumeBytes(maxMessageBytes));
    }

    /**
     * The default {@code maxResumeBytes} for a {@code maxMessageBytes}: 4 MiB, or
     * {@code maxMessageBytes} when that is larger.
     *
     * @param maxMessageBytes the largest message, in bytes
     * @return the default largest resume reply, in bytes
     */
    public static int defaultMaxResumeBytes(int maxMessageBytes) {
        return Math.max(DEFAULT_MAX_RESUME_BYTES, maxMessageBytes);
    }

    /**
     * The defaults listed on the components.
     *
     * @return the default outbox bounds
     */
    public static OutboxConfig ofDefaults() {
        return DEFAULTS;
    }
}
