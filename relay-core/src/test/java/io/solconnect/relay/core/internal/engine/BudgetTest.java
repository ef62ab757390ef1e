package io.solconnect.relay.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BudgetTest {

    @Test
    void allowsOneSecondsWorthThenRefillsAtItsRate() {
        Budget b = new Budget(10, 1000);
        int taken = 0;
        while (b.fits(0, 10)) {
            b.take(10);
            taken++;
        }
        assertEquals(10, taken, "writes per second");
        assertFalse(b.fits(50_000_000, 10), "half a write refilled after 50 ms");
        assertTrue(b.fits(100_000_000, 10), "one write after 100 ms");
        assertTrue(b.fits(10_000_000_000L, 10));
        b.take(10);
        int more = 1;
        while (b.fits(10_000_000_000L, 10)) {
            b.take(10);
            more++;
        }
        assertEquals(10, more, "never more than one second's worth, however long it was idle");
    }

    @Test
    void bytesAreBudgetedToo() {
        Budget b = new Budget(1000, 100);
        assertTrue(b.fits(0, 100));
        b.take(100);
        assertFalse(b.fits(0, 1));
    }

    @Test
    void ratesMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new Budget(0, 1));
    }
}
