package io.solconnect.relay.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solconnect.relay.api.spi.ProtocolFrame;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ResumeGateAndPacedFramesTest {

    static InFrame live(String why) {
        return new InFrame(new ProtocolFrame.Ignored(why), List.of(), Optional.empty(), false, 1);
    }

    @Test
    void liveDeliveriesWaitForTheLastResumeAnswer() {
        ResumeGate g = new ResumeGate();
        assertFalse(g.waiting());
        int round = g.requested();
        assertEquals(-1, g.requested(), "a second room's resume joins the wait");
        assertTrue(g.waiting());
        g.hold(live("1"));
        g.hold(live("2"));
        assertEquals(List.of(), g.answered(), "one answer still missing");
        List<InFrame> out = g.answered();
        assertEquals(List.of("1", "2"), out.stream().map(f -> ((ProtocolFrame.Ignored) f.frame()).what()).toList());
        assertFalse(g.waiting());
        assertNull(g.timedOut(round), "that wait is over: its timeout does nothing");
    }

    @Test
    void aTimeoutEndsOnlyItsOwnWait() {
        ResumeGate g = new ResumeGate();
        int first = g.requested();
        g.hold(live("x"));
        assertEquals(1, g.timedOut(first).size());
        int second = g.requested();
        assertNull(g.timedOut(first), "an old round's timer");
        assertTrue(g.waiting());
        assertEquals(List.of(), g.timedOut(second));
    }

    @Test
    void pacedFramesGoInBatchesAndAnAckOfTheLastOneLetsTheNextGo() {
        PacedFrames p = new PacedFrames();
        for (int i = 0; i < 5; i++) {
            p.addAll(List.of(new OutFrame("id" + i, "f" + i, 2)));
        }
        List<OutFrame> batch = p.nextBatch(2);
        assertEquals(List.of("id0", "id1"), batch.stream().map(OutFrame::id).toList());
        p.await("id1");
        assertFalse(p.acknowledged(List.of("id0")));
        assertTrue(p.awaits("id1"));
        assertTrue(p.acknowledged(List.of("id7", "id1")));
        assertFalse(p.awaits("id1"));
        assertEquals(3, p.nextBatch(10).size());
        assertTrue(p.isEmpty());
    }
}
