package io.solconnect.relay.core.internal.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.spi.DiscoveryResult;
import io.solconnect.relay.api.spi.RelayDiscovery;
import io.solconnect.relay.core.VirtualScheduler;
import io.solconnect.relay.core.internal.events.EventBus;
import io.solconnect.relay.core.internal.events.SerialLane;
import io.solconnect.relay.core.sim.MemStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class RelayPoolTest {

    final VirtualScheduler vs = new VirtualScheduler();
    final EventBus bus = new EventBus(new SerialLane("t", vs::execute, 1000));
    final List<RelayEvent> events = new ArrayList<>();
    final List<List<RelayEndpoint>> changes = new ArrayList<>();
    final MemStore store = new MemStore();
    final RelayConfig config = RelayConfig.custom().relays(List.of(RelayEndpoint.of("wss://a.example/"))).build();

    static RelayEndpoint ep(String url) {
        return RelayEndpoint.of(url);
    }

    /** A source answering from a script, one answer per lookup (the last one repeats). */
    static RelayDiscovery scripted(List<Supplier<Result<DiscoveryResult>>> answers) {
        return new RelayDiscovery() {
            int i;

            @Override
            public Result<DiscoveryResult> discover() {
                return answers.get(Math.min(i++, answers.size() - 1)).get();
            }

            @Override
            public void close() {
            }
        };
    }

    static Supplier<Result<DiscoveryResult>> ok(Duration after, RelayEndpoint... relays) {
        return () -> Result.ok(new DiscoveryResult(List.of(relays), after, List.of()));
    }

    static Supplier<Result<DiscoveryResult>> failing() {
        return () -> Result.err(ErrorCode.DISCOVERY_FAILED, "lookup failed");
    }

    RelayPool pool(RelayPool.Source... sources) {
        bus.subscribe(RelayEvent.class, events::add);
        return new RelayPool(List.of(sources), config, store, vs, vs::execute, bus, changes::add);
    }

    @Test
    void mergesSourcesInOrderAndRefreshesOnTheirSchedule() {
        RelayPool p = pool(
                new RelayPool.Source("one", scripted(List.of(ok(Duration.ofSeconds(5), ep("wss://a.example/"), ep("wss://b.example/"))))),
                new RelayPool.Source("two", scripted(List.of(ok(Duration.ofSeconds(1), ep("wss://b.example/")),
                        ok(Duration.ofSeconds(1), ep("wss://b.example/"), ep("wss://c.example/"))))));
        p.start();
        vs.runUntilIdle();
        assertEquals(List.of("wss://a.example/", "wss://b.example/"), p.current().stream().map(RelayEndpoint::id).toList());
        vs.advance(Duration.ofSeconds(1));
        assertEquals(3, p.current().size());
        assertEquals(3, events.stream().filter(e -> e instanceof RelayEvent.RelayDiscovered).count());
        assertEquals(List.of(ep("wss://b.example/"), ep("wss://c.example/")), store.known.get("two"));
    }

    @Test
    void vanishedRelaysAreReportedLost() {
        RelayPool p = pool(new RelayPool.Source("one", scripted(List.of(
                ok(Duration.ofSeconds(1), ep("wss://a.example/"), ep("wss://b.example/")),
                ok(Duration.ofSeconds(1), ep("wss://a.example/"))))));
        p.start();
        vs.advance(Duration.ofSeconds(1));
        assertEquals(1, p.current().size());
        RelayEvent.RelayLost lost = (RelayEvent.RelayLost) events.stream().filter(e -> e instanceof RelayEvent.RelayLost)
                .findFirst().orElseThrow();
        assertEquals("wss://b.example/", lost.relay());
        assertEquals(2, changes.size());
    }

    @Test
    void aFailedSourceKeepsItsLastGoodList() {
        RelayPool p = pool(new RelayPool.Source("one", scripted(List.of(ok(Duration.ofSeconds(1), ep("wss://a.example/")),
                failing()))));
        p.start();
        vs.advance(Duration.ofSeconds(30));
        assertEquals(1, p.current().size());
        assertTrue(events.stream().anyMatch(e -> e instanceof RelayEvent.DiscoveryFailed));
        assertEquals(1, changes.size());
    }

    @Test
    void atStartUpAFailingSourceUsesTheListSavedByAnEarlierRun() {
        store.known.put("one", List.of(ep("wss://saved.example/"), ep("ws://evil.example/")));
        RelayPool p = pool(new RelayPool.Source("one", scripted(List.of(failing()))));
        p.start();
        vs.runUntilIdle();
        // saved entries are validated again: plain ws:// to a public host is refused
        assertEquals(List.of("wss://saved.example/"), p.current().stream().map(RelayEndpoint::id).toList());
    }

    @Test
    void discoveredEndpointsAreCheckedAgainstTheSchemePolicy() {
        RelayPool p = pool(new RelayPool.Source("one", scripted(List.of(ok(Duration.ofSeconds(1),
                ep("ws://plain.example/"), ep("ws://127.0.0.1:9000/"), ep("wss://ok.example/"))))));
        p.start();
        vs.runUntilIdle();
        assertEquals(List.of("ws://127.0.0.1:9000/", "wss://ok.example/"), p.current().stream().map(RelayEndpoint::id).toList());
        RelayEvent.DiscoveryFailed f = (RelayEvent.DiscoveryFailed) events.stream()
                .filter(e -> e instanceof RelayEvent.DiscoveryFailed).findFirst().orElseThrow();
        assertTrue(f.error().message().contains("ws://plain.example/"), f.error().message());
    }

    @Test
    void aThrowingSourceIsAFailureNotACrash() {
        RelayPool p = pool(new RelayPool.Source("one", scripted(List.of(() -> {
            throw new IllegalStateException("bug");
        }))));
        p.start();
        vs.runUntilIdle();
        assertTrue(events.stream().anyMatch(e -> e instanceof RelayEvent.DiscoveryFailed));
        p.close();
        vs.advance(Duration.ofSeconds(30));
        assertEquals(0, vs.pending());
    }
}
