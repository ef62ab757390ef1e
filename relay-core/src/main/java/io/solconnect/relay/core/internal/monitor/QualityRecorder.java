package io.solconnect.relay.core.internal.monitor;

import io.solconnect.relay.api.QualityMetrics;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.Scheduler;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.IntCountsHistogram;

/**
 * Quality measurements of one relay over a sliding window: RTT EWMA and percentiles, frame and byte
 * rates both ways, error rate, disconnects, time connected. The window is cut into
 * {@value #BUCKETS} buckets; a bucket that falls out of the window is forgotten whole, so the
 * window slides in steps of window/{@value #BUCKETS}. RTT percentiles come from an HdrHistogram
 * (1 µs to 60 s, 2 significant digits, i.e. within 1 %), summed on {@link #snapshot()} from the
 * buckets. A bucket keeps its first {@value #RAW_RTT} RTT samples as plain numbers and makes its own
 * histogram (10 KiB) only when more arrive: an idle link pinged a few times a second would otherwise
 * hold ten histograms per relay, about 200 KiB per session with a standby, which is what stops one
 * process from holding thousands of sessions. The sum is made in a histogram reused per thread.
 *
 * <p>Rates divide by the window, or by the time since the recorder was created when that is
 * shorter, so a new relay is not under-rated. The error rate is errors over operations (inbound
 * frames, writes, pings answered or missed, connect attempts) and is unknown when there was no
 * operation. Thread-safe (all methods synchronized; each is O(buckets)).
 */
public final class QualityRecorder {

    /** Buckets per window. */
    static final int BUCKETS = 10;
    /** EWMA weight of a new RTT sample. */
    public static final double EWMA_ALPHA = 0.2;
    /** Most RTT history entries kept. */
    static final int HISTORY = 300;
    /** RTT samples a bucket keeps as plain numbers before it makes a histogram. */
    static final int RAW_RTT = 64;
    /** Where {@link #snapshot()} sums the buckets' RTTs; reset before each use, never shared across threads. */
    private static final ThreadLocal<AbstractHistogram> SUM = ThreadLocal.withInitial(QualityRecorder::newHistogram);

    /** RTTs above this (60 s) are recorded as 60 s. */
    static final long MAX_RTT_MICROS = 60_000_000L;

    private final RelayEndpoint endpoint;
    private final Scheduler clock;
    private final Duration window;
    private final long bucketNanos;
    private final long createdNanos;
    private final ArrayDeque<Bucket> buckets = new ArrayDeque<>();
    /** The RTT history, a ring of {@link #HISTORY} EWMA values (doubles, not boxed), made at its first value. */
    private double[] rttHistory;
    private int historyStart;
    private int historySize;
    private double rttEwma = Double.NaN;
    private long rttVersion;
    private long cachedVersion = -1;
    private long cachedOldest = Long.MIN_VALUE;
    private OptionalDouble cachedP50 = OptionalDouble.empty();
    private OptionalDouble cachedP99 = OptionalDouble.empty();
    private int activeConnections;
    private long connectedSinceNanos = -1;

    private static final class Bucket {
        final long start;
        long inFrames;
        long inBytes;
        long outFrames;
        long outBytes;
        long ops;
        long errors;
        int disconnects;
        /** The RTT samples in µs while there are at most {@link #RAW_RTT}; null before the first. */
        int[] rawRtt;
        int rawCount;
        /** All of the bucket's RTT samples once there were more than {@link #RAW_RTT}. */
        AbstractHistogram rtt;

        Bucket(long start) {
            this.start = start;
        }

        void rtt(long micros) {
            if (rtt != null) {
                rtt.recordValue(micros);
                return;
            }
            if (rawRtt == null) {
                rawRtt = new int[8];
            } else if (rawCount == rawRtt.length) {
                if (rawCount >= RAW_RTT) {
                    rtt = newHistogram();
                    for (int i = 0; i < rawCount; i++) {
                        rtt.recordValue(rawRtt[i]);
                    }
                    rtt.recordValue(micros);
                    rawRtt = null;
                    rawCount = 0;
                    return;
                }
                rawRtt = java.util.Arrays.copyOf(rawRtt, rawCount * 2);
            }
            rawRtt[rawCount++] = (int) micros; // at most MAX_RTT_MICROS, which fits
        }

        boolean hasRtt() {
            return rtt != null || rawCount > 0;
        }

        void addRttTo(AbstractHistogram sum) {
            if (rtt != null) {
                sum.add(rtt);
            }
            for (int i = 0; i < rawCount; i++) {
                sum.recordValue(rawRtt[i]);
            }
        }
    }

    /**
     * Creates a recorder.
     *
     * @param endpoint the relay
     * @param clock    time source (only {@code nanoTime} is used)
     * @param window   the sliding window, positive
     */
    public QualityRecorder(RelayEndpoint endpoint, Scheduler clock, Duration window) {
        this.endpoint = endpoint;
        this.clock = clock;
        this.window = window;
        this.bucketNanos = Math.max(1, window.toNanos() / BUCKETS);
        this.createdNanos = clock.nanoTime();
    }

    private Bucket current() {
        long now = clock.nanoTime();
        long start = now - Math.floorMod(now - createdNanos, bucketNanos);
        Bucket last = buckets.peekLast();
        if (last == null || last.start != start) {
            last = new Bucket(start);
            buckets.addLast(last);
        }
        expire(now);
        return last;
    }

    private void expire(long now) {
        while (!buckets.isEmpty() && buckets.peekFirst().start + bucketNanos * BUCKETS <= now) {
            buckets.pollFirst();
        }
    }

