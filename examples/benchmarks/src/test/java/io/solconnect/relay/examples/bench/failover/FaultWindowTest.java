package io.solconnect.relay.examples.bench.failover;

import io.solconnect.relay.examples.cli.Payloads;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the application saw around a fault, from scripted deliveries: one message every 100 ms,
 * sent from 500 ms before the fault; the fault lies 5 s in the past, so the window is over and
 * {@link FaultWindow#await} reads at once when nothing is missing.
 */
class FaultWindowTest {

    static final long MS = 1_000_000L;
    final long t0 = System.nanoTime() - 5_000 * MS;
    final SendLog sends = new SendLog();
    final SeqTracker tracker = new SeqTracker("s1");

    FaultWindowTest() {
        for (int seq = 1; seq <= 21; seq++) {
            sends.record(seq, sent(seq)); // seq 6 is sent at the fault, seq 16 one second later
        }
    }

    long sent(long seq) {
        return t0 + (-500 + 100 * (seq - 1)) * MS;
    }

    void deliver(long seq, long atNanos) {
        tracker.delivered(Payloads.make(seq, "s1", 0, 64), "a", atNanos);
    }

    @Test
    void gapInFlightLatencyAndOrderAroundAFault() throws Exception {
        for (int seq = 1; seq <= 5; seq++) {
            deliver(seq, sent(seq) + 5 * MS); // seq 5, sent 100 ms before the fault, is in flight
        }
        FaultWindow w = tracker.watch(t0, sends);
        // the messages sent from the fault on are held up, then come together, 7 before 6
        for (long seq : new long[] {7, 6, 8, 9, 10}) {
            deliver(seq, t0 + 450 * MS);
        }
        deliver(7, t0 + 460 * MS); // a duplicate changes nothing
        for (int seq = 11; seq <= 21; seq++) {
            deliver(seq, sent(seq) + 5 * MS);
        }
        FaultWindow.Figures f = w.await(10_000);
        assertTrue(f.gapClosed());
        assertEquals(Duration.ofMillis(545), f.deliveryGap(), "seq 5 at -95 ms to the burst at +450 ms");
        assertEquals(12, f.inFlight(), "seq 5 (sent at -100 ms) to seq 16 (sent at +1 s)");
        assertEquals(12, f.latencies().size());
        assertEquals(0, f.missing());
        assertEquals(Duration.ofMillis(450), f.latencies().stream().max(Duration::compareTo).orElseThrow(), "seq 6");
        assertEquals(Duration.ofMillis(5), f.latencies().stream().min(Duration::compareTo).orElseThrow());
        assertEquals(1, f.outOfOrder());
        assertEquals(1, tracker.outOfOrder());
        assertEquals(1, tracker.duplicates());
    }

    @Test
    void aMessageThatNeverArrivesIsMissingAndAStalledStreamLeavesTheGapOpen() throws Exception {
        for (int seq = 1; seq <= 5; seq++) {
            deliver(seq, sent(seq) + 5 * MS);
        }
        FaultWindow w = tracker.watch(t0, sends);
        deliver(7, t0 + 250 * MS); // seq 6 never comes, nothing after seq 7 either
        FaultWindow.Figures f = w.await(20);
        assertFalse(f.gapClosed());
        assertTrue(f.deliveryGap().toMillis() >= 4_000, "still open when read: " + f.deliveryGap());
        assertEquals(12, f.inFlight());
        assertEquals(2, f.latencies().size(), "seq 5 and 7");
        assertEquals(10, f.missing());
        assertEquals(0, f.outOfOrder(), "nothing came after a higher number");
    }
}
