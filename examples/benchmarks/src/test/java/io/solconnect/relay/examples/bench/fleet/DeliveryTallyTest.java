package io.solconnect.relay.examples.bench.fleet;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The round's bookkeeping, fed by hand with made-up times (nanoseconds). */
class DeliveryTallyTest {

    private static final long MS = 1_000_000;

    @Test
    void everyOtherMemberOfTheSendersRoomIsExpectedOnceAndOnlyOnce() {
        // clients 0, 1, 2 in room 0; client 3 alone in room 1
        DeliveryTally t = new DeliveryTally(new int[] {0, 0, 0, 1}, 10);
        t.sent(0, 1, 0);
        t.sent(0, 2, 0);
        t.sent(3, 1, 0);
        assertEquals(4, t.missing(), "clients 1 and 2 each miss 0's two messages; nobody expects 3's");
        t.delivered(1, 0, 1, MS);
        t.delivered(2, 0, 1, MS);
        t.delivered(1, 0, 2, MS);
        t.delivered(0, 0, 2, MS); // the sender's own message coming back is not a delivery
        assertEquals(1, t.missing());
        t.delivered(1, 0, 1, 2 * MS);
        assertEquals(1, t.duplicates());
        t.delivered(2, 0, 2, MS);
        assertEquals(0, t.missing());
        assertEquals(4, t.deliveries());
        assertEquals(3, t.sentTotal());
    }

    @Test
    void aFailedSendIsExpectedNowhere() {
        DeliveryTally t = new DeliveryTally(new int[] {0, 0}, 5);
        t.sent(0, 1, 0);
        t.sent(0, 2, 0);
        t.failed(0, 2);
        t.delivered(1, 0, 1, MS);
        assertEquals(0, t.missing());
        assertEquals(1, t.failedTotal());
    }

    @Test
    void onlyMessagesSentInsideTheMeasuredWindowAreMeasured() {
        DeliveryTally t = new DeliveryTally(new int[] {0, 0}, 5);
        t.sent(0, 1, 10 * MS); // warm-up
        t.startMeasuring(20 * MS);
        t.sent(0, 2, 20 * MS);
        t.sent(0, 3, 30 * MS);
        t.stopMeasuring(40 * MS);
        t.sent(0, 4, 40 * MS); // after the window
        t.delivered(1, 0, 1, 50 * MS);
        t.delivered(1, 0, 2, 22 * MS); // 2 ms
        t.delivered(1, 0, 3, 70 * MS); // 40 ms, arriving after the window closed still counts
        t.delivered(1, 0, 4, 41 * MS);
        assertEquals(2, t.measured());
        assertEquals(2.0, t.percentileMs(50), 0.01);
        assertEquals(40.0, t.percentileMs(99), 0.05);
        assertEquals(0, t.missing());
    }

    @Test
    void latencyCanBeSplitBySender() {
        DeliveryTally t = new DeliveryTally(new int[] {0, 0, 0}, 5);
        t.startMeasuring(MS);
        t.sent(0, 1, MS);
        t.sent(1, 1, MS);
        t.delivered(2, 0, 1, 31 * MS); // client 0's message: 30 ms
        t.delivered(2, 1, 1, 3 * MS); // client 1's: 2 ms
        assertEquals(30.0, t.percentileMs(99, s -> s == 0), 0.5);
        assertEquals(2.0, t.percentileMs(99, s -> s != 0), 0.05);
        assertTrue(Double.isNaN(t.percentileMs(99, s -> s == 2)), "client 2 sent nothing");
    }

    @Test
    void nothingMeasuredIsNotANumber() {
        DeliveryTally t = new DeliveryTally(new int[] {0, 0}, 5);
        assertTrue(Double.isNaN(t.percentileMs(99)));
    }

    @Test
    void foreignOrOutOfRangeDeliveriesAreIgnored() {
        DeliveryTally t = new DeliveryTally(new int[] {0, 0}, 5);
        t.sent(0, 1, 0);
        t.delivered(1, 7, 1, MS);
        t.delivered(1, -1, 1, MS);
        t.delivered(1, 0, 6, MS);
        t.delivered(1, 0, 0, MS);
        assertEquals(0, t.deliveries());
        assertEquals(1, t.missing());
    }
}
