package io.solconnect.relay.core.internal.engine;

import java.util.Arrays;

/**
 * The links (by generation) a message was written to: its writes on primaries, the copies on warm
 * standbys and the catch-up of a new standby. A link that holds a copy needs no re-publication of
 * that message when it is promoted or caught up (unacknowledged messages are still replayed: the
 * relay may not have acknowledged the copy), and only an acknowledgement from such a link counts.
 * Tiny by design (one entry per link the message went to); not thread-safe, confined to the engine
 * loop.
 */
final class Copies {

    private static final long[] NONE = new long[0];

    private long[] generations = NONE;

    /** Whether the message was written on the link of this generation. */
    boolean on(long generation) {
        for (long g : generations) {
            if (g == generation) {
                return true;
            }
        }
        return false;
    }

    /** Notes a write on the link of this generation. */
    void add(long generation) {
        if (!on(generation)) {
            generations = Arrays.copyOf(generations, generations.length + 1);
            generations[generations.length - 1] = generation;
        }
    }
}
