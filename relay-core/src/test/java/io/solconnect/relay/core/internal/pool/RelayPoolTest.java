package io.solconnect.relay.core.internal.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.spi.DiscoveryResult;
import io.solconnect.relay.api.spi.RelayDiscovery;
import io.solconnect.relay.core.VirtualScheduler;
import io.solconnect.relay.core.internal.discovery.StaticDiscovery;
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
    final EventBus bus = new EventBus(new SerialLane("t", vs::execute, 100_000));
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
        return pool(config, sources);
    }

    RelayPool pool(RelayConfig cfg, RelayPool.Source... sources) {
        bus.subscribe(RelayEvent.class, events::add);
        return new RelayPool(List.of(sources), cfg, store, vs, vs::execute, vs::execute, bus, changes::add);
    }

    List<String> ids(RelayPool p) {
        return p.current().stream().map(RelayEndpoint::id).toList();
    }

    List<String> failures() {
        return events.stream().filter(e -> e instanceof RelayEvent.DiscoveryFailed)
                .map(e -> ((RelayEvent.DiscoveryFailed) e).error().message()).toList();
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
        store.known.put("one", List.of(ep("wss://saved.example/"), ep("ws://evil.example/"), ep("wss://10.0.0.5/"),
                ep("wss://127.0.0.1:9000/"), ep("wss://169.254.169.254/"), ep("wss://router.lan/")));
        RelayPool p = pool(new RelayPool.Source("one", scripted(List.of(failing()))));
        p.start();
        vs.runUntilIdle();
        // saved entries are validated again by the whole address policy, not only the scheme
        assertEquals(List.of("wss://saved.example/"), p.current().stream().map(RelayEndpoint::id).toList());
    }

    @Test
    void discoveredEndpointsAreCheckedAgainstTheSchemePolicy() {
        RelayConfig allowPrivate = RelayConfig.custom().relays(List.of(RelayEndpoint.of("wss://a.example/")))
                .allowPrivateAddresses(true).build();
        RelayPool p = pool(allowPrivate, new RelayPool.Source("one", scripted(List.of(ok(Duration.ofSeconds(1),
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

    /** A third-party style source: it applies no policy at all and returns whatever its data says. */
    static RelayDiscovery hostile() {
        List<RelayEndpoint> relays = new ArrayList<>(List.of(
                ep("wss://127.0.0.1/"), ep("wss://10.1.2.3/"), ep("wss://[fd00::1]/"), ep("wss://[::ffff:127.0.0.1]/"),
                ep("wss://169.254.169.254/"), ep("wss://printer.local/"), ep("wss://localhost/"), ep("wss://relay/"),
                ep("wss://db.internal/"), ep("ws://plain.example.org/"), ep("wss://rebound.example.org/"),
                RelayEndpoint.builder("wss://bad-region.example.org/").region("eu\r\nSet-Cookie: x").build()));
        for (int i = 0; i < DiscoveryResult.MAX_RELAYS + 10; i++) {
            relays.add(ep("wss://r" + i + ".example.org/"));
        }
        java.util.Map<String, List<java.net.InetAddress>> resolved;
        try {
            resolved = java.util.Map.of("wss://rebound.example.org/", List.of(java.net.InetAddress.getByName("192.168.0.10")));
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
        DiscoveryResult all = new DiscoveryResult(relays, Duration.ofSeconds(1), List.of("evil\u0000line"), resolved);
        return scripted(List.of(() -> Result.ok(all)));
    }

    @Test
    void theCoreFiltersWhatAThirdPartySourceReturns() {
        RelayPool p = pool(new RelayPool.Source("third-party", hostile()));
        p.start();
        vs.runUntilIdle();
        List<String> ids = ids(p);
        assertEquals(DiscoveryResult.MAX_RELAYS, ids.size());
        assertEquals("wss://r0.example.org/", ids.get(0));
        assertTrue(ids.stream().allMatch(id -> id.matches("wss://r[0-9]+\\.example\\.org/")), "only public wss relays");
        String why = failures().get(0);
        for (String expected : List.of("loopback 127.0.0.0/8", "private 10.0.0.0/8", "unique-local fc00::/7",
                "IPv4-mapped", "link-local and cloud metadata 169.254.0.0/16", "local-only domain 'local'", "'localhost'",
                "single-label", "local-only domain 'internal'", "scheme ws:// is not allowed", "rebound.example.org' resolves to a refused",
                "region 'eu??Set-Cookie: x'", "evil?line", "10 more relays over the limit")) {
            assertTrue(why.contains(expected), expected + " in " + why);
        }
        assertEquals(List.copyOf(p.current()), store.known.get("third-party"));
    }

    @Test
    void aResultWithNothingAcceptableKeepsTheLastGoodList() {
        RelayPool p = pool(new RelayPool.Source("one", scripted(List.of(ok(Duration.ofSeconds(1), ep("wss://a.example/")),
                ok(Duration.ofSeconds(1), ep("wss://10.0.0.1/"), ep("wss://127.0.0.1/"))))));
        p.start();
        vs.advance(Duration.ofSeconds(3));
        assertEquals(List.of("wss://a.example/"), ids(p));
        assertEquals(1, changes.size());
        assertTrue(failures().stream().anyMatch(m -> m.contains("private 10.0.0.0/8")), failures().toString());
    }

    @Test
    void theStaticSourceIsTrustedWithLoopbackAndReadAgainWhenReplaced() {
        List<RelayEndpoint> written = List.of(ep("ws://127.0.0.1:9000/"), ep("wss://10.0.0.1/"), ep("ws://127.0.0.1:9001/"));
        RelayConfig operator = RelayConfig.custom().relays(written).build();
        StaticDiscovery configured = new StaticDiscovery(written.subList(0, 2), Duration.ofHours(1));
        RelayPool p = pool(operator, new RelayPool.Source("static", configured));
        p.start();
        vs.runUntilIdle();
        assertEquals(List.of("ws://127.0.0.1:9000/", "wss://10.0.0.1/"), ids(p));
        configured.replace(List.of(ep("ws://127.0.0.1:9001/")));
        assertTrue(p.refreshNow("static"));
        vs.runUntilIdle();
        assertEquals(List.of("ws://127.0.0.1:9001/"), ids(p));
        assertEquals(2, events.stream().filter(e -> e instanceof RelayEvent.RelayLost).count());
        vs.advance(Duration.ofHours(1));
        assertEquals(1, vs.pending(), "the replaced refresh chain stopped; one remains");
        assertFalse(p.refreshNow("nope"));
    }

    /** Relays set at run time (the settings page) reach the pool through the static source but are not the operator's. */
    @Test
    void relaysSetAtRunTimeThroughTheStaticSourcePassTheAddressRules() {
        RelayConfig operator = RelayConfig.custom().relays(List.of(ep("ws://127.0.0.1:9000/"))).build();
        StaticDiscovery configured = new StaticDiscovery(operator.relays(), Duration.ofHours(1));
        RelayPool p = pool(operator, new RelayPool.Source("static", configured));
        p.start();
        vs.runUntilIdle();
        configured.replace(List.of(ep("ws://127.0.0.1:9000/"), ep("wss://127.0.0.2:9001/"), ep("wss://169.254.169.254/"),
                ep("wss://relay.example.org/")));
        p.refreshNow("static");
        vs.runUntilIdle();
        assertEquals(List.of("ws://127.0.0.1:9000/", "wss://relay.example.org/"), ids(p));
        String why = String.join("\n", failures());
        assertTrue(why.contains("127.0.0.2") && why.contains("loopback"), why);
        assertTrue(why.contains("169.254.169.254") && why.contains("metadata"), why);
    }

    @Test
    void aLookupOvertakenByARefreshNowChangesNothing() {
        RelayPool[] pool = new RelayPool[1];
        RelayDiscovery racing = scripted(List.of(() -> {
            pool[0].refreshNow("one"); // the list is replaced while this older lookup still runs
            return Result.ok(new DiscoveryResult(List.of(ep("wss://stale.example/")), Duration.ofHours(1), List.of()));
        }, ok(Duration.ofHours(1), ep("wss://fresh.example/"))));
        pool[0] = pool(new RelayPool.Source("one", racing));
        pool[0].start();
        vs.runUntilIdle();
        assertEquals(List.of("wss://fresh.example/"), ids(pool[0]));
        assertEquals(List.of(List.of(ep("wss://fresh.example/"))), changes, "the stale list never reached the engine");
        assertEquals(1, vs.pending(), "one refresh chain");
    }
}
