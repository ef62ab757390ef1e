package io.solconnect.relay.core.internal.engine;

import io.solconnect.relay.api.InboundMessage;
import io.solconnect.relay.core.internal.protocol.SequencedCodec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Restores each sender's order in each room. Messages carry a consecutive per-room serial of their
 * sender session; one that arrives ahead of a gap is held until the gap fills or for at most
 * {@code hold}, then released in serial order (so a message lost for good delays the next ones by
 * {@code hold}, never blocks them). A message older than the gap that was given up is delivered at
 * once, late, and counted: losing nothing comes before order. Bounded: at most {@value #MAX_STREAMS}
 * sender streams (least recently used forgotten) and {@value #MAX_HELD} held messages per stream.
 * Not thread-safe: guarded by the engine's lock.
 */
final class SenderOrder {

    static final int MAX_STREAMS = 10_000;
    static final int MAX_HELD = 10_000;

    private static final class Stream {
        long next = 1;
        final TreeMap<Long, InboundMessage> held = new TreeMap<>();
        long gapSince = -1;
    }

    private final long holdNanos;
    private final Map<String, Stream> streams = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Stream> eldest) {
            return size() > MAX_STREAMS && eldest.getValue().held.isEmpty();
        }
    };
    private long late;
    private int holding;

    SenderOrder(long holdNanos) {
        this.holdNanos = holdNanos;
    }

    /** Offers a first sighting; returns what may be delivered now, in order. */
    List<InboundMessage> offer(String room, SequencedCodec.Origin o, InboundMessage m, long now) {
        Stream s = streams.computeIfAbsent(room + "\u0000" + o.origin(), k -> new Stream());
        if (o.serial() < s.next) {
            late++;
            return List.of(m);
        }
        if (o.serial() > s.next) {
            if (s.held.putIfAbsent(o.serial(), m) == null) {
                holding++;
            }
            if (s.gapSince < 0) {
                s.gapSince = now;
            }
            if (s.held.size() > MAX_HELD) {
                return release(s);
            }
            return List.of();
        }
        List<InboundMessage> out = new ArrayList<>();
        out.add(m);
        s.next++;
        while (!s.held.isEmpty() && s.held.firstKey() == s.next) {
            out.add(s.held.pollFirstEntry().getValue());
            holding--;
            s.next++;
        }
        s.gapSince = s.held.isEmpty() ? -1 : now;
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
        List<InboundMessage> out = new ArrayList<>(s.held.values());
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
