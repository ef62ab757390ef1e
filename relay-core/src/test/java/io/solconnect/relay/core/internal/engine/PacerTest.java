package io.solconnect.relay.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.solconnect.relay.core.VirtualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacerTest {

    final VirtualScheduler vs = new VirtualScheduler();
    final EngineLoop loop = new EngineLoop("loop", vs);
    final Link link = Parts.openLink(vs, 1, Parts.relay(vs, "ws://127.0.0.1:9001/", 1), Link.Role.STANDBY);

    static List<OutFrame> frames(int n) {
        List<OutFrame> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new OutFrame("id" + i, "f" + i, 2));
        }
        return out;
    }

    int written() {
        return Parts.conn(link).written.size();
    }

    @Test
    void aBatchGoesOnlyOnceTheRelayAcknowledgedTheOneBefore() {
        Pacer p = new Pacer("s", loop, true);
        int total = 2 * Pacer.BATCH + 5;
        p.pace(link, frames(total));
        assertEquals(Pacer.BATCH, written());
        vs.advance(Duration.ofMillis(100));
        assertEquals(Pacer.BATCH, written(), "no ack yet");
        p.acknowledged(link, List.of("id0"));
        vs.advance(Duration.ofMillis(Pacer.TICK_MS));
        assertEquals(Pacer.BATCH, written(), "an ack of another frame of the batch");
        p.acknowledged(link, List.of("id" + (Pacer.BATCH - 1)));
        vs.advance(Duration.ofMillis(Pacer.TICK_MS));
        assertEquals(2 * Pacer.BATCH, written());
        vs.advance(Duration.ofMillis(Pacer.ACK_WAIT_MS - 1));
        assertEquals(2 * Pacer.BATCH, written());
        vs.advance(Duration.ofMillis(1 + Pacer.TICK_MS));
        assertEquals(total, written(), "an ack that never comes lets the rest go after the wait");
    }

    @Test
    void framesQueuedWhileACatchUpRunsGoBehindIt() {
        Pacer p = new Pacer("s", loop, false);
        p.pace(link, frames(Pacer.BATCH + 5));
        p.pace(link, List.of(new OutFrame("late", "late", 4)));
        assertEquals(Pacer.BATCH, written(), "the second call does not start a second writer");
        vs.advance(Duration.ofMillis(Pacer.TICK_MS));
        assertEquals(Pacer.BATCH + 6, written());
        assertEquals("late", Parts.conn(link).written.get(Pacer.BATCH + 5));
    }

    @Test
    void answersToResendRequestsGoAheadOfAQueuedCatchUp() {
        Pacer p = new Pacer("s", loop, false);
        p.pace(link, frames(3 * Pacer.BATCH));
        p.paceFirst(link, List.of(new OutFrame("r1", "r1", 2), new OutFrame("r2", "r2", 2)));
        p.paceFirst(link, List.of(new OutFrame("r3", "r3", 2)));
        assertEquals(Pacer.BATCH, written(), "one writer; the first batch was already out");
        vs.advance(Duration.ofMillis(Pacer.TICK_MS));
        List<String> second = Parts.conn(link).written.subList(Pacer.BATCH, 2 * Pacer.BATCH);
        assertEquals(List.of("r1", "r2", "r3"), second.subList(0, 3), "the answers lead the next batch, in order");
        assertEquals("f" + Pacer.BATCH, second.get(3), "then the catch-up goes on where it was");
        vs.advance(Duration.ofMillis(10 * Pacer.TICK_MS));
        assertEquals(3 * Pacer.BATCH + 3, written());
    }

    @Test
    void aClosedLinkDropsItsPacedFrames() {
        Pacer p = new Pacer("s", loop, false);
        p.pace(link, frames(Pacer.BATCH + 10));
        link.markClosed();
        vs.advance(Duration.ofMillis(100));
        assertEquals(Pacer.BATCH, written());
        assertEquals(true, link.paced().isEmpty());
    }
}
