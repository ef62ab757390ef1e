package io.solconnect.relay.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InboundBacklogTest {

    @Test
    void tripsAtTheFrameLimitReportsOnceAndStaysTripped() {
        InboundBacklog b = new InboundBacklog(3, 1000);
        assertTrue(b.admit(10));
        assertTrue(b.admit(10));
        assertTrue(b.admit(10));
        assertFalse(b.reportOverflow(), "nothing to report yet");
        assertFalse(b.admit(10));
        assertEquals(3, b.frames(), "the refused frame is not counted");
        assertTrue(b.reportOverflow());
        assertFalse(b.reportOverflow(), "reported once");
        b.taken(10);
        assertFalse(b.admit(10), "a tripped link takes nothing more: it is being closed");
    }

    @Test
    void tripsAtTheByteLimit() {
        InboundBacklog b = new InboundBacklog(100, 1000);
        assertTrue(b.admit(600));
        assertFalse(b.admit(401));
        assertEquals(600, b.bytes());
    }
}
