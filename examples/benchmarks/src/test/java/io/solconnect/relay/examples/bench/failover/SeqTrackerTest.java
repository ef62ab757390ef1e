package io.solconnect.relay.examples.bench.failover;

import io.solconnect.relay.examples.cli.Payloads;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeqTrackerTest {

    private static String p(long seq) {
        return Payloads.make(seq, "s1", 0, 64);
    }

    @Test
    void countsLostAndDuplicatesBySequence() {
        SeqTracker t = new SeqTracker("s1");
        t.delivered(p(1), "a", 1);
        t.delivered(p(3), "a", 2);
        t.delivered(p(3), "b", 3);
        assertEquals(2, t.distinct());
        assertEquals(1, t.duplicates());
        assertEquals(1, t.lost(3));
        assertFalse(t.complete(3));
        t.delivered(p(2), "b", 4);
        assertTrue(t.complete(3));
        assertEquals(0, t.lost(3));
        assertEquals(1, t.lost(4));
    }

    @Test
    void reportsGapsAsRunsAndChecksARangeOnly() {
        SeqTracker t = new SeqTracker("s1");
        for (long seq : new long[] {1, 2, 5, 6, 9}) {
            t.delivered(p(seq), "a", seq);
        }
        assertEquals(3, t.firstMissing());
        assertEquals(List.of("3-4", "7-8", "10"), t.missingRuns(10, 20));
        assertEquals(List.of("3-4"), t.missingRuns(10, 1));
        assertTrue(t.completeBetween(4, 6), "5 and 6 arrived, whatever came before");
        assertFalse(t.completeBetween(4, 7));
        assertTrue(t.completeBetween(9, 9), "an empty range is complete");
        assertTrue(t.completeBetween(0, 2));
        assertFalse(t.completeBetween(0, 3));
    }

    @Test
    void hostilePayloadsAreForeignAndChangeNothingElse() {
        SeqTracker t = new SeqTracker("s1");
        for (String bad : List.of("", "seq=x from=s1 at=0", "seq=1 from=other at=0 ", "seq=-5 from=s1 at=0 ",
                "seq=99999999999 from=s1 at=0 ", "hello")) {
            t.delivered(bad, "a", 1);
        }
        assertEquals(6, t.foreign());
        assertEquals(0, t.distinct());
        assertEquals(0, t.duplicates());
    }

    @Test
    void probeFiresOnlyForAnotherRelayAfterTheFault() throws InterruptedException {
        SeqTracker t = new SeqTracker("s1");
        t.arm("a", 100, 1);
        t.delivered(p(2), "a", 150); // the faulted relay
        t.delivered(p(2), "b", 90);  // before the fault
        t.delivered(p(1), "b", 160); // sent before the fault: a replay, not the stream moving
        assertEquals(-1, t.awaitMoved(0));
        assertNull(t.movedTo());
        t.delivered(p(3), "b", 200);
        assertEquals(200, t.awaitMoved(0));
        assertEquals("b", t.movedTo());
        t.delivered(p(4), "c", 300); // the probe fired once; later deliveries do not move it
        assertEquals(200, t.awaitMoved(0));
    }

    @Test
    void faultListParsing() {
        assertEquals(List.of(Fault.SLOW, Fault.CRASH), Fault.parse("slow, crash"));
        assertThrows(IllegalArgumentException.class, () -> Fault.parse("crash,crash"));
        assertThrows(IllegalArgumentException.class, () -> Fault.parse("meteor"));
        assertThrows(IllegalArgumentException.class, () -> Fault.parse(""));
        assertThrows(IllegalArgumentException.class, () -> Fault.parse("crash,"));
    }
}
