package io.solconnect.relay.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.solconnect.relay.api.OutboundMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutboxCursorTest {

    static OutboundMessage msg(String id) {
        return new OutboundMessage(id, "room", "me", "p-" + id, Instant.EPOCH);
    }

    static List<String> drain(Outbox o) {
        List<String> out = new ArrayList<>();
        Outbox.Entry e;
        while ((e = o.nextUnwritten()) != null) {
            e.written(1, 0);
            out.add(e.id());
        }
        return out;
    }

    @Test
    void theCursorHandsOutEachNewEntryOnceInAcceptanceOrder() {
        Outbox o = new Outbox(100, 10_000);
        o.add(msg("a"), 3, 1, null, false);
        o.add(msg("b"), 3, 2, null, false);
        assertEquals(List.of("a", "b"), drain(o));
        o.add(msg("c"), 3, 3, null, false);
        assertEquals(List.of("c"), drain(o), "only what is new since");
        assertNull(o.nextUnwritten());
    }

    @Test
    void acknowledgedEntriesAreSkippedAndANewPrimaryGetsTheRestInOrder() {
        Outbox o = new Outbox(100, 10_000);
        for (String id : List.of("a", "b", "c", "d")) {
            o.add(msg(id), 3, 1, null, false);
        }
        o.remove("b"); // acknowledged before it was written
        assertEquals(List.of("a", "c", "d"), drain(o));
        assertEquals(3, o.everWritten());
        o.remove("a");
        o.resetWrites(); // the primary changed
        assertEquals(List.of("c", "d"), drain(o));
        assertEquals(2, o.get("c").attempts());
    }

    @Test
    void anEntryIsOverdueOnlyOnTheLinkItWasWrittenOn() {
        Outbox o = new Outbox(100, 10_000);
        Outbox.Entry e = o.add(msg("a"), 3, 1, null, false);
        e.written(7, 100);
        assertEquals(true, e.overdue(7, 600, 500));
        assertEquals(false, e.overdue(7, 599, 500));
        assertEquals(false, e.overdue(8, 600, 500));
    }
}
