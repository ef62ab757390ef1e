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
        p.pace(link, frames(45));
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
        assertEquals(45, written(), "an ack that never comes lets the rest go after the wait");
    }

    @Test
    void framesQueuedWhileACatchUpRunsGoBehindIt() {
        Pacer p = new Pacer("s", loop, false);
        p.pace(link, frames(25));
        p.pace(link, List.of(new OutFrame("late", "late", 4)));
        assertEquals(Pacer.BATCH, written(), "the second call does not start a second writer");
        vs.advance(Duration.ofMillis(Pacer.TICK_MS));
        assertEquals(26, written());
        assertEquals("late", Parts.conn(link).written.get(25));
    }

    @Test
    void aClosedLinkDropsItsPacedFrames() {
        Pacer p = new Pacer("s", loop, false);
        p.pace(link, frames(30));
        link.markClosed();
        vs.advance(Duration.ofMillis(100));
        assertEquals(Pacer.BATCH, written());
        assertEquals(true, link.paced().isEmpty());
    }
}
