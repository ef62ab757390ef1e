package io.solconnect.relay.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solconnect.relay.api.InboundMessage;
import io.solconnect.relay.api.spi.SequencedProtocol;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The caps of {@link SenderOrder}: what a hostile relay's serials can make it hold. */
class SenderOrderLimitsTest {

    final SenderOrder o = new SenderOrder(Duration.ofSeconds(10).toNanos());

    static InboundMessage in(String p) {
        return new InboundMessage("ws://a/", "r", "s", p, Optional.empty(), Optional.empty(), Instant.EPOCH,
                OptionalLong.empty());
    }

    static SequencedProtocol.Origin s(String origin, long serial) {
        return new SequencedProtocol.Origin(origin, serial);
    }

    @Test
    void serialsAbove2To53AreRefusedAndMaxValueNeitherOverflowsNorHoldsTheStreamUp() {
        assertEquals(List.of("1"), payloads(o.offer("r", s("a", 1), in("1"), 0)));
        assertTrue(o.refuses("r", s("a", Long.MAX_VALUE)));
        assertTrue(o.refuses("r", s("b", SenderOrder.MAX_SERIAL + 1)), "also for a sender never heard");
        assertFalse(o.refuses("r", s("b", SenderOrder.MAX_SERIAL)));
        assertEquals(2, o.refused());
        // even offered directly, it is delivered at once and the stream goes on at 2
        assertEquals(List.of("max"), payloads(o.offer("r", s("a", Long.MAX_VALUE), in("max"), 1)));
        assertEquals(List.of("2"), payloads(o.offer("r", s("a", 2), in("2"), 2)));
        assertFalse(o.holding());
    }

    @Test
    void aSerialFarAheadOfAStreamThatHoldsMessagesIsRefusedInsteadOfOpeningAGap() {
        o.offer("r", s("a", 1), in("1"), 0);
        o.offer("r", s("a", 3), in("3"), 0); // held behind 2
        assertFalse(o.refuses("r", s("a", 2 + SenderOrder.MAX_AHEAD)));
        assertTrue(o.refuses("r", s("a", 3 + SenderOrder.MAX_AHEAD)));
        assertEquals(1, o.refused());
        assertEquals(1, o.held(), "nothing more held");
    }

    @Test
    void aStreamThatHoldsNothingStartsAgainAtAFarSerial() {
        o.offer("r", s("a", 1), in("1"), 0);
        long far = 3 + SenderOrder.MAX_AHEAD;
        assertFalse(o.refuses("r", s("a", far)), "a sender back after a long time");
        assertEquals(0, o.refused());
        assertEquals(List.of("far"), payloads(o.offer("r", s("a", far), in("far"), 1)));
        assertTrue(o.offer("r", s("a", far + 2), in("after"), 2).isEmpty(), "in order again from there");
        assertEquals(List.of("between", "after"), payloads(o.offer("r", s("a", far + 1), in("between"), 3)));
    }

    @Test
    void missingRangesPerStreamAreCapped() {
        // older history, one serial in every other place: each leaves a missing range behind
        o.offer("r", s("a", 1_000_000), in("top"), 0);
        for (long k = 999_998; k > 999_998 - 4 * SenderOrder.MAX_MISSING; k -= 2) {
            o.offer("r", s("a", k), in("h" + k), 0);
        }
        assertTrue(o.mostMissing() <= SenderOrder.MAX_MISSING, "missing ranges: " + o.mostMissing());
        assertEquals(SenderOrder.MAX_MISSING, o.mostMissing());
        // merging makes more count as missing, never less: the highest gap is still open
        assertFalse(o.seen("r", s("a", 999_999)));
    }

    @Test
    void heldMessagesAreCappedOverAllStreams() {
        List<InboundMessage> out = new ArrayList<>();
        int streams = SenderOrder.MAX_HELD_TOTAL / 1000 + 2;
        for (int st = 0; st < streams; st++) {
            out.addAll(o.offer("r", s("o" + st, 1), in("first"), 0));
            for (int k = 3; k < 3 + 1000; k++) { // serial 2 never comes: all held
                out.addAll(o.offer("r", s("o" + st, k), in("x"), 0));
            }
            assertTrue(o.held() <= SenderOrder.MAX_HELD_TOTAL, "held " + o.held());
        }
        assertTrue(out.size() > streams, "a stream past the total cap was given up on and delivered");
        assertEquals(streams * 1001L, out.size() + o.held(), "nothing lost");
    }

    @Test
    void streamsAreEvictedEvenWhileTheyHoldMessagesWhichAreThenDelivered() {
        List<InboundMessage> out = new ArrayList<>();
        out.addAll(o.offer("r", s("first", 1), in("1"), 0));
        out.addAll(o.offer("r", s("first", 3), in("3"), 0)); // held behind 2
        for (int i = 0; i < SenderOrder.MAX_STREAMS; i++) {
            out.addAll(o.offer("r", s("other" + i, 1), in("o"), 0));
        }
        assertEquals(SenderOrder.MAX_STREAMS, o.streams());
        assertFalse(o.holding(), "the evicted stream's held message was delivered");
        assertTrue(payloads(out).contains("3"));
        assertEquals(SenderOrder.MAX_STREAMS + 2, out.size());
    }

    @Test
    void aStreamWithOnlyPlaceholdersGivesUpItsGapAfterTheHoldTime() {
        o.offer("r", s("a", 1), in("1"), 0);
        o.delivered("r", s("a", 3), 0); // 3 came earlier without a serial; 2 never comes
        assertTrue(o.holding());
        o.expire(Duration.ofSeconds(10).toNanos());
        assertFalse(o.holding(), "a placeholder does not hold the stream for ever");
    }

    static List<String> payloads(List<InboundMessage> ms) {
        return ms.stream().map(InboundMessage::payload).toList();
    }
}
