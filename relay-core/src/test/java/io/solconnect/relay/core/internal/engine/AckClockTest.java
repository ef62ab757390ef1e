package io.solconnect.relay.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class AckClockTest {

    static final long STALE = 1_000;
    final AckClock clock = new AckClock();

    @Test
    void timesTheFirstWriteToItsAckOneMessageAtATime() {
        clock.written("a", 100, true, STALE);
        clock.written("b", 110, true, STALE); // "a" is still timed
        assertEquals(OptionalLong.empty(), clock.acked(List.of("b"), 130));
        assertEquals(OptionalLong.of(40), clock.acked(List.of("x", "a"), 140));
        assertEquals(OptionalLong.empty(), clock.acked(List.of("a"), 150), "one sample per timed write");
        clock.written("c", 200, true, STALE);
        assertEquals(OptionalLong.of(5), clock.acked(List.of("c"), 205));
    }

    @Test
    void aTimedMessageWrittenAgainIsNotSampled() {
        clock.written("a", 100, true, STALE);
        clock.written("a", 600, false, STALE);
        assertEquals(OptionalLong.empty(), clock.acked(List.of("a"), 650), "the ack may answer either write");
        clock.written("b", 700, false, STALE);
        assertEquals(OptionalLong.empty(), clock.acked(List.of("b"), 710), "a rewrite is never timed");
    }

    @Test
    void aLostAckGivesWayToTheNextWriteAfterTheStaleTime() {
        clock.written("a", 0, true, STALE);
        clock.written("b", STALE, true, STALE);
        clock.written("c", STALE + 1, true, STALE);
        assertEquals(OptionalLong.of(9), clock.acked(List.of("c"), STALE + 10));
    }
}
