package io.solconnect.relay.core.internal.engine;

import io.solconnect.relay.api.Delivery;
import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.OutboundMessage;
import io.solconnect.relay.api.Result;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The messages accepted by {@code send} and not yet acknowledged, in acceptance order, bounded by
 * count and by payload bytes. An entry leaves only when a relay acknowledges it (or, for a protocol
 * without acknowledgements, when it was written), or when it cannot ever be sent (encoding
 * failed). Not thread-safe: the engine guards it with its lock.
 */
final class Outbox {

    /** One held message. */
    static final class Entry {
        final OutboundMessage message;
        final CompletableFuture<Result<Delivery>> future;
        final int bytes;
        String frame;
        /** Consecutive per-room serial of this sender session, for receivers' ordering. */
        long serial;
        int attempts;
        /** Generation of the link it was last written to; -1 when not written on the current primary. */
        long writtenOn = -1;
        long writtenAtNanos;
        /** Links that got a copy (warm standbys, catch-ups); promoted, they need no replay of it. */
        final Copies copies = new Copies();

        Entry(OutboundMessage message, CompletableFuture<Result<Delivery>> future) {
            this.message = message;
            this.future = future;
            this.bytes = message.payloadBytes();
        }
    }

    private final int maxMessages;
    private final long maxBytes;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
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

    /** Turns a reservation into an entry (or adds one loaded from the store when {@code reservedBefore} is false). */
    Entry add(OutboundMessage m, CompletableFuture<Result<Delivery>> future, boolean reservedBefore) {
        Entry e = new Entry(m, future);
        if (reservedBefore) {
            release(e.bytes);
        }
        entries.put(m.id(), e);
        bytes += e.bytes;
        return e;
    }

    Entry get(String id) {
        return entries.get(id);
    }

    Entry remove(String id) {
        Entry e = entries.remove(id);
        if (e != null) {
            bytes -= e.bytes;
        }
        return e;
    }

    /** Entries in acceptance order (a live view: copy before modifying the outbox). */
    Collection<Entry> entries() {
        return entries.values();
    }

    List<Entry> snapshot() {
        return new ArrayList<>(entries.values());
    }

    /** Forgets where every entry was written: the next primary gets them all again, in order. */
    void resetWrites() {
        for (Entry e : entries.values()) {
            e.writtenOn = -1;
        }
    }

    int size() {
        return entries.size();
    }

    long bytes() {
        return bytes;
    }
}
