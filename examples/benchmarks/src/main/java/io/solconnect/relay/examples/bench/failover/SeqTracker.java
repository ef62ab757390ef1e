package io.solconnect.relay.examples.bench.failover;

import io.solconnect.relay.examples.cli.Payloads;

import java.util.BitSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Counts what one receiver got from one sender by the sequence number in the payload
 * ({@link Payloads}): distinct messages, duplicates, out-of-order deliveries, the first delivery
 * through another relay than a given one after a given moment (the end of a failover as the
 * benchmarks measure it), and what the application saw around a fault ({@link #watch}).
 * Thread-safe.
 */
public final class SeqTracker {

    private final String sender;
    private final BitSet seen = new BitSet();
    private long distinct;
    private long duplicates;
    private long foreign;
    private long lastAnyNanos;
    private long highest;
    private long outOfOrder;
    /** First-delivery time by number, for the last {@link SendLog#CAPACITY} numbers. */
    private final long[] deliveredAt = new long[SendLog.CAPACITY];
    /** The fault being watched, or null. */
    private FaultWindow window;
    // the armed failover probe
    private String leftRelay;
    private long armedAtNanos;
    private long armedAfterSeq;
    private CountDownLatch moved = new CountDownLatch(0);
    private long movedAtNanos;
    private String movedTo;

    /**
     * Creates a tracker for one sender.
     *
     * @param sender the sender id written in the payloads
     */
    public SeqTracker(String sender) {
        this.sender = sender;
    }

    /**
     * Records that {@code send} refused number {@code seq} (e.g. {@code outbox_full}): the sender
     * was told, so it is neither lost nor expected; it counts as settled for {@link #lost},
     * {@link #complete} and {@link #missingRuns}.
     *
     * @param seq the number refused, 1..Integer.MAX_VALUE
     */
    public synchronized void refused(long seq) {
        if (seq >= 1 && seq <= Integer.MAX_VALUE) {
            seen.set((int) seq);
        }
    }

    /**
     * Records one delivery.
     *
     * @param payload  the payload delivered
     * @param relay    the relay whose link delivered it
     * @param atNanos  when, on {@link System#nanoTime()}
     */
    public synchronized void delivered(String payload, String relay, long atNanos) {
        var h = Payloads.parse(payload);
        if (h.isEmpty() || !h.get().from().equals(sender) || h.get().seq() < 1 || h.get().seq() > Integer.MAX_VALUE) {
            foreign++;
            return;
        }
        int seq = (int) h.get().seq();
        boolean first = !seen.get(seq);
        boolean late = first && seq < highest;
        if (first) {
            seen.set(seq);
            distinct++;
            deliveredAt[seq & (SendLog.CAPACITY - 1)] = atNanos;
            highest = Math.max(highest, seq);
            if (late) {
                outOfOrder++;
            }
        } else {
            duplicates++;
        }
        if (window != null) {
            window.delivered(seq, atNanos, first, late);
        }
        lastAnyNanos = atNanos;
        if (leftRelay != null && !relay.equals(leftRelay) && atNanos >= armedAtNanos && seq > armedAfterSeq) {
            movedAtNanos = atNanos;
            movedTo = relay;
            leftRelay = null;
            moved.countDown();
        }
    }

    /**
     * Starts watching for the first delivery, through any relay but {@code relay} at or after
     * {@code atNanos}, of a message numbered above {@code afterSeq} (so a copy of an older message
     * replayed or re-published elsewhere does not count as the stream having moved); replaces an
     * earlier probe.
     *
     * @param relay    the relay being left
     * @param atNanos  the fault injection time, on {@link System#nanoTime()}
     * @param afterSeq the last sequence number sent before the fault
     */
    public synchronized void arm(String relay, long atNanos, long afterSeq) {
        leftRelay = relay;
        armedAtNanos = atNanos;
        armedAfterSeq = afterSeq;
        movedTo = null;
        moved = new CountDownLatch(1);
    }

    /**
     * Starts watching what the application sees around a fault (replacing an earlier watch):
     * the window learns every delivery from now on, and the first deliveries already made of the
     * messages in its in-flight window.
     *
     * @param faultNanos when the fault is injected, on {@link System#nanoTime()}
     * @param sends      the send times
     * @return the window, read with {@link FaultWindow#await}
     */
    synchronized FaultWindow watch(long faultNanos, SendLog sends) {
        window = new FaultWindow(faultNanos, lastAnyNanos, sends);
        for (long seq = window.firstSeq(); seq <= highest && seq < Integer.MAX_VALUE; seq++) {
            if (seen.get((int) seq)) {
                window.delivered(seq, deliveredAt[(int) (seq & (SendLog.CAPACITY - 1))], true, false);
            }
        }
        return window;
    }

    /**
     * Waits for the armed probe.
     *
     * @param timeoutMillis how long to wait
     * @return the delivery time on {@link System#nanoTime()}, or -1 on timeout
     * @throws InterruptedException when interrupted
     */
    public long awaitMoved(long timeoutMillis) throws InterruptedException {
        CountDownLatch l;
        synchronized (this) {
            l = moved;
        }
        if (!l.await(timeoutMillis, TimeUnit.MILLISECONDS)) {
            return -1;
        }
        synchronized (this) {
            return movedAtNanos;
        }
    }

    /**
     * The relay of the delivery that ended the last probe.
     *
     * @return the relay id, or null if the probe has not fired
     */
    public synchronized String movedTo() {
        return movedTo;
    }

    /**
     * Whether every message from 1 to {@code sent} arrived.
     *
     * @param sent the number the sender sent
     * @return true when none is missing
     */
    public synchronized boolean complete(long sent) {
        return seen.nextClearBit(1) > sent;
    }

    /**
     * Whether every message numbered above {@code after} up to {@code upTo} arrived.
     *
     * @param after the last number not checked
     * @param upTo  the last number checked
     * @return true when none in the range is missing (also when the range is empty)
     */
    public synchronized boolean completeBetween(long after, long upTo) {
        return upTo <= after || seen.nextClearBit((int) Math.max(1, after + 1)) > upTo;
    }

    /**
     * The lowest number not delivered yet.
     *
     * @return the number, at least 1
     */
    public synchronized long firstMissing() {
        return seen.nextClearBit(1);
    }

    /**
     * The runs of numbers in 1..{@code sent} never delivered, as "first-last" (or one number),
     * oldest first.
     *
     * @param sent the number the sender sent
     * @param max  most runs listed
     * @return the runs
     */
    public synchronized java.util.List<String> missingRuns(long sent, int max) {
        java.util.List<String> out = new java.util.ArrayList<>();
        int from = seen.nextClearBit(1);
        while (from <= sent && out.size() < max) {
            int nextSeen = seen.nextSetBit(from);
            int to = (int) Math.min(sent, nextSeen < 0 ? sent : nextSeen - 1);
            out.add(from == to ? Integer.toString(from) : from + "-" + to);
            from = seen.nextClearBit(to + 1);
        }
        return out;
    }

    /**
     * Messages in 1..{@code sent} never delivered, not counting those {@link #refused}.
     *
     * @param sent the number the sender sent
     * @return the count
     */
    public synchronized long lost(long sent) {
        long have = seen.get(1, (int) Math.min(Integer.MAX_VALUE, sent + 1)).cardinality();
        return sent - have;
    }

    /**
     * Distinct messages delivered.
     *
     * @return the count
     */
    public synchronized long distinct() {
        return distinct;
    }

    /**
     * Deliveries of a message already delivered.
     *
     * @return the count
     */
    public synchronized long duplicates() {
        return duplicates;
    }

    /**
     * First deliveries of a number below one delivered earlier (out of order as the application
     * sees it).
     *
     * @return the count
     */
    public synchronized long outOfOrder() {
        return outOfOrder;
    }

    /**
     * Deliveries that were not this sender's numbered payloads.
     *
     * @return the count
     */
    public synchronized long foreign() {
        return foreign;
    }

    /**
     * When the last numbered message arrived.
     *
     * @return {@link System#nanoTime()} of it, 0 before the first
     */
    public synchronized long lastDeliveryNanos() {
        return lastAnyNanos;
    }
}
