package io.solconnect.relay.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solconnect.relay.api.OutboundMessage;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.spi.SequencedProtocol;
import io.solconnect.relay.core.VirtualScheduler;
import io.solconnect.relay.core.internal.protocol.Protocols;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RepublisherTest {

    final VirtualScheduler vs = new VirtualScheduler();
    final RelayConfig cfg = RelayConfig.custom().addRelay("ws://127.0.0.1:9001/").build();
    final Timings timings = new Timings(cfg);
    final Links links = new Links();
    final Outbox outbox = new Outbox(100, 100_000);
    final RecentlyAcked acked = new RecentlyAcked();
    final Counters counters = new Counters();
    final EngineLoop loop = new EngineLoop("loop", vs);
    final RelayEntry a = Parts.relay(vs, "ws://127.0.0.1:9001/", 1);
    final RelayEntry b = Parts.relay(vs, "ws://127.0.0.1:9002/", 1);
    final Link primary = Parts.openLink(vs, links.nextGeneration(), a, Link.Role.PRIMARY);
    final Link standby = Parts.openLink(vs, links.nextGeneration(), b, Link.Role.STANDBY);

    RepublisherTest() {
        links.makePrimary(primary);
        links.addStandby(standby);
    }

    Republisher republisher(SequencedProtocol sequencing) {
        return new Republisher("s", "me", "me/s", timings, vs, links, outbox, acked, new Pacer("s", loop, true), counters,
                sequencing);
    }

    static List<String> frames(List<RecentlyAcked.Acked> acked) {
        return acked.stream().map(a -> a.frame.text()).toList();
    }

    void ackedOnA(String id, long serial) {
        Outbox.Entry e = outbox.add(new OutboundMessage(id, "room", "me", "p" + id, Instant.EPOCH), 2, serial, null, false);
        e.encoded(new OutFrame(id, "frame-" + id, 8));
        outbox.remove(id);
        acked.add(e, a.id(), vs.nanoTime(), RecentlyAcked.MAX);
    }

    @Test
    void aResendRequestForOurSerialsIsAnsweredOnItsLinkWithTheResentMark() {
        SequencedProtocol sync = Protocols.create(false, cfg).sequencing().orElseThrow();
        ackedOnA("x", 1);
        ackedOnA("y", 2);
        Republisher r = republisher(sync);
        r.answer(standby, new SequencedProtocol.Resend("room", "me/s", 2, 2));
        assertEquals(1, Parts.conn(standby).written.size());
        assertTrue(Parts.conn(standby).written.get(0).contains("\"resend\":true"));
        assertEquals(1, counters.resentCount());
        r.answer(standby, new SequencedProtocol.Resend("room", "someone/else", 1, 2));
        assertEquals(1, Parts.conn(standby).written.size(), "not our serials");
    }

    @Test
    void resendRequestsAreBudgetedPerLinkAndPerOrigin() {
        SequencedProtocol sync = Protocols.create(false, cfg).sequencing().orElseThrow();
        for (int i = 1; i <= 100; i++) {
            ackedOnA("m" + i, i);
        }
        Republisher r = republisher(sync);
        Budget probe = Budget.perLink();
        int perLink = 0;
        while (probe.fits(0, 8)) {
            probe.take(8);
            perLink++;
        }
        assertTrue(perLink >= 100, "a request within the budget is answered whole");
        r.answer(standby, new SequencedProtocol.Resend("room", "me/s", 1, 100));
        vs.runUntilIdle();
        assertEquals(100, counters.resentCount());
        assertEquals(0, counters.resendsThrottledCount());
        // spend the link's budget: every later request (past the ack timeout) is throttled
        for (int round = 0; round < 40; round++) {
            vs.advance(timings.ackTimeout());
            while (standby.resends().fits(vs.nanoTime(), 0)) { // other requests spent it
                standby.resends().take(0);
            }
            r.answer(standby, new SequencedProtocol.Resend("room", "me/s", 1, 100));
        }
        assertEquals(100, counters.resentCount(), "nothing written past the link's budget");
        assertEquals(40, counters.resendsThrottledCount(), "each request counted once");
        // what was throttled is not noted as sent: the next request with budget gets it
        vs.advance(java.time.Duration.ofSeconds(1));
        r.answer(standby, new SequencedProtocol.Resend("room", "me/s", 1, 100));
        assertEquals(200, counters.resentCount());
    }

    @Test
    void theOriginBudgetCapsRequestsSpreadOverManyLinks() {
        SequencedProtocol sync = Protocols.create(false, cfg).sequencing().orElseThrow();
        for (int i = 1; i <= 1000; i++) {
            ackedOnA("m" + i, i);
        }
        Republisher r = republisher(sync);
        for (int l = 0; l < 10; l++) {
            Link other = Parts.openLink(vs, links.nextGeneration(), Parts.relay(vs, "ws://127.0.0.1:91" + l + "/", 1),
                    Link.Role.STANDBY);
            r.answer(other, new SequencedProtocol.Resend("room", "me/s", 1, 1000));
        }
        assertEquals(Budget.ORIGIN_WRITES_PER_SECOND, counters.resentCount(),
                "ten links asking for 1,000 each within a second get the origin's budget, no more");
        assertEquals(6, counters.resendsThrottledCount(), "the six links after the fourth are not answered at all");
    }

    @Test
    void gapsAreAskedAboutOnEveryOpenLinkAndNotAtAllWithoutTheCapability() {
        List<SenderOrder.Gap> gaps = List.of(new SenderOrder.Gap("room", "other/s", 3, 5));
        republisher(null).ask(gaps);
        assertEquals(0, Parts.conn(primary).written.size() + Parts.conn(standby).written.size());
        republisher(Protocols.create(false, cfg).sequencing().orElseThrow()).ask(gaps);
        assertEquals(1, Parts.conn(primary).written.size());
        assertEquals(1, Parts.conn(standby).written.size());
        assertEquals(1, counters.resendsAskedCount());
    }

    @Test
    void aNewPrimaryGetsWhatAnotherRelayAcknowledgedWithinTheWindow() {
        ackedOnA("x", 1);
        vs.advance(Duration.ofSeconds(1));
        ackedOnA("y", 2);
        Link onB = Parts.openLink(vs, links.nextGeneration(), b, Link.Role.STANDBY);
        assertEquals(List.of("frame-y"), frames(republisher(null).republication(onB,
                vs.nanoTime() - Duration.ofMillis(500).toNanos())));
        assertEquals(List.of("frame-x"), frames(republisher(null).republication(onB, 0)),
                "y is noted as copied to the link");
    }

    @Test
    void aNewStandbyIsCaughtUpInAcceptanceOrderWhenANewerMessageWasAcknowledgedFirst() {
        // "x" went out first and its ack was lost; "y", accepted after it, was acknowledged by a
        Outbox.Entry x = outbox.add(new OutboundMessage("x", "room", "me", "px", Instant.EPOCH), 2, 1, null, false);
        x.encoded(new OutFrame("x", "frame-x", 8));
        x.written(primary.generation(), vs.nanoTime());
        ackedOnA("y", 2);
        Outbox.Entry z = outbox.add(new OutboundMessage("z", "room", "me", "pz", Instant.EPOCH), 2, 3, null, false);
        z.encoded(new OutFrame("z", "frame-z", 8));
        z.written(primary.generation(), vs.nanoTime());
        RelayEntry c = Parts.relay(vs, "ws://127.0.0.1:9003/", 1);
        Link onC = Parts.openLink(vs, links.nextGeneration(), c, Link.Role.STANDBY);
        republisher(null).catchUp(onC);
        // a member hearing us first on c takes our order from the first frame it gets
        assertEquals(List.of("frame-x", "frame-y", "frame-z"), Parts.conn(onC).written);
    }

    @Test
    void theRepublicationGoesInAcceptanceOrderWhateverTheOrderOfTheAcks() {
        Outbox.Entry x = outbox.add(new OutboundMessage("x", "room", "me", "px", Instant.EPOCH), 2, 1, null, false);
        x.encoded(new OutFrame("x", "frame-x", 8));
        ackedOnA("y", 2);
        outbox.remove("x");
        acked.add(x, a.id(), vs.nanoTime(), 100); // acknowledged after y: its first ack was lost
        Link onB = Parts.openLink(vs, links.nextGeneration(), b, Link.Role.STANDBY);
        assertEquals(List.of("frame-x", "frame-y"), frames(republisher(null).republication(onB, 0)));
    }
}
