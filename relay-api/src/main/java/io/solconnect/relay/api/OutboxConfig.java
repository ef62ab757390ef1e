package io.solconnect.relay.api;

/**
 * Bounds on what is held for sending and on the size of one message. A {@code send} beyond them
 * is refused, never silently dropped. Immutable and thread-safe.
 *
 * @param maxMessages     most messages held unacknowledged or queued; 1..10,000,000; default 10,000
 * @param maxBytes        most payload bytes held, in bytes; at least {@code maxMessageBytes};
 *                        default 16 MiB
 * @param maxMessageBytes largest outbound payload and largest inbound frame, in bytes;
 *                        1 KiB..64 MiB; default 1 MiB
 */
public record OutboxConfig(int maxMessages, long maxBytes, int maxMessageBytes) {

    private static final OutboxConfig DEFAULTS = new OutboxConfig(10_000, 16L * 1024 * 1024, 1024 * 1024);

    /**
     * Validates every component and that {@code maxBytes >= maxMessageBytes}.
     *
     * @param maxMessages     most messages held unacknowledged or queued; 1..10,000,000; default 10,000
     * @param maxBytes        most payload bytes held, in bytes; at least {@code maxMessageBytes}; default 16 MiB
     * @param maxMessageBytes largest outbound payload and largest inbound frame, in bytes; 1 KiB..64 MiB; default 1 MiB 
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
