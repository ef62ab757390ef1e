package io.solconnect.relay.examples.bench.failover;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the receiving application saw around one fault, from its message listener:
 * <ul>
 *   <li>the delivery gap: the longest time without a new message delivered, from the last
 *       delivery before the fault up to the first one at least {@link #AFTER} after it;</li>
 *   <li>the in-flight latency: send (handed to {@code send}) to {@code onMessage} of every message
 *       sent from {@link #BEFORE} before the fault to {@link #AFTER} after it, and how many of
 *       those never arrived while the window was read;</li>
 *   <li>out-of-order deliveries: new messages delivered after a higher-numbered one, while the
 *       window is open.</li>
 * </ul>
 * Fed by {@link SeqTracker} with every delivery; read once with {@link #await}. Thread-safe.
 */
final class FaultWindow {

    /** In-flight messages are those sent from this long before the fault... */
    static final Duration BEFORE = Duration.ofMillis(100);
    /** ...to this long after it; the delivery gap is watched this long after the fault too. */
    static final Duration AFTER = Duration.ofSeconds(1);

    private final long faultNanos;
    private final SendLog sends;
    private final long firstSeq;
    private final List<Duration> latencies = new ArrayList<>();
    private long lastDeliveryNanos;
    private long longestGap;
    private boolean gapClosed;
    private long outOfOrder;
    private boolean read;

    /**
     * Opens a window at a fault.
     *
     * @param faultNanos        when the fault is injected, on {@link System#nanoTime()}
     * @param lastDeliveryNanos the last delivery before it (0 for none: the gap starts at the fault)
     * @param sends             the send times
     */
    FaultWindow(long faultNanos, long lastDeliveryNanos, SendLog sends) {
        this.faultNanos = faultNanos;
        this.sends = sends;
        this.lastDeliveryNanos = lastDeliveryNanos > 0 ? lastDeliveryNanos : faultNanos;
        this.firstSeq = sends.firstSentFrom(faultNanos - BEFORE.toNanos());
    }

    /**
     * The first message of the in-flight window: messages from here on that arrived before the
     * window was opened are passed to {@link #delivered} by whoever opens it.
     *
     * @return its number
     */
    long firstSeq() {
        return firstSeq;
    }

    /**
     * One delivery of a numbered message.
     *
     * @param seq        its number
     * @param atNanos    when the listener got it, on {@link System#nanoTime()}
     * @param first      whether it is the first delivery of that number
     * @param outOfOrder whether a higher number was delivered before it
     */
    synchronized void delivered(long seq, long atNanos, boolean first, boolean outOfOrder) {
        if (read || !first) {
            return;
        }
        if (outOfOrder) {
            this.outOfOrder++;
        }
        if (!gapClosed && atNanos >= faultNanos) {
            longestGap = Math.max(longestGap, atNanos - lastDeliveryNanos);
            gapClosed = atNanos - faultNanos >= AFTER.toNanos();
        }
        lastDeliveryNanos = Math.max(lastDeliveryNanos, atNanos);
        long sentAt = sends.sentAt(seq);
        if (seq >= firstSeq && sentAt >= 0 && sentAt - faultNanos <= AFTER.toNanos()) {
            latencies.add(Duration.ofNanos(atNanos - sentAt));
        }
        notifyAll();
    }

    /**
     * Waits until {@link #AFTER} has passed since the fault, the gap is closed and every in-flight
     * message arrived, or {@code timeoutMillis} (from now) passed; then closes the window.
     *
     * @param timeoutMillis the longest wait
     * @return the figures; a gap still open at the end is measured up to then
     * @throws InterruptedException when interrupted
     */
    synchronized Figures await(long timeoutMillis) throws InterruptedException {
        long end = System.nanoTime() + timeoutMillis * 1_000_000;
        long inFlight = inFlight();
        while (true) {
            long now = System.nanoTime();
            boolean windowOver = now - faultNanos >= AFTER.toNanos();
            if (windowOver) {
                inFlight = inFlight();
            }
            if (windowOver && gapClosed && latencies.size() >= inFlight) {
                break;
            }
            if (now >= end) {
                break;
            }
            long waitNanos = Math.min(end - now, windowOver ? end - now : faultNanos + AFTER.toNanos() - now);
            wait(Math.max(1, waitNanos / 1_000_000));
        }
        read = true;
        long gap = gapClosed ? longestGap : Math.max(longestGap, System.nanoTime() - lastDeliveryNanos);
        return new Figures(Duration.ofNanos(gap), gapClosed, List.copyOf(latencies), inFlight, outOfOrder);
    }

    /** The messages sent in the in-flight window so far. */
    private long inFlight() {
        long afterEnd = sends.firstSentFrom(faultNanos + AFTER.toNanos() + 1);
        return Math.max(0, afterEnd - firstSeq);
    }

    /**
     * The figures of one fault.
     *
     * @param deliveryGap   the longest time without a new delivery around the fault
     * @param gapClosed     false when no message arrived {@link #AFTER} after the fault or later
     *                      before the window was read (the gap was then still open)
     * @param latencies     send to delivery of each in-flight message that arrived
     * @param inFlight      the messages sent in the in-flight window
     * @param outOfOrder    new messages delivered after a higher-numbered one while the window was open
     */
    record Figures(Duration deliveryGap, boolean gapClosed, List<Duration> latencies, long inFlight, long outOfOrder) {

        /**
         * In-flight messages that had not arrived when the window was read.
         *
         * @return the count
         */
        long missing() {
            return Math.max(0, inFlight - latencies.size());
        }
    }
}
