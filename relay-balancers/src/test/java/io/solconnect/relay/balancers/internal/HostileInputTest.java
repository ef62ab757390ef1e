package io.solconnect.relay.balancers.internal;

import io.solconnect.relay.api.QualityMetrics;
import io.solconnect.relay.api.RelayCandidate;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.spi.LoadBalancer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.solconnect.relay.balancers.internal.Fixtures.balancer;
import static io.solconnect.relay.balancers.internal.Fixtures.id;
import static io.solconnect.relay.balancers.internal.Fixtures.list;
import static io.solconnect.relay.balancers.internal.Fixtures.relay;
import static io.solconnect.relay.balancers.internal.Fixtures.relays;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad arguments, odd metrics, lists changed behind the balancer's back, and concurrent use. */
class HostileInputTest {

    @Test
    void nullsAreProgrammerErrorsNamingTheArgument() {
        for (String name : BalancerFactory.NAMES) {
            LoadBalancer b = balancer(name, true, Map.of());
            assertEquals("candidates", assertThrows(NullPointerException.class, () -> b.pick(null, "")).getMessage());
            assertEquals("affinityKey",
                    assertThrows(NullPointerException.class, () -> b.pick(relays(2), null)).getMessage());
            List<RelayCandidate> withNull = new ArrayList<>(relays(3));
            withNull.set(1, null);
            assertEquals("candidates[1] is null",
                    assertThrows(NullPointerException.class, () -> b.pick(withNull, "")).getMessage());
        }
    }

    @Test
    void emptyListGivesEmpty() {
        for (String name : BalancerFactory.NAMES) {
            assertEquals(Optional.empty(), balancer(name, true, Map.of()).pick(List.of(), "room"));
        }
    }

    @Test
    void nonsenseMetricsCountAsUnknown() {
        // NaN, negative and infinite RTTs pass QualityMetrics' checks; they must not win or crash.
        RelayEndpoint e1 = RelayEndpoint.of("wss://nan.example.org/");
        RelayEndpoint e2 = RelayEndpoint.of("wss://neg.example.org/");
        RelayEndpoint e3 = RelayEndpoint.of("wss://inf.example.org/");
        List<RelayCandidate> c = List.of(candidate(e1, Double.NaN), candidate(e2, -5), candidate(e3,
                Double.POSITIVE_INFINITY), relay("good").rtt(10).build(), relay("bad").rtt(30).build());
        CandidateSet set = new CandidateSet(c, DistributionTest.settings("p2c-ewma"), (x, w) -> 1, (s, cfg) -> null);
        for (int i = 0; i < 3; i++) {
            assertEquals(20, set.rttMillis[i], 1e-9, "median of 10 and 30");
        }
        for (String name : BalancerFactory.NAMES) {
            LoadBalancer b = balancer(name, false, Map.of());
            for (int i = 0; i < 100; i++) {
                assertTrue(b.pick(c, "").isPresent());
            }
        }
    }

    @Test
    void negativeHealthyForAndHugeLoadAreTolerated() {
        List<RelayCandidate> c = list(relay("a").healthyFor(Duration.ofSeconds(-5)).load(1e300),
                relay("b").healthyFor(Duration.ofSeconds(Long.MAX_VALUE)).load(0.2));
        for (String name : BalancerFactory.NAMES) {
            assertTrue(balancer(name, false, Map.of()).pick(c, "").isPresent(), name);
        }
        for (String name : List.of("least-connections", "p2c-ewma")) {
            LoadBalancer b = balancer(name, false, Map.of("slowStartWindow", "off"));
            for (int i = 0; i < 100; i++) {
                assertEquals(id("b"), b.pick(c, "").orElseThrow().id(), name + ": a load of 1e300 is the worst");
            }
        }
    }

    @Test
    void duplicateIdsDoNotBreakAffinity() {
        List<RelayCandidate> c = list(relay("a"), relay("a"), relay("b"));
        LoadBalancer b = balancer("p2c-ewma", true, Map.of());
        for (int k = 0; k < 100; k++) {
            String first = b.pick(c, "room-" + k).orElseThrow().id();
            assertEquals(first, b.pick(c, "room-" + k).orElseThrow().id());
        }
    }

    @Test
    void sameListReusesTheCachedOptional() {
        List<RelayCandidate> c = relays(1);
        LoadBalancer b = balancer("p2c-ewma", false, Map.of());
        assertSame(b.pick(c, ""), b.pick(c, ""));
    }

    @Test
    void aListChangedInPlaceNeverYieldsAStaleElement() {
        for (String name : BalancerFactory.NAMES) {
            LoadBalancer b = balancer(name, true, Map.of());
            RelayCandidate[] array = relays(3).toArray(new RelayCandidate[0]);
            List<RelayCandidate> view = Arrays.asList(array);
            for (int i = 0; i < 10; i++) {
                b.pick(view, "");
                b.pick(view, "room");
            }
            // Replace every element in place with different objects (same ids).
            RelayCandidate[] fresh = relays(3).toArray(new RelayCandidate[0]);
            System.arraycopy(fresh, 0, array, 0, 3);
            for (int i = 0; i < 50; i++) {
                RelayCandidate picked = b.pick(view, i % 2 == 0 ? "" : "room").orElseThrow();
                assertTrue(Arrays.stream(fresh).anyMatch(f -> f == picked), name + " returned a stale element");
            }
            // And a mutable list that shrinks.
            List<RelayCandidate> shrinking = new ArrayList<>(relays(4));
            b.pick(shrinking, "");
            shrinking.remove(3);
            shrinking.remove(2);
            for (int i = 0; i < 20; i++) {
                assertTrue(shrinking.contains(b.pick(shrinking, "").orElseThrow()), name);
            }
        }
    }

    @Test
    void concurrentPicksAreSafe() throws Exception {
        List<RelayCandidate> a = relays(50);
        List<RelayCandidate> b = relays(7);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (String name : BalancerFactory.NAMES) {
                LoadBalancer lb = name.equals("geographic") ? balancer(name, false, Map.of(), "")
                        : Fixtures.balancer(name, false, Map.of());
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Integer>> results = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int thread = t;
                    results.add(pool.submit(() -> {
                        start.await();
                        int ok = 0;
                        for (int i = 0; i < 20_000; i++) {
                            List<RelayCandidate> list = (i + thread) % 3 == 0 ? b : a;
                            RelayCandidate picked = lb.pick(list, i % 5 == 0 ? "room-" + i : "").orElseThrow();
                            if (list.contains(picked)) {
                                ok++;
                            }
                        }
                        return ok;
                    }));
                }
                start.countDown();
                for (Future<Integer> f : results) {
                    assertEquals(20_000, f.get(60, TimeUnit.SECONDS), name);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static RelayCandidate candidate(RelayEndpoint e, double rtt) {
        QualityMetrics m = new QualityMetrics(e.id(), OptionalDouble.of(rtt), OptionalDouble.empty(),
                OptionalDouble.empty(), 0, 0, 0, 0, OptionalDouble.empty(), 0, Duration.ZERO, 0,
                OptionalDouble.empty(), Duration.ofSeconds(10));
        return new RelayCandidate(e, 1, true, Duration.ofHours(1), m);
    }
}
