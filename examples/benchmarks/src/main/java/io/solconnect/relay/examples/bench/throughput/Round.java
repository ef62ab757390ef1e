package io.solconnect.relay.examples.bench.throughput;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One measured round: {@code count} messages numbered from 1, each send time recorded, each
 * delivery time recorded once. Throughput is distinct messages delivered per second from the
 * first send to the last delivery; latency is send call to receiver listener, per message.
 * Thread-safe.
 */
final class Round {

    private final int count;
    private final long[] sentAt;
    private final long[] deliveredAt;
    private final CountDownLatch done;
    private int duplicates;
    private int foreign;

    Round(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be positive, was " + count);
        }
        this.count = count;
        this.sentAt = new long[count + 1];
        this.deliveredAt = new long[count + 1];
        this.done = new CountDownLatch(count);
    }

    void sent(int seq, long nanos) {
        sentAt[seq] = nanos;
    }

    synchronized void delivered(long seq, long nanos) {
        if (seq < 1 || seq > count) {
            foreign++;
            return;
        }
        if (deliveredAt[(int) seq] != 0) {
            duplicates++;
            return;
        }
        deliveredAt[(int) seq] = nanos;
        done.countDown();
    }

    boolean await(long timeoutMillis) throws InterruptedException {
        return done.await(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * The figures.
     *
     * @return messages per second, p50 and p99 latency in ms, lost and duplicates
     */
    synchronized Figures figures() {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        long[] lat = new long[count];
        int n = 0;
        for (int s = 1; s <= count; s++) {
            if (sentAt[s] != 0) {
                first = Math.min(first, sentAt[s]);
            }
            if (deliveredAt[s] != 0) {
                last = Math.max(last, deliveredAt[s]);
                lat[n++] = deliveredAt[s] - sentAt[s];
            }
        }
        long[] l = Arrays.copyOf(lat, n);
        Arrays.sort(l);
        double seconds = n == 0 ? Double.NaN : (last - first) / 1e9;
        return new Figures(n / seconds, pct(l, 50), pct(l, 99), count - n, duplicates + foreign);
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }

    /**
     * One round's result.
     *
     * @param perSecond  distinct messages delivered per second
     * @param p50Ms      median send-to-delivery latency, ms
     * @param p99Ms      99th percentile latency, ms
     * @param lost       messages not delivered
     * @param duplicates extra deliveries
     */
    record Figures(double perSecond, double p50Ms, double p99Ms, long lost, long duplicates) {
        String format() {
            return String.format(Locale.ROOT, "msg_per_s=%.0f p50_ms=%.2f p99_ms=%.2f lost=%d duplicates=%d",
                    perSecond, p50Ms, p99Ms, lost, duplicates);
        }
    }
}
