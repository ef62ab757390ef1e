package io.solconnect.relay.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.solconnect.relay.api.OutboundMessage;
import io.solconnect.relay.api.spi.SequencedProtocol;
import io.solconnect.relay.core.VirtualScheduler;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecentlyAckedTest {

    final VirtualScheduler vs = new VirtualScheduler();
    final Outbox outbox = new Outbox(100, 10_000);
    final RecentlyAcked acked = new RecentlyAcked();
    final RelayEntry a = Parts.relay(vs, "ws://127.0.0.1:9001/", 1);
    final RelayEntry b = Parts.relay(vs, "ws://127.0.0.1:9002/", 1);

    Outbox.Entry entry(String id, long serial) {
        Outbox.Entry e = outbox.add(new OutboundMessage(id, "room", "me", "p", Instant.EPOCH), 1, serial, null, false);
        e.encoded(new OutFrame(id, "frame-" + id, 7));
        return e;
    }

    @Test
    void aLinkGetsWhatAnotherRelayAcknowledgedSinceOnceAndNothingTooOld() {
        acked.add(entry("old", 1), a.id(), 10, 100);
        acked.add(entry("x", 2), a.id(), 100, 100);
        acked.add(entry("y", 3), b.id(), 110, 100);
        acked.add(entry("z", 4), a.id(), 120, 100);
        Link onB = Parts.openLink(vs, 5, b, Link.Role.PRIMARY);
        assertEquals(List.of("x", "z"), acked.since(onB, 50, 200, 1000).stream().map(x -> x.frame.id()).toList(),
                "not 'old' (before 50), not 'y' (b acknowledged it)");
        assertEquals(List.of(), acked.since(onB, 50, 200, 1000), "copied once");
        Link other = Parts.openLink(vs, 6, b, Link.Role.STANDBY);
        assertEquals(List.of("x", "z"), acked.since(other, 0, 1100, 1000).stream().map(x -> x.frame.id()).toList(),
                "'old' is forgotten: over the age limit");
    }

    @Test
    void itKeepsAtMostTheLimit() {
        for (int i = 0; i < 5; i++) {
            acked.add(entry("m" + i, i + 1), a.id(), i, 3);
        }
        assertEquals(3, acked.size());
    }

    @Test
    void aResendIsAnsweredOncePerLinkWithinTheWait() {
        acked.add(entry("x", 1), a.id(), 0, 100);
        acked.add(entry("y", 2), a.id(), 0, 100);
        acked.add(entry("z", 3), a.id(), 0, 100);
        Link l = Parts.openLink(vs, 1, a, Link.Role.PRIMARY);
        SequencedProtocol.Resend r = new SequencedProtocol.Resend("room", "me/s", 2, 3);
        assertEquals(2, acked.forResend(l, r, 1000, 500).size());
        assertEquals(0, acked.forResend(l, r, 1400, 500).size(), "asked again while the first is on its way");
        assertEquals(2, acked.forResend(l, r, 1500, 500).size());
        assertEquals(0, acked.forResend(l, new SequencedProtocol.Resend("other", "me/s", 1, 3), 5000, 500).size());
    }
}
