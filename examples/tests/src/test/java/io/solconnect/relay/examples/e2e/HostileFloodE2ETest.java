package io.solconnect.relay.examples.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solconnect.relay.api.ClientStatus;
import io.solconnect.relay.api.InboundMessage;
import io.solconnect.relay.api.SessionState;
import java.time.Duration;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * A real client against a hostile relay over loopback: a million frames as fast as the socket
 * takes them (alternating and huge serials, thousands of sender streams, rooms never joined,
 * resend floods, forged acks). The client's memory stays under a stated cap, what it writes again
 * stays within the resend budget, forged acks change nothing, and the session keeps working: a
 * normal message sent afterwards is delivered and a send afterwards is acknowledged.
 */
class HostileFloodE2ETest {

    private static final String ROOM = "flood-room";
    private static final int FRAMES = 1_000_000;
    /** Messages the client sends (and the relay acknowledges) before the flood. */
    private static final int BEFORE = 3_000;
    /** What the flood may leave on the heap, at most, once collected (the dedup cache is most of it). */
    private static final long HEAP_CAP_BYTES = 96L * 1024 * 1024;
    /** Resend budget per link (Budget.LINK_WRITES_PER_SECOND in relay-core). */
    private static final int RESENDS_PER_SECOND = 2_000;

    @Test
    void aMillionHostileFramesLeaveMemoryBoundedAndTheSessionWorking() throws Exception {
        try (FloodingRelay relay = new FloodingRelay();
             E2EClient client = new E2EClient(E2EClient.config(relay.uri()).standbyCount(0).build())) {
            client.start(ROOM);
            client.await("connected", () -> client.manager().status().state() == SessionState.CONNECTED);
            // more than one link's resend budget of a second: a request for all of them cannot be answered whole
            for (int i = 1; i <= BEFORE; i++) {
                client.send(ROOM, "before " + i);
            }
            assertEquals(0, client.awaitSends(), "the relay acknowledges honestly at first");
            String origin = relay.clientOrigin();
            assertTrue(origin != null, "the client's messages carry its origin");

            long heapBefore = usedAfterGc();
            long start = System.nanoTime();
            int written = relay.flood(FRAMES, hostile(origin), E2EClient.PATIENCE);
            // a normal message after the flood, sent again (a new one each time, from the test
            // thread, never inside the client's monitor) while the client may be on a new link
            long deadline = System.nanoTime() + E2EClient.PATIENCE.toNanos();
            for (int k = 1; !receivedNormal(client); k++) {
                assertTrue(System.nanoTime() < deadline, "no normal message delivered after the flood; status "
                        + client.manager().status());
                relay.send("{\"roomId\":\"" + ROOM + "\",\"message\":\"hello after the flood " + k
                        + "\",\"sender\":\"friend\",\"timestamp\":\"2026-12-03T00:00:00Z\",\"messageId\":\"normal-" + k
                        + "\",\"vectorClock\":{\"friend/1\":" + k + "}}");
                client.listenForMoreThan(client.received().size(), Duration.ofMillis(200));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            client.await("connected after the flood", () -> client.manager().status().state() == SessionState.CONNECTED);
            long heapAfter = usedAfterGc();
            ClientStatus status = client.manager().status();
            ClientStatus.Counters c = status.counters();
            System.out.printf("flood: %d of %d frames written in %.1f s over %d connections; heap %d -> %d bytes; "
                            + "resent %d (throttled %d), refused serials %d, foreign %d, limits exceeded %d, delivered %d%n",
                    written, FRAMES, seconds, relay.connections(), heapBefore, heapAfter, relay.resentReceived(),
                    c.resendsThrottled(), c.serialsRefused(), c.foreignDropped(), c.limitsExceeded(), c.delivered());

            assertEquals(FRAMES, written, "the client came back after each link it dropped");
            assertTrue(heapAfter - heapBefore < HEAP_CAP_BYTES, "heap grew by " + (heapAfter - heapBefore) + " bytes");
            assertTrue(c.foreignDropped() > 0, "rooms never joined are dropped");
            assertTrue(c.serialsRefused() > 0, "serials above 2^53 are refused");
            assertTrue(relay.resentReceived() <= (long) (RESENDS_PER_SECOND * (seconds + 1)) + 100,
                    "resends within the per-link budget: " + relay.resentReceived() + " in " + seconds + " s");
            assertTrue(c.resendsThrottled() > 0, "the resend flood hit the budget");
            assertEquals(BEFORE, c.acknowledged(), "forged acks acknowledged nothing");
            long foreignDelivered = client.received().stream().map(InboundMessage::room).filter(r -> !r.equals(ROOM)).count();
            assertEquals(0, foreignDelivered, "nothing from rooms never joined reached the application");

            client.send(ROOM, "after the flood");
            assertEquals(0, client.awaitSends(), "a send after the flood is acknowledged");
        }
    }

    /** The hostile frames, by index: a mix of eight kinds. */
    private static IntFunction<String> hostile(String origin) {
        return i -> {
            int n = i / 8;
            return switch (i % 8) {
                // a room never joined
                case 0 -> chat("elsewhere", "f-" + i, "evil/f", n + 1);
                // alternating serials of one sender: every other one missing, ids repeating (duplicates)
                case 1 -> chat(ROOM, "a-" + (n % 1000), "evil/a", 2L * n + 1);
                // huge serials, past 2^53 and at Long.MAX_VALUE
                case 2 -> chat(ROOM, "h-" + (n % 1000), "evil/h", n % 2 == 0 ? (1L << 53) + n : Long.MAX_VALUE);
                // a new sender stream now and then: more streams than the client keeps
                case 3 -> n % 8 == 0 ? chat(ROOM, "s-" + n, "evil/s" + n, 1) : chat(ROOM, "a-" + (n % 1000), "evil/a", 1);
                // a resend flood for everything the client ever sent
                case 4 -> "{\"roomId\":\"" + ROOM + "\",\"message\":\"\",\"sender\":\"evil\",\"timestamp\":\"1970-01-01T00:00:00Z\","
                        + "\"type\":\"resend\",\"origin\":\"" + origin + "\",\"from\":1,\"to\":" + BEFORE + "}";
                // forged acks
                case 5 -> "{\"type\":\"sync_ack\",\"acknowledgedMessageIds\":[\"forged-" + i + "\"]}";
                // far ahead of a stream, alternating with its start
                case 6 -> chat(ROOM, "c-" + (n % 1000), "evil/c", n % 2 == 0 ? 1 + n : 1_000_000_000L + n);
                // serials counting down by two: each one older history than the last, leaving a hole
                default -> chat(ROOM, "d-" + (n % 1000), "evil/d", 1_000_000L - 2L * n);
            };
        };
    }

    private static String chat(String room, String id, String origin, long serial) {
        return "{\"roomId\":\"" + room + "\",\"message\":\"x" + id + "\",\"sender\":\"evil\","
                + "\"timestamp\":\"2026-12-03T00:00:00Z\",\"messageId\":\"" + id + "\",\"vectorClock\":{\"" + origin
                + "\":" + serial + "}}";
    }

    private static boolean receivedNormal(E2EClient client) {
        return client.received().stream().anyMatch(m -> m.payload().startsWith("hello after the flood"));
    }

    /** Heap in use after full collections (the test module reads no java.management). */
    private static long usedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
