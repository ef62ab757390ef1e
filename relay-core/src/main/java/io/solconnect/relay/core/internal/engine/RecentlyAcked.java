package io.solconnect.relay.core.internal.engine;

import io.solconnect.relay.api.OutboundMessage;
import io.solconnect.relay.api.spi.SequencedProtocol;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Messages a relay acknowledged recently, in acknowledgement order: written again when the session
 * moves to another relay (unless that link already got a copy), to a new standby, and to members
 * that ask for serials they miss. Bounded by count and by age (half the dedup window, so that
 * receivers still drop the copies). Confined to the engine loop.
 */
final class RecentlyAcked {

    /** Most acknowledged messages remembered for re-publication after a move. */
    static final int MAX = 10_000;

    /** One acknowledged message. */
    static final class Acked {
        final OutFrame frame;
        final String relay;
        /** The fleet of the link that acknowledged it (whose log holds it); null if none. */
        final String fleet;
        final long atNanos;
        final Copies copies;
        final OutboundMessage message;
        /** The message's serial in its room. */
        final long serial;
        /** Its place in the session's acceptance order ({@link Outbox.Entry#accepted}). */
        final long accepted;
        /** The link generation it was last written again on at a member's request, and when. */
        private long resentOn = -1;
        private long resentAtNanos;

        Acked(Outbox.Entry e, String relay, String fleet, long atNanos) {
            this.frame = e.frame();
            this.relay = relay;
            this.fleet = fleet;
            this.atNanos = atNanos;
            this.copies = e.copies;
            this.message = e.message;
            this.serial = e.serial;
            this.accepted = e.accepted;
        }
    }

    private final ArrayDeque<Acked> acked = new ArrayDeque<>();

    /** Remembers an entry acknowledged by {@code relay}, keeping at most {@code max}. */
    void add(Outbox.Entry e, String relay, long now, int max) {
        add(e, relay, null, now, max);
    }

    /**
     * Remembers an entry acknowledged by {@code relay}, a member of {@code fleet} (null: none),
     * keeping at most {@code max}.
     */
    void add(Outbox.Entry e, String relay, String fleet, long now, int max) {
        acked.addLast(new Acked(e, relay, fleet, now));
        while (acked.size() > max) {
            acked.pollFirst();
        }
    }

    int size() {
        return acked.size();
    }

    /**
     * The messages to write on {@code link}, in acceptance order (not acknowledgement order:
     * relays acknowledge out of order, after drops and rewrites, and a member who hears this
     * session first on that link takes its order from the first message it gets), of those
     * acknowledged at or after {@code fromNanos} by another relay than the link's and not copied to
     * it yet; notes them as copied. A message acknowledged by a relay of the link's fleet is in the
     * fleet's log, which every member reads: it is left out. Forgets those older than
     * {@code keepNanos} first.
     */
    List<Acked> since(Link link, long fromNanos, long now, long keepNanos) {
        while (!acked.isEmpty() && now - acked.peekFirst().atNanos > keepNanos) {
            acked.pollFirst();
        }
        List<Acked> out = new ArrayList<>();
        for (Acked a : acked) {
            if (a.atNanos >= fromNanos && !a.relay.equals(link.id()) && !a.copies.on(link.generation())
                    && !FleetClaim.same(java.util.Optional.ofNullable(a.fleet), link.fleet())) {
                out.add(a);
                a.copies.add(link.generation());
            }
        }
        out.sort(IN_ACCEPTANCE_ORDER); // nearly sorted already: linear
        return out;
    }

    private static final Comparator<Acked> IN_ACCEPTANCE_ORDER = Comparator.comparingLong(a -> a.accepted);

    /**
     * The remembered messages a resend request {@code r} names, leaving out those written again on
     * the same link within {@code againNanos}; notes the rest as written again on it now.
     */
    List<Acked> forResend(Link link, SequencedProtocol.Resend r, long now, long againNanos) {
        return forResend(link, r, now, againNanos, a -> true);
    }

    /**
     * As {@link #forResend(Link, SequencedProtocol.Resend, long, long)}, taking only those that
     * {@code take} accepts (a budget): the others are not noted as written again, so that the next
     * request for them is answered.
     */
    List<Acked> forResend(Link link, SequencedProtocol.Resend r, long now, long againNanos,
                          java.util.function.Predicate<Acked> take) {
        List<Acked> out = new ArrayList<>();
        for (Acked a : acked) {
            if (a.serial < r.from() || a.serial > r.to() || !a.message.room().equals(r.room())
                    || (a.resentOn == link.generation() && now - a.resentAtNanos < againNanos)) {
                continue;
            }
            if (!take.test(a)) {
                continue;
            }
            a.resentOn = link.generation();
            a.resentAtNanos = now;
            out.add(a);
        }
        return out;
    }
}
