package io.solconnect.relay.examples.bench.crash;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DeliveryLedgerTest {

    private static String p(int inc, long seq) {
        return new CrashPayload(inc, seq).encode(64);
    }

    @Test
    void payloadRoundTripsAndRejectsOthers() {
        assertEquals(Optional.of(new CrashPayload(3, 17)), CrashPayload.parse(p(3, 17)));
        assertEquals(Optional.empty(), CrashPayload.parse("seq=1 from=x at=2 "));
        assertEquals(Optional.empty(), CrashPayload.parse("crash inc=0 seq=1 "));
        assertEquals(Optional.empty(), CrashPayload.parse("crash inc=1 seq=x "));
    }

    @Test
    void everythingConfirmedDeliveredOnceInOrderIsClean() {
        DeliveryLedger l = new DeliveryLedger();
        for (long s = 1; s <= 3; s++) {
            l.confirmed(new CrashPayload(1, s));
            l.delivered(p(1, s));
        }
        // the restarted sender continues at 4 in incarnation 2
        l.confirmed(new CrashPayload(2, 4));
        l.delivered(p(2, 4));
        assertEquals(List.of(4L, 4L, 0L, 0L, 0L), List.of(l.confirmedCount(), l.deliveredCount(), l.lost(), l.duplicates(),
                l.outOfOrder()));
    }

    @Test
    void anUnconfirmedMessageWithTheSameNumberIsNeitherDuplicateNorLost() {
        DeliveryLedger l = new DeliveryLedger();
        l.confirmed(new CrashPayload(1, 1));
        l.delivered(p(1, 1));
        l.delivered(p(1, 2)); // accepted, then killed before it printed the confirmation
        l.confirmed(new CrashPayload(2, 2));
        l.delivered(p(2, 2));
        assertEquals(List.of(0L, 0L, 0L, 1L), List.of(l.lost(), l.duplicates(), l.outOfOrder(), l.unconfirmedDelivered()));
    }

    @Test
    void countsLostDuplicatesAndReordering() {
        DeliveryLedger l = new DeliveryLedger();
        for (long s = 1; s <= 4; s++) {
            l.confirmed(new CrashPayload(1, s));
        }
        l.confirmed(new CrashPayload(2, 5));
        l.delivered(p(1, 1));
        l.delivered(p(2, 5)); // the new incarnation's message overtakes the replayed 2
        l.delivered(p(1, 2));
        l.delivered(p(1, 2));
        l.delivered(p(1, 2));
        l.delivered("not ours");
        assertEquals(2, l.lost()); // 3 and 4
        assertEquals(2, l.duplicates());
        assertEquals(1, l.outOfOrder());
        assertEquals(1, l.foreign());
        assertEquals(List.of("inc=1,seq=3", "inc=1,seq=4"), l.lostExamples(5));
        assertEquals(List.of("inc=1,seq=2 after inc=2,seq=5"), l.outOfOrderExamples());
    }
}
