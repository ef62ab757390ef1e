package io.solconnect.relay.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solconnect.relay.core.VirtualScheduler;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinksTest {

    final VirtualScheduler vs = new VirtualScheduler();
    final Links links = new Links();
    final RelayEntry a = Parts.relay(vs, "ws://127.0.0.1:9001/", 0.9);
    final RelayEntry b = Parts.relay(vs, "ws://127.0.0.1:9002/", 0.8);
    final RelayEntry c = Parts.relay(vs, "ws://127.0.0.1:9003/", 0.7);

    Link standby(RelayEntry r) {
        Link l = Parts.openLink(vs, links.nextGeneration(), r, Link.Role.STANDBY);
        links.addStandby(l);
        return l;
    }

    @Test
    void aConnectingPrimaryBecomesThePrimaryAndAStandbyIsPromotedOutOfTheStandbys() {
        Link p = Parts.openLink(vs, links.nextGeneration(), a, Link.Role.PRIMARY);
        links.connectingPrimary(p);
        assertTrue(links.inUse(a));
        assertFalse(links.noPrimary());
        links.makePrimary(p);
        assertSame(p, links.primary());
        assertNull(links.connectingPrimary());
        Link s = standby(b);
        assertEquals(List.of(p, s), links.open(), "the primary first");
        links.dropPrimary();
        links.makePrimary(s);
        assertEquals(Link.Role.PRIMARY, s.role());
        assertTrue(links.standbys().isEmpty());
    }

    @Test
    void aSwapKeepsTheOldPrimaryAsAStandby() {
        Link p = Parts.openLink(vs, links.nextGeneration(), a, Link.Role.PRIMARY);
        links.makePrimary(p);
        Link s = standby(b);
        links.demotePrimary();
        links.makePrimary(s);
        assertSame(s, links.primary());
        assertEquals(List.of(p), links.standbys());
        assertEquals(Link.Role.STANDBY, p.role());
    }

    @Test
    void retiringClosesTheLinkAndNotesWhenItsRelayWasLeft() {
        Link s = standby(b);
        vs.advance(java.time.Duration.ofMillis(7));
        links.retire(s, vs.nanoTime());
        assertFalse(s.open());
        assertEquals(Link.Role.CLOSING, s.role());
        assertEquals(vs.nanoTime(), b.unlinkedAtNanos());
        assertFalse(links.inUse(b));
    }

    @Test
    void trimmingRetiresTheWeakestQuietStandbyButNotAPreferredOrAFreshOne() {
        Link sa = standby(a);
        Link sb = standby(b);
        Link sc = standby(c);
        sc.fresh(100); // brought something new lately: how this session hears a member
        List<Link> out = links.trim(1, List.of(a), 50, 200);
        assertEquals(List.of(sb), out, "c is fresh, a is preferred");
        assertEquals(List.of(sa, sc), links.standbys());
        assertEquals(List.of(sc), links.trim(1, List.of(a), 150, 300), "c went quiet");
    }

    @Test
    void theBestStandbyHasTheHighestScoreAmongThoseThatPass() {
        standby(c);
        Link sb = standby(b);
        assertSame(sb, links.bestStandby(l -> true));
        assertNull(links.bestStandby(l -> l.relay().score() > 0.85));
    }

    @Test
    void stoppingAbandonsConnectsInFlightAndReturnsTheOpenLinks() {
        Link p = Parts.openLink(vs, links.nextGeneration(), a, Link.Role.PRIMARY);
        links.makePrimary(p);
        Link s = standby(b);
        Link pending = new Link(links.nextGeneration(), c, Link.Role.STANDBY, 0);
        links.pendingStandby(pending);
        assertEquals(List.of(p, s), links.stopAll(0));
        assertTrue(pending.abandoned());
        assertNull(links.primary());
        assertTrue(links.standbys().isEmpty());
        assertEquals(Link.Role.CLOSING, p.role());
    }
}
