package io.solconnect.relay.examples.bench.fleet;

import org.HdrHistogram.Histogram;

import java.util.BitSet;
import java.util.function.IntPredicate;

/**
 * The bookkeeping of one round: when each client sent each of its numbered messages, which member
 * got which message (so lost and duplicate deliveries are counted per receiving member, not
 * trusted to the relays), and the send-to-{@code onMessage} latency of every first delivery of a
 * message sent inside the measured window, in an HdrHistogram (microseconds, 3 significant digits).
 * Every client is a member of exactly one room and expects every message the other members of that
 * room send; its own messages coming back are ignored. Thread-safe: the pacer calls {@link #sent},
 * the clients' listeners call {@link #delivered} concurrently.
 */
final class DeliveryTally {

    private static final long MAX_MICROS = 120_000_000L;

    private final int[] roomOf;
    private final long[][] sentAt; // [sender][seq] System.nanoTime(), 0 = not (yet) sent; guarded by this
    private final int[] sentCount; // guarded by this
    private final BitSet[] failed; // [sender] seqs whose send completed with an error; guarded by this
    private final BitSet[][] got; // [receiver][sender]; guarded by this
    private final Histogram latency = new Histogram(1, MAX_MICROS, 3); // guarded by this
    private final Histogram[] bySender; // the same, per sending client; guarded by this
    private long duplicates; // guarded by this
    private long deliveries; // guarded by this
    private long lastDeliveryNanos; // guarded by this
    private long windowFrom = Long.MAX_VALUE; // guarded by this
    private long windowTo = Long.MAX_VALUE; // guarded by this

    /**
     * A tally for clients {@code 0..roomOf.length-1}.
     *
     * @param roomOf    the room index of each client
     * @param maxPerClient the most messages one client sends in the round
     */
    DeliveryTally(int[] roomOf, int maxPerClient) {
        this.roomOf = roomOf.clone();
        int n = roomOf.length;
        sentAt = new long[n][maxPerClient + 1];
        sentCount = new int[n];
        failed = new BitSet[n];
        got = new BitSet[n][n];
        bySender = new Histogram[n];
        for (int i = 0; i < n; i++) {
            failed[i] = new BitSet();
            bySender[i] = new Histogram(1, MAX_MICROS, 2);
            for (int j = 0; j < n; j++) {
                got[i][j] = new BitSet();
            }
        }
    }

    /** The most messages one client may send: its sequence numbers run from 1 to this. */
    synchronized int capacity() {
        return sentAt[0].length - 1;
    }

    /**
     * Notes that {@code sender} is about to hand message {@code seq} to {@code send}.
     *
     * @param sender  the client index
     * @param seq     the message number, 1.. {@link #capacity()}, each once and in order
     * @param atNanos {@link System#nanoTime()} now
     */
    synchronized void sent(int sender, int seq, long atNanos) {
        sentAt[sender][seq] = atNanos;
        sentCount[sender] = seq;
    }

    /** Notes that the send of a message completed with an error (it is then expected nowhere). */
    synchronized void failed(int sender, int seq) {
        failed[sender].set(seq);
    }

    /** Latencies are recorded from now on, for messages sent from now on. */
    synchronized void startMeasuring(long nowNanos) {
        windowFrom = nowNanos;
    }

    /** Messages sent from now on are not measured (their deliveries are still counted). */
    synchronized void stopMeasuring(long nowNanos) {
        windowTo = nowNanos;
    }

    /**
     * One delivery to a member.
     *
     * @param receiver the receiving client's index
     * @param sender   the sending client's index, from the payload
     * @param seq      the message number, from the payload
     * @param atNanos  {@link System#nanoTime()} in the listener
     */
    synchronized void delivered(int receiver, int sender, long seq, long atNanos) {
        if (receiver == sender || sender < 0 || sender >= roomOf.length || seq < 1 || seq > capacity()) {
            return;
        }
        BitSet b = got[receiver][sender];
        if (b.get((int) seq)) {
            duplicates++;
            return;
        }
        b.set((int) seq);
        deliveries++;
        lastDeliveryNanos = Math.max(lastDeliveryNanos, atNanos);
        long sent = sentAt[sender][(int) seq];
        if (sent != 0 && sent >= windowFrom && sent < windowTo) {
            long micros = Math.max(1, Math.min(MAX_MICROS, (atNanos - sent) / 1000));
            latency.recordValue(micros);
            bySender[sender].recordValue(micros);
        }
    }

    /**
     * Deliveries still missing: for every message sent and not failed, every other member of the
     * sender's room that has not got it.
     *
     * @return the count; 0 once everything arrived
     */
    synchronized long missing() {
        long missing = 0;
        for (int s = 0; s < roomOf.length; s++) {
            for (int r = 0; r < roomOf.length; r++) {
                if (r == s || roomOf[r] != roomOf[s]) {
                    continue;
                }
                BitSet b = got[r][s];
                for (int seq = 1; seq <= sentCount[s]; seq++) {
                    if (!b.get(seq) && !failed[s].get(seq)) {
                        missing++;
                    }
                }
            }
        }
        return missing;
    }

    /** Messages handed to {@code send}, all clients. */
    synchronized long sentTotal() {
        long t = 0;
        for (int c : sentCount) {
            t += c;
        }
        return t;
    }

    /** Sends that completed with an error. */
    synchronized long failedTotal() {
        long t = 0;
        for (BitSet b : failed) {
            t += b.cardinality();
        }
        return t;
    }

    /** Second and later deliveries of a message to the same member. */
    synchronized long duplicates() {
        return duplicates;
    }

    /** First deliveries, all members. */
    synchronized long deliveries() {
        return deliveries;
    }

    /** The last first delivery, on {@link System#nanoTime()}; 0 before any. */
    synchronized long lastDeliveryNanos() {
        return lastDeliveryNanos;
    }

    /** Latency percentile of the measured messages in milliseconds; NaN when none was measured. */
    synchronized double percentileMs(double percentile) {
        return latency.getTotalCount() == 0 ? Double.NaN : latency.getValueAtPercentile(percentile) / 1000.0;
    }

    /**
     * Latency percentile of the measured messages of some senders only, in milliseconds (to 2
     * significant digits).
     *
     * @param percentile the percentile, 0..100
     * @param senders    which sending clients count
     * @return the percentile; NaN when none of theirs was measured
     */
    synchronized double percentileMs(double percentile, IntPredicate senders) {
        Histogram h = new Histogram(1, MAX_MICROS, 2);
        for (int s = 0; s < bySender.length; s++) {
            if (senders.test(s)) {
                h.add(bySender[s]);
            }
        }
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
    }

    /** Measured deliveries. */
    synchronized long measured() {
        return latency.getTotalCount();
    }
}
