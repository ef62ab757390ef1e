package io.solconnect.relay.api;

import java.time.Duration;

/**
 * The memory of inbound message ids used to drop duplicates (a message heard on two relays, or
 * re-sent after a failover). Immutable and thread-safe.
 *
 * @param window     how long an inbound id is remembered; positive; default 10 min
 * @param maxEntries most ids remembered (the oldest are forgotten first); 1,000..100,000,000;
 *                   default 100,000
 */
public record DedupConfig(Duration window, int maxEntries) {

    private static final DedupConfig DEFAULTS = new DedupConfig(Duration.ofMinutes(10), 100_000);

    /**
     * Validates every component.
     *
     * @param window     how long an inbound id is remembered; positive; default 10 min
     * @param maxEntries most ids remembered (the oldest are forgotten first); 1,000..100,000,000; default 100,000 
     * @throws IllegalArgumentException whose message starts with the option's path, e.g.
     *                                  {@code "dedup.maxEntries must be in 1000..100000000, was 5"}
     * @throws NullPointerException     if {@code window} is null
     */
    public DedupConfig {
        ConfigChecks.positive("dedup.window", window);
        ConfigChecks.range("dedup.maxEntries", maxEntries, 1000, 100_000_000);
    }

    /**
     * The defaults listed on the components.
     *
     * @return the default dedup settings
     */
    public static DedupConfig ofDefaults() {
        return DEFAULTS;
    }
}
