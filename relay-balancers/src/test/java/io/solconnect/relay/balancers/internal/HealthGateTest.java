package io.solconnect.relay.balancers.internal;

import io.solconnect.relay.api.RelayCandidate;
import io.solconnect.relay.api.spi.LoadBalancer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.solconnect.relay.balancers.internal.Fixtures.balancer;
import static io.solconnect.relay.balancers.internal.Fixtures.counts;
import static io.solconnect.relay.balancers.internal.Fixtures.id;
import static io.solconnect.relay.balancers.internal.Fixtures.list;
import static io.solconnect.relay.balancers.internal.Fixtures.relay;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Health gate, panic mode, priorities and slow start, for every strategy. */
class HealthGateTest {

    @Test
    void unhealthyRelaysAreNotPickedWhileEnoughAreHealthy() {
        List<RelayCandidate> c = list(relay("a"), relay("b").unhealthy(), relay("c"), relay("d"));
        for (String name : BalancerFactory.NAMES) {
            for (boolean sticky : new boolean[] {false, true}) {
                LoadBalancer b = balancer(name, sticky, Map.of());
                for (int i = 0; i < 2000; i++) {
                    String picked = b.pick(c, "room-" + i).orElseThrow().id();
                    assertTrue(!picked.equals(id("b")), name + " sticky=" + sticky + " picked the unhealthy relay");
                }
            }
        }
    }

    @Test
    void panicPicksAmongAllWhenTooFewAreHealthy() {
        // One of four healthy = 25 % < 50 %: panic, every relay gets picks.
        List<RelayCandidate> c = list(relay("a"), relay("b").unhealthy(), relay("c").unhealthy(),
                relay("d").unhealthy());
        for (String name : BalancerFactory.NAMES) {
            Map<String, Integer> n = counts(balancer(name, false, Map.of()), c, "", 4000);
            assertEquals(4, n.size(), name + " in panic should spread over all: " + n);
        }
        // With the threshold at 0 the gate holds as long as one relay is healthy.
        for (String name : BalancerFactory.NAMES) {
            Map<String, Integer> n = counts(balancer(name, false, Map.of("panicThreshold", "0")), c, "", 1000);
            assertEquals(Map.of(id("a"), 1000), n, name);
        }
    }

    @Test
    void noHealthyRelayStillPicksOne() {
        List<RelayCandidate> c = list(relay("a").unhealthy(), relay("b").unhealthy());
        for (String name : BalancerFactory.NAMES) {
            LoadBalancer b = balancer(name, true, Map.of("panicThreshold", "0"));
            assertTrue(b.pick(c, "").isPresent(), name);
            assertTrue(b.pick(c, "room").isPresent(), name);
        }
    }

    @Test
    void lowestPriorityWithAHealthyRelayIsUsed() {
        List<RelayCandidate> c = list(relay("a").priority(1), relay("b").priority(0), relay("c").priority(0),
                relay("d").priority(2));
        for (String name : BalancerFactory.NAMES) {
            Map<String, Integer> n = counts(balancer(name, false, Map.of()), c, "", 2000);
            assertEquals(java.util.Set.of(id("b"), id("c")), n.keySet(), name);
        }
        List<RelayCandidate> downTier0 = list(relay("a").priority(1), relay("b").priority(0).unhealthy(),
                relay("c").priority(1), relay("d").priority(1));
        for (String name : BalancerFactory.NAMES) {
            Map<String, Integer> n = counts(balancer(name, false, Map.of()), downTier0, "", 2000);
            assertEquals(java.util.Set.of(id("a"), id("c"), id("d")), n.keySet(), name);
        }
    }

    @Test
    void slowStartRampsARecoveredRelay() {
        // b recovered 3 s ago in a 30 s window: factor max(0.1, 3/30) = 0.1; then 15 s: 0.5.
        for (String name : List.of("weighted-random", "round-robin")) {
            List<RelayCandidate> early = list(relay("a"), relay("b").healthyFor(Duration.ofSeconds(3)));
            List<RelayCandidate> half = list(relay("a"), relay("b").healthyFor(Duration.ofSeconds(15)));
            int total = 40_000;
            double shareEarly = share(counts(balancer(name, false, Map.of()), early, "", total), id("b"), total);
            double shareHalf = share(counts(balancer(name, false, Map.of()), half, "", total), id("b"), total);
            // Weighted-random scales the weight by f; round-robin lets b keep its turn with probability
            // f, which gives the same share.
            assertEquals(0.1 / 1.1, shareEarly, 0.01, name);
            assertEquals(0.5 / 1.5, shareHalf, 0.01, name);
            List<RelayCandidate> off = early;
            double shareOff = share(counts(balancer(name, false, Map.of("slowStartWindow", "off")), off, "", total),
                    id("b"), total);
            assertEquals(0.5, shareOff, 0.01, name + " with slow start off");
        }
    }

    @Test
    void slowStartMakesTheAdaptiveStrategiesAvoidAFreshEmptyRelay() {
        // b just came back and is empty; without slow start p2c and least-connections would prefer
        // it in every comparison.
        List<RelayCandidate> c = list(relay("a").rtt(10).load(0.5), relay("b").rtt(10).load(0)
                .healthyFor(Duration.ofSeconds(1)));
        for (String name : List.of("p2c-ewma", "least-connections")) {
            Map<String, Integer> ramp = counts(balancer(name, false, Map.of()), c, "", 1000);
            assertEquals(Map.of(id("a"), 1000), ramp, name);
            Map<String, Integer> off = counts(balancer(name, false, Map.of("slowStartWindow", "0")), c, "", 1000);
            assertEquals(Map.of(id("b"), 1000), off, name);
        }
    }

    @Test
    void slowStartDoesNothingWhileNoRelayIsPastTheWindow() {
        // At the client's own start every relay is "fresh": relative weights must stay as configured.
        List<RelayCandidate> c = list(relay("a").healthyFor(Duration.ofSeconds(1)),
                relay("b").healthyFor(Duration.ofSeconds(20)));
        int total = 40_000;
        double share = share(counts(balancer("weighted-random", false, Map.of()), c, "", total), id("a"), total);
        assertEquals(0.5, share, 0.01);
    }

    private static double share(Map<String, Integer> counts, String id, int total) {
        return counts.getOrDefault(id, 0) / (double) total;
    }
}
