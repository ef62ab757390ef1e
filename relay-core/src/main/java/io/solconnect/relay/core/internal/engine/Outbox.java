package io.solconnect.relay.core.internal.engine;

import io.solconnect.relay.api.Delivery;
import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.OutboundMessage;
import io.solconnect.relay.api.Result;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The messages accepted by {@code send} and not yet acknowledged, in acceptance order, bounded by
 * count and by payload bytes, with a cursor over those not yet written on the current primary (so
 * writing a new message costs O(1), however long the backlog). An entry leaves only when a relay
 * acknowledges it (or, for a protocol without acknowledgements, when it was written), or when it
 * cannot ever be sent (encoding failed). Confined to the engine loop.
 */
final class Outbox {

    /** One held message and where it was written. */
    static final class Entry {
        final OutboundMessage message;
        final CompletableFuture<Result<Delivery>> future;
        final int bytes;
        /** Consecutive per-room serial of this sender session, for receivers' ordering. */
        final long serial;
        /**
         * Place in this session's acceptance order (0, 1, 2, ... over every room): what a link gets
         * from the session's memory (outbox entries and acknowledged messages) goes in this order.
         */
        final long accepted;
        private OutFrame frame;
        private int attempts;
        /** Generation of the link it was last written to; -1 when not written on the current primary. */
        private long writtenOn = -1;
        private long writtenAtNanos;
        private boolean removed;
        /** The frame in flight on the primary that carries it last; null when none. */
        private SendWindow.Flight flight;
        /** Links that got a copy (warm standbys, catch-ups); promoted, they need no replay of it. */
        final Copies copies = new Copies();

        Entry(OutboundMessage message, int bytes, long serial, long accepted, CompletableFuture<Result<Delivery>> future) {
            this.message = message;
            this.bytes = bytes;
            this.serial = serial;
            this.accepted = accepted;
            this.future = future;
        }

        String id() {
            return message.id();
        }

        /** The encoded frame; null until {@link #encoded}. */
        OutFrame frame() {
            return frame;
        }

        void encoded(OutFrame f) {
            frame = f;
        }

        int attempts() {
            return attempts;
        }

        /** Notes a write on the primary link of {@code generation} at {@code now}. */
        void written(long generation, long now) {
            copies.add(generation); // only a link it went to may acknowledge it
            writtenOn = generation;
            writtenAtNanos = now;
            attempts++;
        }

        /** The frame in flight that carries it on the primary; null when none. */
        SendWindow.Flight flight() {
            return flight;
        }

        void flight(SendWindow.Flight f) {
            flight = f;
        }

        boolean writtenOn(long generation) {
            return writtenOn == generation;
        }

        /** Whether it was written on the link of {@code generation} at least {@code ageNanos} before {@code now}. */
        boolean overdue(long generation, long now, long ageNanos) {
            return writtenOn == generation && now - writtenAtNanos >= ageNanos;
        }
    }

    private final int maxMessages;
    private final long maxBytes;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    /** Entries not yet written on the current primary, in acceptance order (removed ones are skipped). */
    private final ArrayDeque<Entry> unwritten = new ArrayDeque<>();
    /** Entries added so far: the next entry's place in the acceptance order. */
    private long added;
    private int reserved;
    private long reservedBytes;
    private long bytes;

    Outbox(int maxMessages, long maxBytes) {
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
    }

    /** Reserves room for a message before it is made durable, or explains why there is none. */
    Result<Result.Done> reserve(int payloadBytes) {
        if (entries.size() + reserved >= maxMessages) {
            return Result.err(ErrorCode.OUTBOX_FULL, "outbox holds " + (entries.size() + reserved)
                    + " messages, the limit (outboxMaxMessages) is " + maxMessages + "; message not accepted");
        }
        if (bytes + reservedBytes + payloadBytes > maxBytes) {
            return Result.err(ErrorCode.OUTBOX_FULL, "outbox holds " + (bytes + reservedBytes) + " payload bytes, "
                    + payloadBytes + " more would pass the limit (outboxMaxBytes) of " + maxBytes + "; message not accepted");
        }
        reserved++;
        reservedBytes += payloadBytes;
        return Result.ok();
    }

    /** Gives back a reservation that did not become an entry. */
    void release(int payloadBytes) {
        reserved--;
        reservedBytes -= payloadBytes;
    }

    /** As {@link #add(OutboundMessage, int, long, CompletableFuture, boolean)} with the payload size computed here and serial 0. */
    Entry add(OutboundMessage m, CompletableFuture<Result<Delivery>> future, boolean reservedBefore) {
        return add(m, m.payloadBytes(), 0, future, reservedBefore);
    }

    /**
     * Turns a reservation into an entry (or adds one loaded from the store when
     * {@code reservedBefore} is false); it joins the end of the unwritten ones.
     */
    Entry add(OutboundMessage m, int payloadBytes, long serial, CompletableFuture<Result<Delivery>> future,
              boolean reservedBefore) {
        Entry e = new Entry(m, payloadBytes, serial, added++, future);
        if (reservedBefore) {
            release(e.bytes);
        }
        entries.put(m.id(), e);
        unwritten.addLast(e);
        bytes += e.bytes;
        return e;
    }

    Entry get(String id) {
        return entries.get(id);
    }

    Entry remove(String id) {
        Entry e = entries.remove(id);
        if (e != null) {
            e.removed = true;
            bytes -= e.bytes;
        }
        return e;
    }

    /** Entries in acceptance order (a live view: do not modify the outbox while iterating). */
    Collection<Entry> entries() {
        return entries.values();
    }

    /** A copy of the entries, in acceptance order. */
    List<Entry> snapshot() {
        return new ArrayList<>(entries.values());
    }

    /** The oldest entry not yet written on the current primary, taken off the cursor; null when none. */
    Entry nextUnwritten() {
        Entry e;
        while ((e = unwritten.pollFirst()) != null) {
            if (!e.removed) {
                return e;
            }
        }
        return null;
    }

    /** The oldest entry not yet written on the current primary, left on the cursor; null when none. */
    Entry peekUnwritten() {
        Entry e;
        while ((e = unwritten.peekFirst()) != null && e.removed) {
            unwritten.pollFirst();
        }
        return e;
    }

    /** Forgets where every entry was written: the next primary gets them all again, in order. */
    void resetWrites() {
        unwritten.clear();
        for (Entry e : entries.values()) {
            e.writtenOn = -1;
            unwritten.addLast(e);
        }
    }

    /** Entries written at least once (they are replayed on a new primary). */
    int everWritten() {
        int n = 0;
        for (Entry e : entries.values()) {
            if (e.attempts > 0) {
                n++;
            }
        }
        return n;
    }

    int size() {
        return entries.size();
    }

    long bytes() {
        return bytes;
    }
}
