package io.solconnect.relay.examples.bench.failover;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * When each numbered message was handed to {@code send}, on {@link System#nanoTime()}: the last
 * {@value #CAPACITY} of them, in a ring (2 MB; 262 s at 1,000 messages/s). One thread records, in
 * increasing number and time; any thread reads. Thread-safe.
 */
final class SendLog {

    /** Send times kept. */
    static final int CAPACITY = 1 << 18;

    private final AtomicLongArray times = new AtomicLongArray(CAPACITY);
    private volatile long latest;

    /**
     * Records the send of message {@code seq}; called by the one sending thread, with {@code seq}
     * one above the last, before the message counts as sent.
     *
     * @param seq     the message number, from 1
     * @param atNanos when it was handed to {@code send}
     */
    void record(long seq, long atNanos) {
        times.set((int) (seq & (CAPACITY - 1)), atNanos);
        latest = seq;
    }

    /**
     * When message {@code seq} was sent.
     *
     * @param seq the message number
     * @return the time on {@link System#nanoTime()}, or -1 when it was not sent or is no longer kept
     */
    long sentAt(long seq) {
        long last = latest;
        if (seq < 1 || seq > last || seq <= last - CAPACITY) {
            return -1;
        }
        return times.get((int) (seq & (CAPACITY - 1)));
    }

    /**
     * The first message sent at or after {@code atNanos} (among those kept).
     *
     * @param atNanos the moment
     * @return its number; one above the last sent when none was
     */
    long firstSentFrom(long atNanos) {
        long last = latest;
        long lo = Math.max(1, last - CAPACITY + 1);
        long hi = last + 1;
        while (lo < hi) { // send times rise with the number
            long mid = (lo + hi) >>> 1;
            if (sentAt(mid) >= atNanos) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }
}