    private static AbstractHistogram newHistogram() {
        return new IntCountsHistogram(MAX_RTT_MICROS, 2);
    }

    /**
     * A round trip of {@code rtt} was measured: a control-frame pong, or the ack of a message timed
     * on the link it was written to (so busy links have RTT figures too).
     */
    public synchronized void rtt(Duration rtt) {
        long micros = Math.max(1, Math.min(rtt.toNanos() / 1000, MAX_RTT_MICROS));
        Bucket b = current();
        b.rtt(micros);
        rttVersion++;
        b.ops++;
        double ms = rtt.toNanos() / 1e6;
        rttEwma = Double.isNaN(rttEwma) ? ms : EWMA_ALPHA * ms + (1 - EWMA_ALPHA) * rttEwma;
    }

    /** A frame of {@code bytes} UTF-8 bytes arrived (a malformed one too; count its error apart). */
    public synchronized void inbound(int bytes) {
        Bucket b = current();
        b.inFrames++;
        b.inBytes += bytes;
        b.ops++;
    }

    /** A frame of {@code bytes} was written. */
    public synchronized void outbound(int bytes) {
        Bucket b = current();
        b.outFrames++;
        b.outBytes += bytes;
        b.ops++;
    }

    /** A connect attempt started; its failure is recorded with {@link #error()}. */
    public synchronized void connectAttempt() {
        current().ops++;
    }

    /** Something failed: a connect, a write, a missed pong, a malformed frame, an error frame. */
    public synchronized void error() {
        Bucket b = current();
        b.errors++;
        // every error is also an operation, so the rate stays in [0, 1]
        b.ops++;
    }

    /** A connection to the relay opened. */
    public synchronized void connected() {
        activeConnections++;
        if (connectedSinceNanos < 0) {
            connectedSinceNanos = clock.nanoTime();
        }
    }

    /** A connection to the relay ended. */
    public synchronized void disconnected() {
        activeConnections = Math.max(0, activeConnections - 1);
        current().disconnects++;
        if (activeConnections == 0) {
            connectedSinceNanos = -1;
        }
    }

    /** Appends the current EWMA (NaN when unknown) to the RTT history; called once per health check. */
    public synchronized void sampleHistory() {
        if (rttHistory == null) {
            rttHistory = new double[HISTORY];
        }
        if (historySize < HISTORY) {
            rttHistory[(historyStart + historySize++) % HISTORY] = rttEwma;
        } else {
            rttHistory[historyStart] = rttEwma;
            historyStart = (historyStart + 1) % HISTORY;
        }
    }

    /** Recent RTT EWMA values in ms, oldest first. */
    public synchronized List<Double> rttHistory() {
        List<Double> out = new ArrayList<>(historySize);
        for (int i = 0; i < historySize; i++) {
            out.add(rttHistory[(historyStart + i) % HISTORY]);
        }
        return List.copyOf(out);
    }

    /** Takes a snapshot of the metrics. */
    public synchronized QualityMetrics snapshot() {
        long now = clock.nanoTime();
        expire(now);
        long inFrames = 0;
        long inBytes = 0;
        long outFrames = 0;
        long outBytes = 0;
        long ops = 0;
        long errors = 0;
        int disconnects = 0;
        for (Bucket b : buckets) {
            inFrames += b.inFrames;
            inBytes += b.inBytes;
            outFrames += b.outFrames;
            outBytes += b.outBytes;
            ops += b.ops;
            errors += b.errors;
            disconnects += b.disconnects;
        }
        long oldest = buckets.isEmpty() ? Long.MIN_VALUE : buckets.peekFirst().start;
        if (cachedVersion != rttVersion || cachedOldest != oldest) {
            AbstractHistogram rtt = null;
            for (Bucket b : buckets) {
                if (b.hasRtt()) {
                    if (rtt == null) {
                        rtt = SUM.get();
                        rtt.reset();
                    }
                    b.addRttTo(rtt);
                }
            }
            cachedP50 = rtt == null ? OptionalDouble.empty() : OptionalDouble.of(rtt.getValueAtPercentile(50) / 1000.0);
            cachedP99 = rtt == null ? OptionalDouble.empty() : OptionalDouble.of(rtt.getValueAtPercentile(99) / 1000.0);
            cachedVersion = rttVersion;
            cachedOldest = oldest;
        }
        double seconds = Math.max(1e-3, Math.min(window.toNanos(), now - createdNanos) / 1e9);
        OptionalDouble p50 = cachedP50;
        OptionalDouble p99 = cachedP99;
        OptionalDouble ewma = Double.isNaN(rttEwma) ? OptionalDouble.empty() : OptionalDouble.of(rttEwma);
        OptionalDouble errorRate = ops == 0 ? OptionalDouble.empty() : OptionalDouble.of(Math.min(1.0, (double) errors / ops));
        Duration connectedFor = connectedSinceNanos < 0 ? Duration.ZERO : Duration.ofNanos(now - connectedSinceNanos);
        return new QualityMetrics(endpoint.id(), ewma, p50, p99, inFrames / seconds, outFrames / seconds,
                inBytes / seconds, outBytes / seconds, errorRate, disconnects, connectedFor, activeConnections,
                OptionalDouble.empty(), window);
    }

    /** For tests: buckets that made a histogram of their RTT samples. */
    synchronized int rttHistograms() {
        return (int) buckets.stream().filter(b -> b.rtt != null).count();
    }
}
