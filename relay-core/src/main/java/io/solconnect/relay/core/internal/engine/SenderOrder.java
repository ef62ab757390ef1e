package io.solconnect.relay.core.internal.engine;

import io.solconnect.relay.api.InboundMessage;
import io.solconnect.relay.api.spi.SequencedProtocol;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores each sender's order in each room. Messages carry a consecutive per-room serial of their
 * sender session; one that arrives ahead of a gap is held until the gap fills or for at most
 * {@code hold}, then released in serial order (so a message lost for good delays the next ones by
 * {@code hold}, never blocks them). A message older than the gap that was given up is delivered at
 * once, late, and counted: losing nothing comes before order.
 *
 * <p>Bounded whatever a relay sends: at most {@value #MAX_STREAMS} sender streams (the least
 * recently used is forgotten, its held messages delivered), {@value #MAX_HELD} held messages per
 * stream and {@value #MAX_HELD_TOTAL} in all (past either, the stream's gap is given up on and its
 * messages delivered), {@value #MAX_MISSING} missing ranges per stream (past it, the two lowest
 * merge: delivered serials between them then count as missing, so their copies pass this check and
 * are caught by the dedup cache, which drops them by id). Serials above {@value #MAX_SERIAL} (2^53,
 * beyond what JSON numbers carry exactly) are refused for ordering, and so are serials more than
 * {@value #MAX_AHEAD} ahead of what a stream holding messages expects ({@link #refuses}): such
 * messages are delivered at once and open no gap. Not thread-safe: confined to the engine loop.
 */
final class SenderOrder {

    private static final Logger log = LoggerFactory.getLogger(SenderOrder.class);

    /** Most sender streams remembered (per room and sender session). */
    static final int MAX_STREAMS = 10_000;
    /** Most messages held ahead of a gap in one stream. */
    static final int MAX_HELD = 10_000;
    /** Most messages held ahead of gaps over all streams. */
    static final int MAX_HELD_TOTAL = 20_000;
    /** Most missing-serial ranges remembered per stream. */
    static final int MAX_MISSING = 32;
    /** Highest serial accepted for ordering: 2^53. */
    static final long MAX_SERIAL = 1L << 53;
    /** How far ahead of a stream's next expected serial a serial may be and still be held. */
    static final long MAX_AHEAD = 100_000;

    /** Serials {@code from..to} of sender {@code origin} in {@code room}, missing ahead of held ones. */
    record Gap(String room, String origin, long from, long to) {
    }

    private static final class Stream {
        final String room;
        final String origin;
        /** Lowest serial this stream accounts for; what is below it was never seen (or came before we joined). */
        long floor;
        /** Every serial in [floor, next) was delivered, except those in {@link #missing}. */
        long next;
        final TreeMap<Long, InboundMessage> held = new TreeMap<>();
        /** Given-up gaps and the space below a lowered floor, as start -> end (inclusive) ranges. */
        final TreeMap<Long, Long> missing = new TreeMap<>();
        long gapSince = -1;
        /** When the sender was last asked to fill this stream's gap; MIN_VALUE if never. */
        long askedNanos = Long.MIN_VALUE;

        Stream(String room, String origin) {
            this.room = room;
            this.origin = origin;
        }

        boolean isMissing(long serial) {
            Map.Entry<Long, Long> e = missing.floorEntry(serial);
            return e != null && serial <= e.getValue();
        }

        void addMissing(long from, long to) {
            if (from <= to) {
                missing.put(from, to);
                while (missing.size() > MAX_MISSING) {
                    // merge the two lowest ranges: more counts as missing, nothing as delivered
                    Map.Entry<Long, Long> first = missing.pollFirstEntry();
                    Map.Entry<Long, Long> second = missing.pollFirstEntry();
                    missing.put(first.getKey(), Math.max(first.getValue(), second.getValue()));
                }
            }
        }

        void removeMissing(long serial) {
            Map.Entry<Long, Long> e = missing.floorEntry(serial);
            if (e == null || serial > e.getValue()) {
                return;
            }
            missing.remove(e.getKey());
            addMissing(e.getKey(), serial - 1);
            addMissing(serial + 1, e.getValue());
        }
    }

    private final long holdNanos;
    /** In access order: the first is the least recently used. */
    private final Map<String, Stream> streams = new LinkedHashMap<>(64, 0.75f, true);
    private long late;
    private int holding;
    private long refused;

    SenderOrder(long holdNanos) {
        this.holdNanos = holdNanos;
    }

    /**
     * Whether this serial was delivered already (or is held for delivery): a duplicate, whatever
     * the dedup cache remembers. Serials of unknown senders and below a stream's floor are not.
     */
    boolean seen(String room, SequencedProtocol.Origin o) {
        if (o.serial() > MAX_SERIAL) {
            return false;
        }
        Stream s = streams.get(room + "\u0000" + o.origin());
        if (s == null || o.serial() < s.floor) {
            return false;
        }
        if (o.serial() < s.next) {
            return !s.isMissing(o.serial());
        }
        return s.held.containsKey(o.serial());
    }

    /**
     * Whether the serial of {@code o} is refused for ordering: above {@value #MAX_SERIAL}, or more
     * than {@value #MAX_AHEAD} ahead of what its stream expects while the stream holds messages.
     * Holding for it would let one frame open a gap of any size. A stream that holds nothing is
     * forgotten instead, and starts again at this serial as a sender heard for the first time (a
     * sender back after a long time, or after we were away). Counts the refusal; the caller
     * delivers a refused message without its serial.
     */
    boolean refuses(String room, SequencedProtocol.Origin o) {
        boolean no = o.serial() > MAX_SERIAL;
        if (!no) {
            String key = room + "\u0000" + o.origin();
            Stream s = streams.get(key);
            if (s != null && o.serial() - s.next > MAX_AHEAD) {
                if (s.held.isEmpty()) {
                    streams.remove(key);
                } else {
                    no = true;
                }
            }
        }
        if (no) {
            refused++;
        }
        return no;
    }

    /** Serials refused for ordering so far. */
    long refused() {
        return refused;
    }

    /** Sender streams remembered now. */
    int streams() {
        return streams.size();
    }

    /** Messages held ahead of gaps now, over all streams. */
    int held() {
        return holding;
    }

    /** The most missing ranges any stream remembers now. */
    int mostMissing() {
        int most = 0;
        for (Stream s : streams.values()) {
            most = Math.max(most, s.missing.size());
        }
        return most;
    }

    /** Offers a first sighting; returns what may be delivered now, in order. */
    List<InboundMessage> offer(String room, SequencedProtocol.Origin o, InboundMessage m, long now) {
        if (o.serial() > MAX_SERIAL) {
            return List.of(m); // refused for ordering (see refuses); also keeps next + 1 from overflowing
        }
        String key = room + "\u0000" + o.origin();
        Stream s = streams.get(key);
        if (s == null) {
            List<InboundMessage> evicted = streams.size() >= MAX_STREAMS ? evictEldest() : List.of();
            if (!evicted.isEmpty()) {
                List<InboundMessage> out = new ArrayList<>(evicted);
                out.addAll(offer(room, o, m, now));
                return out;
            }
            // The first message of a sender we never heard: its earlier serials went out before we
            // joined (or beyond what the relay's history returns), so there is no gap to wait for.
            s = new Stream(room, o.origin());
            s.floor = o.serial();
            s.next = o.serial();
            streams.put(key, s);
        }
        if (o.serial() < s.floor) {
            // older history than the first we heard: delivered, late; what lies between is now
            // accounted as missing, so its copies count as new until they arrive, then as duplicates
            s.addMissing(o.serial() + 1, s.floor - 1);
            s.floor = o.serial();
            late++;
            return List.of(m);
        }
        if (o.serial() < s.next) {
            s.removeMissing(o.serial());
            late++;
            return List.of(m);
        }
        if (o.serial() > s.next) {
            if (s.held.putIfAbsent(o.serial(), m) == null) {
                holding++;
            }
            if (s.gapSince < 0) {
                s.gapSince = now;
                log.debug("{} in {}: serial {} arrived while {} is missing; holding", o.origin(), room, o.serial(), s.next);
            }
            if (s.held.size() > MAX_HELD || holding > MAX_HELD_TOTAL) {
                return release(s);
            }
            return List.of();
        }
        List<InboundMessage> out = new ArrayList<>();
        out.add(m);
        s.next++;
        drain(s, out);
        s.gapSince = s.held.isEmpty() ? -1 : now;
        return out;
    }

    /**
     * Accounts for a serial whose message was already delivered (a duplicate, first seen through a
     * path that carried no serial, such as a resume from a relay that keeps no sender clocks): it
     * must not stay a gap that holds back its successors. Returns what may be delivered now.
     */
    List<InboundMessage> delivered(String room, SequencedProtocol.Origin o, long now) {
        if (o.serial() > MAX_SERIAL) {
            return List.of();
        }
        Stream s = streams.get(room + "\u0000" + o.origin());
        if (s == null || o.serial() < s.next || s.held.containsKey(o.serial())) {
            if (s != null && o.serial() >= s.floor) {
                s.removeMissing(o.serial());
            }
            return List.of();
        }
        if (o.serial() > s.next) {
            s.held.put(o.serial(), null); // a placeholder: nothing to deliver when the gap reaches it
            holding++;
            if (s.gapSince < 0) {
                s.gapSince = now;
            }
            if (s.held.size() > MAX_HELD || holding > MAX_HELD_TOTAL) {
                return release(s);
            }
            return List.of();
        }
        s.next++;
        List<InboundMessage> out = new ArrayList<>();
        drain(s, out);
        s.gapSince = s.held.isEmpty() ? -1 : now;
        return out;
    }

    /** Forgets the least recently used stream; returns its held messages, to deliver now. */
    private List<InboundMessage> evictEldest() {
        var it = streams.values().iterator();
        Stream eldest = it.next();
        List<InboundMessage> out = eldest.held.isEmpty() ? List.of() : release(eldest);
        it.remove();
        return out;
    }

    private void drain(Stream s, List<InboundMessage> out) {
        while (!s.held.isEmpty() && s.held.firstKey() == s.next) {
            InboundMessage m = s.held.pollFirstEntry().getValue();
            if (m != null) {
                out.add(m);
            }
            holding--;
            s.next++;
        }
    }

    /**
     * The gaps to ask their senders about now: those held open for at least {@code graceNanos}
     * without progress (a copy on its way through a slower relay closes a gap within that) and
     * not asked about within {@code everyNanos}; at most {@code maxSerials} serials each, from the
     * first missing one. Notes them as asked.
     */
    List<Gap> gapsToAsk(long now, long graceNanos, long everyNanos, int maxSerials) {
        List<Gap> out = new ArrayList<>();
        for (Stream s : streams.values()) {
            if (s.gapSince >= 0 && !s.held.isEmpty() && now - s.gapSince >= graceNanos
                    && (s.askedNanos == Long.MIN_VALUE || now - s.askedNanos >= everyNanos)) {
                long to = Math.min(s.held.firstKey() - 1, s.next + maxSerials - 1);
                out.add(new Gap(s.room, s.origin, s.next, to));
                s.askedNanos = now;
            }
        }
        return out;
    }

    /** Releases every stream whose gap is older than the hold time. */
    List<InboundMessage> expire(long now) {
        List<InboundMessage> out = new ArrayList<>();
        for (Stream s : streams.values()) {
            if (s.gapSince >= 0 && now - s.gapSince >= holdNanos) {
                out.addAll(release(s));
            }
        }
        return out;
    }

    private List<InboundMessage> release(Stream s) {
        log.debug("giving up on serials {}..{}: releasing {} held messages", s.next, s.held.firstKey() - 1, s.held.size());
        long expect = s.next;
        for (Long k : s.held.keySet()) {
            s.addMissing(expect, k - 1); // still welcome if they come: delivered late
            expect = k + 1;
        }
        List<InboundMessage> out = new ArrayList<>(s.held.size());
        for (InboundMessage m : s.held.values()) {
            if (m != null) {
                out.add(m);
            }
        }
        holding -= s.held.size();
        s.next = s.held.lastKey() + 1;
        s.held.clear();
        s.gapSince = -1;
        return out;
    }

    boolean holding() {
        return holding > 0;
    }

    /** Messages delivered after their sender's later ones (a gap was given up on). */
    long late() {
        return late;
    }
}
