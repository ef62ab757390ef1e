package io.solconnect.relay.examples.bench.soak;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SampleTest {

    private static List<Sample> series(double heapStep, int threadStep, int socketStep) {
        List<Sample> s = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            s.add(new Sample(i * 60_000L, 50 + i * heapStep, 40 + i * threadStep, 4 + i * socketStep, 4, i, i, true));
        }
        return s;
    }

    @Test
    void steadyReadingsAreFlat() {
        Sample.Verdict v = Sample.verdict(series(0.5, 0, 0));
        assertTrue(v.flat(), v.figures());
    }

    @Test
    void eachGrowingResourceIsNamed() {
        Sample.Verdict heap = Sample.verdict(series(5, 0, 0));
        assertEquals(List.of(false, true, true), List.of(heap.heapFlat(), heap.threadsFlat(), heap.connectionsFlat()),
                heap.figures());
        Sample.Verdict threads = Sample.verdict(series(0, 1, 0));
        assertEquals(List.of(true, false, true), List.of(threads.heapFlat(), threads.threadsFlat(), threads.connectionsFlat()));
        Sample.Verdict sockets = Sample.verdict(series(0, 0, 1));
        assertEquals(List.of(true, true, false), List.of(sockets.heapFlat(), sockets.threadsFlat(), sockets.connectionsFlat()));
    }

    @Test
    void tooFewSamplesGiveNoVerdict() {
        Sample.Verdict v = Sample.verdict(series(0, 0, 0).subList(0, 1));
        assertFalse(v.flat());
        assertTrue(v.figures().startsWith("not enough samples"), v.figures());
    }

    @Test
    void faultsParseInOrderAndRejectUnknownOrRepeated() {
        assertEquals(List.of(SoakFault.SLOW, SoakFault.CRASH), SoakFault.parse("slow, crash"));
        assertEquals("unknown fault 'boom'; known: crash, blackhole, slow",
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> SoakFault.parse("boom"))
                        .getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> SoakFault.parse("slow,slow"));
    }
}
