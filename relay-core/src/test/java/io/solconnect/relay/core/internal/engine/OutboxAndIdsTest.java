package io.solconnect.relay.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.InboundMessage;
import io.solconnect.relay.api.OutboundMessage;
import io.solconnect.relay.core.VirtualScheduler;
import io.solconnect.relay.api.spi.SequencedProtocol;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class OutboxAndIdsTest {

    static OutboundMessage msg(String id, String payload) {
        return new OutboundMessage(id, "room", "me", payload, Instant.EPOCH);
    }

    @Test
    void outboxIsBoundedByCountAndBytesWithAnExplicitError() {
        Outbox o = new Outbox(2, 10);
        assertTrue(o.reserve(4).isOk());
        o.add(msg("a", "1234"), null, true);
        assertEquals(ErrorCode.OUTBOX_FULL, o.reserve(7).failure().orElseThrow().code());
        assertTrue(o.reserve(6).isOk());
        o.add(msg("b", "123456"), null, true);
        assertEquals(ErrorCode.OUTBOX_FULL, o.reserve(0).failure().orElseThrow().code());
        o.remove("a");
        assertEquals(1, o.size());
        assertEquals(6, o.bytes());
        assertTrue(o.reserve(4).isOk());
    }

    @Test
    void outboxKeepsAcceptanceOrder() {
        Outbox o = new Outbox(100, 1000);
        for (String id : List.of("x", "a", "m")) {
            o.add(msg(id, "p"), null, false);
        }
        assertEquals(List.of("x", "a", "m"), o.snapshot().stream().map(e -> e.message.id()).toList());
    }

    @Test
    void idsAreVersion7AndStrictlyIncreasing() {
        MessageIds ids = new MessageIds(new Random(1));
        String prev = "";
        for (int i = 0; i < 10_000; i++) {
            String id = ids.next(1_700_000_000_000L + i / 1000);
            UUID u = UUID.fromString(id);
            assertEquals(7, u.version());
            assertEquals(2, u.variant());
            assertTrue(id.compareTo(prev) > 0, id + " after " + prev);
            prev = id;
        }
        // a clock that steps back does not reorder ids
        String a = ids.next(2_000_000_000_000L);
        String b = ids.next(1_000_000_000_000L);
        assertTrue(b.compareTo(a) > 0);
    }

    @Test
    void dedupByIdOrContentKeyAndExpiry() {
        VirtualScheduler clock = new VirtualScheduler();
        Dedup d = new Dedup(Duration.ofMinutes(10), 1000, clock);
        Instant t = Instant.parse("2026-01-01T00:00:00.000000123Z");
        InboundMessage first = new InboundMessage("ws://a/", "room", "s", "hello", Optional.of("id-1"), Optional.of(t),
                Instant.EPOCH, OptionalLong.of(5));
        // the same message through another relay that rewrote its id
        InboundMessage rewritten = new InboundMessage("ws://b/", "room", "s", "hello", Optional.empty(), Optional.of(t),
                Instant.EPOCH, OptionalLong.of(77));
        InboundMessage otherTime = new InboundMessage("ws://b/", "room", "s", "hello", Optional.empty(),
                Optional.of(t.plusNanos(1)), Instant.EPOCH, OptionalLong.empty());
        assertTrue(d.firstSighting(first));
        assertFalse(d.firstSighting(first));
        assertFalse(d.firstSighting(rewritten));
        assertTrue(d.firstSighting(otherTime), "same payload, other send time: another message");
        clock.advance(Duration.ofMinutes(11));
        assertTrue(d.firstSighting(first), "forgotten after the window");
    }

    @Test
    void dedupAtItsBoundForgetsTheOldestNeverTheNewest() {
        VirtualScheduler clock = new VirtualScheduler();
        Dedup d = new Dedup(Duration.ofMinutes(10), 1000, clock);
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        // 5,000 distinct messages, two keys each: far over the 1,000-key bound
        for (int i = 0; i < 5000; i++) {
            assertTrue(d.firstSighting(msg(i, t)));
        }
        // the latest 500 messages (1,000 keys) are all still known: copies arriving late are caught
        for (int i = 4500; i < 5000; i++) {
            assertFalse(d.firstSighting(msg(i, t)), "message " + i + " should be remembered");
        }
        assertTrue(d.firstSighting(msg(0, t)), "the oldest were forgotten to stay within the bound");
    }

    private static InboundMessage msg(int i, Instant t) {
        return new InboundMessage("ws://a/", "room", "s", "payload " + i, Optional.of("id-" + i), Optional.of(t),
                Instant.EPOCH, OptionalLong.empty());
    }

    @Test
    void ownMessagesAreNotDeliveredBackByAResume() {
        VirtualScheduler clock = new VirtualScheduler();
        Dedup d = new Dedup(Duration.ofMinutes(10), 1000, clock);
        OutboundMessage mine = new OutboundMessage("id-9", "room", "me", "p", Instant.parse("2026-01-01T00:00:00Z"));
        d.rememberOwn(mine);
        InboundMessage echoed = new InboundMessage("ws://a/", "room", "me", "p", Optional.empty(),
                Optional.of(mine.createdAt()), Instant.EPOCH, OptionalLong.of(3));
        assertFalse(d.firstSighting(echoed));
    }

    @Test
    void senderOrderHoldsAheadOfAGapUntilItFillsOrTimesOut() {
        SenderOrder o = new SenderOrder(Duration.ofSeconds(10).toNanos());
        List<String> out = new ArrayList<>();
        o.offer("r", new SequencedProtocol.Origin("s", 1), in("1"), 0).forEach(m -> out.add(m.payload()));
        o.offer("r", new SequencedProtocol.Origin("s", 3), in("3"), 0).forEach(m -> out.add(m.payload()));
        o.offer("r", new SequencedProtocol.Origin("s", 4), in("4"), 0).forEach(m -> out.add(m.payload()));
        assertEquals(List.of("1"), out);
        assertTrue(o.holding());
        o.offer("r", new SequencedProtocol.Origin("s", 2), in("2"), 5).forEach(m -> out.add(m.payload()));
        assertEquals(List.of("1", "2", "3", "4"), out);
        assertFalse(o.holding());
        // a gap that never fills is given up after the hold time
        o.offer("r", new SequencedProtocol.Origin("s", 7), in("7"), 100).forEach(m -> out.add(m.payload()));
        assertTrue(o.expire(100 + Duration.ofSeconds(9).toNanos()).isEmpty());
        o.expire(100 + Duration.ofSeconds(10).toNanos()).forEach(m -> out.add(m.payload()));
        assertEquals(List.of("1", "2", "3", "4", "7"), out);
        // the missing one, arriving later, is still delivered (late, counted)
        o.offer("r", new SequencedProtocol.Origin("s", 5), in("5"), 200).forEach(m -> out.add(m.payload()));
        assertEquals("5", out.get(out.size() - 1));
        assertEquals(1, o.late());
    }

    @Test
    void senderOrderStartsAtTheFirstSerialItHearsAndSkipsSerialsDeliveredWithoutOne() {
        SenderOrder o = new SenderOrder(Duration.ofSeconds(10).toNanos());
        List<String> out = new ArrayList<>();
        // joined late: serials 1..40 went out before; nothing to wait for
        o.offer("r", new SequencedProtocol.Origin("s", 41), in("41"), 0).forEach(m -> out.add(m.payload()));
        assertEquals(List.of("41"), out);
        // 42 arrived earlier without a serial (delivered then); 43 comes with one and is held
        o.offer("r", new SequencedProtocol.Origin("s", 43), in("43"), 1).forEach(m -> out.add(m.payload()));
        o.offer("r", new SequencedProtocol.Origin("s", 45), in("45"), 1).forEach(m -> out.add(m.payload()));
        assertEquals(List.of("41"), out);
        // 44 was also delivered without a serial; its copy with one fills its place, delivering nothing
        assertTrue(o.delivered("r", new SequencedProtocol.Origin("s", 44), 2).isEmpty());
        // a copy of 42 with its serial releases 43 and, past the placeholder of 44, 45
        o.delivered("r", new SequencedProtocol.Origin("s", 42), 3).forEach(m -> out.add(m.payload()));
        assertEquals(List.of("41", "43", "45"), out);
        assertFalse(o.holding());
        // a duplicate of an old serial changes nothing
        assertTrue(o.delivered("r", new SequencedProtocol.Origin("s", 42), 4).isEmpty());
        o.offer("r", new SequencedProtocol.Origin("s", 46), in("46"), 5).forEach(m -> out.add(m.payload()));
        assertEquals(List.of("41", "43", "45", "46"), out);
    }

    @Test
    void senderOrderKnowsWhichSerialsWereDeliveredIncludingGapsGivenUpAndOlderHistory() {
        long hold = Duration.ofSeconds(10).toNanos();
        SenderOrder o = new SenderOrder(hold);
        SequencedProtocol.Origin s10 = new SequencedProtocol.Origin("s", 10);
        o.offer("r", s10, in("10"), 0);
        assertTrue(o.seen("r", s10));
        assertFalse(o.seen("r", new SequencedProtocol.Origin("s", 11)), "not yet arrived");
        assertFalse(o.seen("r", new SequencedProtocol.Origin("s", 9)), "older than the first heard");
        assertFalse(o.seen("other-room", s10));
        o.offer("r", new SequencedProtocol.Origin("s", 12), in("12"), 0);
        assertTrue(o.seen("r", new SequencedProtocol.Origin("s", 12)), "held counts as seen");
        assertEquals(List.of("12"), o.expire(hold).stream().map(InboundMessage::payload).toList());
        assertFalse(o.seen("r", new SequencedProtocol.Origin("s", 11)), "given up, still welcome");
        assertEquals(List.of("11"), o.offer("r", new SequencedProtocol.Origin("s", 11), in("11"), hold + 1)
                .stream().map(InboundMessage::payload).toList());
        assertTrue(o.seen("r", new SequencedProtocol.Origin("s", 11)), "a second copy is a duplicate");
        // history older than the first serial heard: delivered, and the space between is open
        assertEquals(List.of("5"), o.offer("r", new SequencedProtocol.Origin("s", 5), in("5"), hold + 2)
                .stream().map(InboundMessage::payload).toList());
        assertTrue(o.seen("r", new SequencedProtocol.Origin("s", 5)));
        assertFalse(o.seen("r", new SequencedProtocol.Origin("s", 7)));
        o.offer("r", new SequencedProtocol.Origin("s", 7), in("7"), hold + 3);
        assertTrue(o.seen("r", new SequencedProtocol.Origin("s", 7)));
        assertFalse(o.seen("r", new SequencedProtocol.Origin("s", 6)));
        assertFalse(o.seen("r", new SequencedProtocol.Origin("s", 8)));
        assertEquals(3, o.late()); // 11, 5 and 7
    }

    static InboundMessage in(String p) {
        return new InboundMessage("ws://a/", "r", "s", p, Optional.empty(), Optional.empty(), Instant.EPOCH,
                OptionalLong.empty());
    }

    @Test
    void backoffIsFullJitterUnderACappedExponential() {
        RelayEntry r = new RelayEntry(io.solconnect.relay.api.RelayEndpoint.of("wss://r/"), null, 0.5);
        Random rnd = new Random(42);
        Duration initial = Duration.ofMillis(100);
        Duration max = Duration.ofSeconds(1);
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            delays.add(r.fail(0, initial, max, Duration.ofSeconds(30), rnd));
        }
        long[] caps = {100, 200, 400, 800, 1000, 1000, 1000, 1000};
        for (int i = 0; i < caps.length; i++) {
            long d = delays.get(i);
            assertTrue(d >= 0 && d <= caps[i] * 1_000_000L, "attempt " + (i + 1) + " delay " + d);
        }
        assertTrue(delays.stream().distinct().count() == delays.size(), "jittered");
        // ejection grows: base, 2x, 4x ...
        assertEquals(Duration.ofSeconds(10).toNanos(), r.eject(0, Duration.ofSeconds(10)));
        assertEquals(Duration.ofSeconds(20).toNanos(), r.eject(0, Duration.ofSeconds(10)));
        assertEquals(Duration.ofSeconds(40).toNanos(), r.eject(0, Duration.ofSeconds(10)));
        r.stable();
        assertEquals(Duration.ofSeconds(10).toNanos(), r.eject(0, Duration.ofSeconds(10)));
    }

    @Test
    void failuresOlderThanTheStablePeriodNoLongerRaiseTheBackoff() {
        RelayEntry r = new RelayEntry(io.solconnect.relay.api.RelayEndpoint.of("wss://r/"), null, 0.5);
        java.util.random.RandomGenerator half = () -> Long.MIN_VALUE; // nextDouble() = 0.5: each delay is half its cap
        Duration initial = Duration.ofMillis(100);
        Duration max = Duration.ofSeconds(30);
        Duration window = Duration.ofSeconds(30);
        long s = 1_000_000_000L;
        long ms = 1_000_000L;
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            delays.add(r.fail(i * s, initial, max, window, half)); // eight failures in the first 8 s
        }
        assertEquals(List.of(50 * ms, 100 * ms, 200 * ms, 400 * ms, 800 * ms, 1600 * ms, 3200 * ms, 6400 * ms), delays);
        // 40 s on (the relay served in between, for less than the stable period): the failures
        // of the first 8 s are over 30 s old and no longer count, while the run of failures in a
        // row (what ejection counts) goes on
        assertEquals(50 * ms, r.fail(40 * s, initial, max, window, half));
        assertEquals(100 * ms, r.fail(41 * s, initial, max, window, half));
        assertEquals(10, r.failures());
        // the window now holds the failures at 40 s, 41 s and this one
        assertEquals(200 * ms, r.fail(42 * s, initial, max, window, half));
        r.stable();
        assertEquals(50 * ms, r.fail(43 * s, initial, max, window, half), "a stable connection resets it all");
        assertEquals(1, r.failures());
    }
}
