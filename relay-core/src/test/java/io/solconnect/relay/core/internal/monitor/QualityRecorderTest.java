package io.solconnect.relay.core.internal.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solconnect.relay.api.QualityMetrics;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.core.VirtualScheduler;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class QualityRecorderTest {

    final VirtualScheduler clock = new VirtualScheduler();
    final QualityRecorder rec = new QualityRecorder(RelayEndpoint.of("wss://r.example/"), clock, Duration.ofSeconds(10));

    @Test
    void nothingMeasuredIsUnknownNotZero() {
        QualityMetrics m = rec.snapshot();
        assertTrue(m.rttEwmaMillis().isEmpty());
        assertTrue(m.rttP50Millis().isEmpty());
        assertTrue(m.errorRate().isEmpty());
        assertEquals(Duration.ZERO, m.connectedFor());
    }

    @Test
    void rttEwmaAndPercentilesFollowAScriptedSeries() {
        // 10, 20, 30, ..., 100 ms, one per 100 ms
        double ewma = Double.NaN;
        for (int i = 1; i <= 10; i++) {
            rec.rtt(Duration.ofMillis(10L * i));
            ewma = Double.isNaN(ewma) ? 10.0 * i : 0.2 * 10 * i + 0.8 * ewma;
            clock.advance(Duration.ofMillis(100));
        }
        QualityMetrics m = rec.snapshot();
        assertEquals(ewma, m.rttEwmaMillis().getAsDouble(), 1e-9);
        assertEquals(50.0, m.rttP50Millis().getAsDouble(), 0.5);   // HdrHistogram, 2 significant digits
        assertEquals(100.0, m.rttP99Millis().getAsDouble(), 1.0);
        // 10 pongs are 10 operations without error
        assertEquals(0.0, m.errorRate().getAsDouble());
    }

    @Test
    void ratesAreOverTheWindowAndOldBucketsSlideOut() {
        for (int i = 0; i < 50; i++) {
            rec.inbound(100);
            rec.outbound(40);
            clock.advance(Duration.ofMillis(100)); // 5 s of traffic: 10 frames/s each way
        }
        QualityMetrics m = rec.snapshot();
        assertEquals(10.0, m.inboundPerSecond(), 1e-9);
        assertEquals(1000.0, m.inboundBytesPerSecond(), 1e-9);
        assertEquals(10.0, m.outboundPerSecond(), 1e-9);
        assertEquals(400.0, m.outboundBytesPerSecond(), 1e-9);
        clock.advance(Duration.ofSeconds(20));
        QualityMetrics later = rec.snapshot();
        assertEquals(0.0, later.inboundPerSecond());
        assertTrue(later.errorRate().isEmpty(), "no operation in the window: unknown");
    }

    @Test
    void errorRateStabilityAndConnectionTime() {
        rec.connectAttempt();
        rec.connected();
        for (int i = 0; i < 6; i++) {
            rec.inbound(10);
        }
        rec.error(); // a missed pong
        rec.error(); // a malformed frame
        clock.advance(Duration.ofSeconds(3));
        QualityMetrics m = rec.snapshot();
        // 1 connect + 6 frames + 2 errors = 9 operations, 2 failed
        assertEquals(2.0 / 9, m.errorRate().getAsDouble(), 1e-9);
        assertEquals(Duration.ofSeconds(3), m.connectedFor());
        assertEquals(1, m.activeConnections());
        rec.disconnected();
        QualityMetrics after = rec.snapshot();
        assertEquals(1, after.disconnectsInWindow());
        assertEquals(Duration.ZERO, after.connectedFor());
    }

    @Test
    void historySamplesTheEwmaPerHealthCheck() {
        rec.sampleHistory();
        rec.rtt(Duration.ofMillis(40));
        rec.sampleHistory();
        List<Double> h = rec.rttHistory();
        assertTrue(h.get(0).isNaN());
        assertEquals(40.0, h.get(1), 1e-9);
    }

    @Test
    void historyKeepsTheLatestValuesOldestFirst() {
        for (int i = 1; i <= QualityRecorder.HISTORY + 50; i++) {
            rec.rtt(Duration.ofMillis(i));
            rec.sampleHistory();
        }
        List<Double> h = rec.rttHistory();
        assertEquals(QualityRecorder.HISTORY, h.size());
        double ewma = Double.NaN;
        List<Double> expected = new java.util.ArrayList<>();
        for (int i = 1; i <= QualityRecorder.HISTORY + 50; i++) {
            ewma = Double.isNaN(ewma) ? i : QualityRecorder.EWMA_ALPHA * i + (1 - QualityRecorder.EWMA_ALPHA) * ewma;
            expected.add(ewma);
        }
        List<Double> tail = expected.subList(50, expected.size());
        for (int i = 0; i < tail.size(); i++) {
            assertEquals(tail.get(i), h.get(i), 1e-9, "entry " + i);
        }
    }

    /**
     * A bucket with few RTT samples (an idle link pinged now and then) keeps them as numbers, not
     * a 10 KiB histogram; percentiles are the same as from one histogram of every sample, below
     * and above the point where a bucket makes its own.
     */
    @Test
    void fewSamplesMakeNoHistogramAndPercentilesMatchOneHistogramOfAll() {
        org.HdrHistogram.AbstractHistogram reference = new org.HdrHistogram.IntCountsHistogram(QualityRecorder.MAX_RTT_MICROS, 2);
        java.util.Random random = new java.util.Random(7);
        // three buckets of 1 s: few samples in the first two, many in the third
        int[] perBucket = {5, QualityRecorder.RAW_RTT, QualityRecorder.RAW_RTT * 3};
        for (int b = 0; b < perBucket.length; b++) {
            for (int i = 0; i < perBucket[b]; i++) {
                long micros = 200 + random.nextInt(50_000);
                rec.rtt(Duration.ofNanos(micros * 1000));
                reference.recordValue(micros);
            }
            if (b < 2) {
                assertEquals(0, rec.rttHistograms(), "bucket " + b + " holds its samples as numbers");
                QualityMetrics m = rec.snapshot();
                assertEquals(reference.getValueAtPercentile(50) / 1000.0, m.rttP50Millis().getAsDouble(), 1e-9);
                assertEquals(reference.getValueAtPercentile(99) / 1000.0, m.rttP99Millis().getAsDouble(), 1e-9);
            }
            clock.advance(Duration.ofSeconds(1));
        }
        assertEquals(1, rec.rttHistograms(), "only the busy bucket made a histogram");
        QualityMetrics m = rec.snapshot();
        assertEquals(reference.getValueAtPercentile(50) / 1000.0, m.rttP50Millis().getAsDouble(), 1e-9);
        assertEquals(reference.getValueAtPercentile(99) / 1000.0, m.rttP99Millis().getAsDouble(), 1e-9);
    }
}
