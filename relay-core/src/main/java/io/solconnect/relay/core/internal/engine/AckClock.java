package io.solconnect.relay.core.internal.engine;

import java.util.Collection;
import java.util.OptionalLong;

/**
 * Round-trip time of one link measured under traffic: from the first write of a message on this
 * link to this link's ack of that message. One message is timed at a time (so the state is two
 * fields whatever the rate); a message written again on the link is not timed, and a timed one
 * that is written again is dropped (Karn's rule: an ack cannot tell which write it answers). A
 * timed message whose ack has not come within {@code staleNanos} gives way to the next write, so
 * one lost ack does not stop the sampling. Acks that arrive on other links never reach this
 * clock: each link owns its own. Confined to the engine loop.
 */
final class AckClock {

    /** The id being timed, or null. */
    private String timed;
    private long writtenNanos;

    /**
     * A message was written on the link.
     *
     * @param id         the message id
     * @param now        the write time, ns
     * @param first      whether this is the message's first write on this link
     * @param staleNanos how long a timed message may wait for its ack before another is timed
     */
    void written(String id, long now, boolean first, long staleNanos) {
        if (!first) {
            if (id.equals(timed)) {
                timed = null;
            }
            return;
        }
        if (timed == null || now - writtenNanos > staleNanos) {
            timed = id;
            writtenNanos = now;
        }
    }

    /**
     * The link acknowledged {@code ids}.
     *
     * @param ids the ids in the ack frame
     * @param now the time the ack is handled, ns
     * @return the round trip in ns when the ack covers the timed message; empty otherwise
     */
    OptionalLong acked(Collection<String> ids, long now) {
        if (timed == null || !ids.contains(timed)) {
            return OptionalLong.empty();
        }
        timed = null;
        return OptionalLong.of(Math.max(0, now - writtenNanos));
    }
}
