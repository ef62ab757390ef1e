package io.solconnect.relay.examples.bench.throughput;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoundTest {

    @Test
    void throughputIsDeliveredOverFirstSendToLastDelivery() throws InterruptedException {
        Round r = new Round(4);
        for (int s = 1; s <= 4; s++) {
            r.sent(s, 1_000_000_000L + s * 1_000_000L);
        }
        r.delivered(1, 1_002_000_000L); // 1 ms
        r.delivered(2, 1_004_000_000L); // 2 ms
        r.delivered(3, 1_006_000_000L); // 3 ms
        assertFalse(r.await(0));
        r.delivered(4, 1_501_000_000L); // 497 ms
        assertTrue(r.await(0));
        Round.Figures f = r.figures();
        assertEquals(4 / 0.5, f.perSecond(), 1e-9); // first send at 1.001 s, last delivery at 1.501 s
        assertEquals(2.0, f.p50Ms(), 1e-9);
        assertEquals(497.0, f.p99Ms(), 1e-9);
        assertEquals(0, f.lost());
    }

    @Test
    void duplicatesOutOfRangeAndMissingAreCounted() {
        Round r = new Round(3);
        r.sent(1, 10);
        r.sent(2, 20);
        r.sent(3, 30);
        r.delivered(1, 40);
        r.delivered(1, 50);
        r.delivered(0, 50);
        r.delivered(-1, 50);
        r.delivered(4, 50);
        Round.Figures f = r.figures();
        assertEquals(2, f.lost());
        assertEquals(4, f.duplicates());
        assertThrows(IllegalArgumentException.class, () -> new Round(0));
    }
}
