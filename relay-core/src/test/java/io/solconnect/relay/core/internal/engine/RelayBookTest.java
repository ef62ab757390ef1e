package io.solconnect.relay.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.spi.LoadBalancer;
import io.solconnect.relay.core.VirtualScheduler;
import io.solconnect.relay.core.internal.events.EventBus;
import io.solconnect.relay.core.internal.events.SerialLane;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class RelayBookTest {

    static final String A = "ws://127.0.0.1:9001/";
    static final String B = "ws://127.0.0.1:9002/";
    static final String C = "ws://127.0.0.1:9003/";

    final VirtualScheduler vs = new VirtualScheduler();
    final EventBus events = new EventBus(new SerialLane("events", vs::execute, 1000));
    final List<RelayEvent> seen = new CopyOnWriteArrayList<>();
    final SessionStateMachine state = new SessionStateMachine("s", vs, events);
    final Set<String> inUse = new HashSet<>();
    final LoadBalancer first = (candidates, key) -> candidates.stream().findFirst();
    final RelayBook book;
    int restored;

    RelayBookTest() {
        RelayConfig cfg = RelayConfig.custom().addRelay(A).maxRetries(2).backoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                .ejectionTime(Duration.ofSeconds(5)).failoverThreshold(0.5).pingInterval(Duration.ofMillis(200))
                .pingTimeout(Duration.ofMillis(200)).build();
        book = new RelayBook("s", new Timings(cfg), first, (e, m) -> 0.9, vs, new EngineLoop("loop", vs), events,
                new Random(1), state);
        book.wire(r -> inUse.contains(r.id()), () -> "room", () -> restored++);
        events.subscribe(RelayEvent.class, seen::add);
        book.discovered(List.of(RelayEndpoint.of(A), RelayEndpoint.of(B), RelayEndpoint.of(C)));
    }

    RelayEntry entry(String id) {
        return book.all().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void sessionAffinityEndsOnlyWhenEveryRelayMetIsKnownToBeInOneFleet() {
        assertTrue(book.sticky(), "the default strategy asks for affinity");
        entry(A).fleet("f1");
        entry(B).fleet("f1");
        assertFalse(book.sticky(), "C was never linked to: it does not count");
        inUse.add(C);
        assertTrue(book.sticky(), "C, linked, said no fleet: it may share nothing");
        entry(C).fleet("f2");
        assertTrue(book.sticky(), "two fleets share nothing between them");
        entry(C).fleet("f1");
        assertFalse(book.sticky(), "one log: pick on quality and load");
        inUse.add(B);
        entry(B).fleet(null); // a bad claim on its link
        assertTrue(book.sticky());
        book.discovered(List.of(RelayEndpoint.of(A), RelayEndpoint.of(C)));
        assertFalse(book.sticky(), "a relay no longer listed (draining) does not count");
    }

    @Test
    void aFleetTagInTheEndpointDeclaresTheFleetBeforeAnyConnection() {
        book.discovered(List.of(RelayEndpoint.builder(A).tags(Set.of("fleet=f1", "eu")).build(),
                RelayEndpoint.builder(B).tags(Set.of("fleet=f1")).build(),
                RelayEndpoint.builder(C).tags(Set.of("fleet=bad id")).build()));
        assertEquals(java.util.Optional.of("f1"), entry(A).fleet());
        assertEquals(java.util.Optional.empty(), entry(C).fleet(), "a malformed tag declares nothing");
        assertFalse(book.sticky(), "C was never linked to");
        inUse.add(C);
        assertTrue(book.sticky(), "C, linked, declares nothing");
    }

    @Test
    void pickSkipsRelaysInUseAndBackingOff() {
        assertEquals(A, book.pick(vs.nanoTime()).orElseThrow().id());
        inUse.add(A);
        assertEquals(B, book.pick(vs.nanoTime()).orElseThrow().id());
        book.failed(entry(B), "refused", false, true);
        assertTrue(entry(B).backingOff(vs.nanoTime()), "a failure backs off (full jitter, up to the initial backoff)");
        inUse.add(C);
        assertTrue(book.pick(vs.nanoTime()).isEmpty());
        assertTrue(book.nextEligible(vs.nanoTime()) > vs.nanoTime());
        assertTrue(book.nextEligible(vs.nanoTime()) <= vs.nanoTime() + Duration.ofMillis(100).toNanos());
    }

    @Test
    void ejectionNeedsEnoughFailedConnectsOverAtLeastASecond() {
        RelayEntry b = entry(B);
        book.failed(b, "refused", false, true);
        book.failed(b, "refused", false, true);
        assertFalse(b.ejected(vs.nanoTime()), "two failures within a few ms: a restart, not a dead relay");
        vs.advance(RelayBook.EJECT_MIN_SPAN);
        book.failed(b, "refused", false, false);
        assertFalse(b.ejected(vs.nanoTime()), "a dropped link is not a failed connect");
        book.failed(b, "refused", false, true);
        assertTrue(b.ejected(vs.nanoTime()));
        vs.advance(Duration.ofSeconds(5));
        vs.runUntilIdle();
        assertFalse(b.ejected(vs.nanoTime()));
        assertEquals(1, restored, "the session is told when the ejection ends");
        assertEquals(List.of(RelayEvent.Ejected.class, RelayEvent.Restored.class), seen.stream()
                .filter(e -> e instanceof RelayEvent.Ejected || e instanceof RelayEvent.Restored).map(Object::getClass).toList());
    }

    @Test
    void aTerminalCloseEjectsAtOnceButNeverBelowAPrimaryAndItsStandby() {
        book.failed(entry(A), "terminal", true, false);
        assertTrue(entry(A).ejected(vs.nanoTime()));
        book.failed(entry(B), "terminal", true, false);
        assertFalse(entry(B).ejected(vs.nanoTime()), "B and C are what is left for a primary and one standby");
        book.failed(entry(C), "terminal", true, false);
        assertFalse(entry(C).ejected(vs.nanoTime()), "the last one is kept");
    }

    @Test
    void everyOpenLinkDroppingAtOnceIsALocalOutage() {
        long now = vs.nanoTime();
        assertFalse(book.dropCompletesOutage(1, now, true), "another link is still open");
        assertTrue(book.dropCompletesOutage(2, now + 1, false));
        vs.advance(Duration.ofSeconds(1));
        assertFalse(book.dropCompletesOutage(3, vs.nanoTime(), false), "the others dropped too long ago");
        book.failed(entry(A), "x", false, true);
        book.forgiveAll();
        assertEquals(0, entry(A).failures());
    }

    @Test
    void relaysLeavingDiscoveryDrainAndAreForgottenOnceUnused() {
        inUse.add(C);
        List<RelayEntry> gone = book.discovered(List.of(RelayEndpoint.of(A)));
        assertEquals(2, gone.size());
        book.removeDrained();
        assertEquals(List.of(A, C), book.all().stream().map(RelayEntry::id).toList(), "C is still in use");
        assertTrue(entry(C).draining());
        book.discovered(List.of(RelayEndpoint.of(A), RelayEndpoint.of(C)));
        assertFalse(entry(C).draining(), "listed again");
    }
}
