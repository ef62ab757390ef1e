package io.solconnect.relay.balancers.internal;

import io.solconnect.relay.api.RelayCandidate;
import io.solconnect.relay.api.spi.LoadBalancer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.solconnect.relay.balancers.internal.Fixtures.chiSquare;
import static io.solconnect.relay.balancers.internal.Fixtures.counts;
import static io.solconnect.relay.balancers.internal.Fixtures.id;
import static io.solconnect.relay.balancers.internal.Fixtures.list;
import static io.solconnect.relay.balancers.internal.Fixtures.relay;
import static io.solconnect.relay.balancers.internal.Fixtures.relays;
import static io.solconnect.relay.balancers.internal.Fixtures.seeded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each strategy's distribution of picks over healthy candidates, with fixed seeds. */
class DistributionTest {

    // Chi-square critical values at p = 0.001.
    private static final double CHI2_DF2 = 13.82;
    private static final double CHI2_DF3 = 16.27;

    @Test
    void roundRobinTakesEachInTurn() {
        List<RelayCandidate> c = relays(5);
        Map<String, Integer> n = counts(seeded("round-robin"), c, "", 5000);
        assertEquals(5, n.size());
        n.values().forEach(v -> assertEquals(1000, v));
        LoadBalancer rr = seeded("round-robin");
        String first = rr.pick(c, "").orElseThrow().id();
        String second = rr.pick(c, "").orElseThrow().id();
        assertTrue(!first.equals(second), "consecutive picks differ");
    }

    @Test
    void roundRobinStartsAtARandomPositionPerInstance() {
        List<RelayCandidate> c = relays(10);
        java.util.Set<String> starts = new java.util.HashSet<>();
        for (int seed = 0; seed < 50; seed++) {
            LoadBalancer b = Fixtures.balancer("round-robin", false, Map.of("seed", Integer.toString(seed)));
            starts.add(b.pick(c, "").orElseThrow().id());
        }
        assertTrue(starts.size() >= 6, "50 clients should start on many relays, started on " + starts.size());
    }

    @Test
    void sameSeedSameChoicesOtherSeedOthers() {
        List<RelayCandidate> c = relays(20);
        for (String name : BalancerFactory.NAMES) {
            LoadBalancer one = Fixtures.balancer(name, false, Map.of("seed", "7"));
            LoadBalancer two = Fixtures.balancer(name, false, Map.of("seed", "7"));
            LoadBalancer other = Fixtures.balancer(name, false, Map.of("seed", "8"));
            StringBuilder a = new StringBuilder();
            StringBuilder b = new StringBuilder();
            StringBuilder x = new StringBuilder();
            for (int i = 0; i < 200; i++) {
                a.append(one.pick(c, "").orElseThrow().id());
                b.append(two.pick(c, "").orElseThrow().id());
                x.append(other.pick(c, "").orElseThrow().id());
            }
            assertEquals(a.toString(), b.toString(), name);
            assertTrue(!a.toString().equals(x.toString()), name);
        }
    }

    @Test
    void weightedRandomFollowsWeightsTimesHealth() {
        List<RelayCandidate> c = list(relay("a").weight(1), relay("b").weight(2), relay("c").weight(3),
                relay("d").weight(4).score(0.5));
        int total = 100_000;
        Map<String, Integer> n = counts(seeded("weighted-random"), c, "", total);
        // healthWeight 0.5: d's factor is 0.5 + 0.5 * 0.5 = 0.75, so weights 1, 2, 3, 3.
        double sum = 9;
        double chi = chiSquare(n, Map.of(id("a"), 1 / sum, id("b"), 2 / sum, id("c"), 3 / sum, id("d"), 3 / sum),
                total);
        assertTrue(chi < CHI2_DF3, "chi-square " + chi + " counts " + n);
    }

    @Test
    void weightedRandomWithAllWeightsZeroIsUniformAmongAll() {
        List<RelayCandidate> c = list(relay("a").weight(0), relay("b").weight(0), relay("c").weight(0));
        int total = 30_000;
        Map<String, Integer> n = counts(seeded("weighted-random"), c, "", total);
        double chi = chiSquare(n, Map.of(id("a"), 1 / 3.0, id("b"), 1 / 3.0, id("c"), 1 / 3.0), total);
        assertTrue(chi < CHI2_DF2, "chi-square " + chi + " counts " + n);
    }

    @Test
    void zeroWeightRelayIsNotPickedWhileOthersAreHealthy() {
        List<RelayCandidate> c = list(relay("a"), relay("b").weight(0), relay("c"));
        Map<String, Integer> n = counts(seeded("weighted-random"), c, "", 10_000);
        assertEquals(null, n.get(id("b")));
        n = counts(seeded("round-robin"), c, "", 1000);
        assertEquals(null, n.get(id("b")));
    }

    @Test
    void twoChoicesGiveTwoThirdsOneThirdNoneOverThreeDistinctCosts() {
        // With three candidates of distinct cost, P2C takes the best in 2/3 of picks, the middle in
        // 1/3 and the worst never.
        List<RelayCandidate> byRtt = list(relay("a").rtt(10), relay("b").rtt(20), relay("c").rtt(40));
        List<RelayCandidate> byLoad = list(relay("a").load(0.1), relay("b").load(0.3), relay("c").load(0.6));
        int total = 60_000;
        for (String name : List.of("p2c-ewma", "least-connections")) {
            List<RelayCandidate> c = name.equals("p2c-ewma") ? byRtt : byLoad;
            Map<String, Integer> n = counts(seeded(name), c, "", total);
            assertEquals(null, n.get(id("c")), name + " never takes the worst of three");
            double chi = chiSquare(n, Map.of(id("a"), 2 / 3.0, id("b"), 1 / 3.0), total);
            assertTrue(chi < 10.83, name + " chi-square " + chi + " counts " + n);
        }
    }

    @Test
    void twoChoicesSampleByCapacity() {
        // Equal cost: the first drawn wins, and draws follow capacity, so picks do too. Uniform
        // sampling would cap the big relay at 2/3 of the picks, far from its 80 % of capacity.
        List<RelayCandidate> c = list(relay("a").capacity(1000).rtt(10).load(0.2),
                relay("b").capacity(1000).rtt(10).load(0.2), relay("c").capacity(8000).rtt(10).load(0.2));
        int total = 50_000;
        // (least-connections is not tied here: one more connection weighs less on the big relay.)
        for (String name : List.of("p2c-ewma", "geographic")) {
            Map<String, Integer> n = counts(seeded(name), c, "", total);
            double chi = chiSquare(n, Map.of(id("a"), 0.1, id("b"), 0.1, id("c"), 0.8), total);
            assertTrue(chi < CHI2_DF2, name + " chi-square " + chi + " counts " + n);
        }
    }

    @Test
    void p2cCostCountsLoadAndErrors() {
        // Same RTT: the relay at 80 % load costs 5x; the one with 20 % errors costs 3x.
        List<RelayCandidate> c = list(relay("a").rtt(10).load(0.8), relay("b").rtt(10).errors(0.2),
                relay("c").rtt(10).load(0.0).errors(0));
        Map<String, Integer> n = counts(seeded("p2c-ewma"), c, "", 30_000);
        assertEquals(null, n.get(id("a")));
        assertTrue(n.get(id("c")) > n.get(id("b")));
    }

    @Test
    void unknownMetricsTakeTheMedianNotZero() {
        // d's RTT is unknown: it must count as the median (20 ms) of a, b, c, so it beats c (40 ms)
        // and loses to a (10 ms); were it zero it would win every comparison.
        List<RelayCandidate> c = list(relay("a").rtt(10), relay("b").rtt(20), relay("c").rtt(40), relay("d"));
        CandidateSet set = new CandidateSet(c, settings("p2c-ewma"), (x, w) -> 1, (s, cfg) -> null);
        assertEquals(20, set.rttMillis[3], 1e-9);
        assertEquals(0, set.errorRate[3], 1e-9, "no error rate known anywhere: zero");
        // By region when the region has measured relays: e's region mates are a (10) and f (30).
        List<RelayCandidate> regional = list(relay("a").region("eu").rtt(10), relay("f").region("eu").rtt(30),
                relay("b").region("us").rtt(100), relay("c").region("us").rtt(120), relay("e").region("eu"),
                relay("g").region("ap"));
        set = new CandidateSet(regional, settings("p2c-ewma"), (x, w) -> 1, (s, cfg) -> null);
        assertEquals(20, set.rttMillis[4], 1e-9, "median of its region");
        assertEquals(65, set.rttMillis[5], 1e-9, "no measured relay in its region: median of all");
        List<RelayCandidate> loads = list(relay("a").load(0.2), relay("b").load(0.6), relay("c"));
        set = new CandidateSet(loads, settings("least-connections"), (x, w) -> 1, (s, cfg) -> null);
        assertEquals(0.4, set.load[2], 1e-9);
    }

    @Test
    void leastConnectionsUsesOwnConnectionsWhenNoRelayReportsLoad() {
        List<RelayCandidate> c = list(relay("a").capacity(2).active(1), relay("b").capacity(2));
        Map<String, Integer> n = counts(seeded("least-connections"), c, "", 1000);
        assertEquals(Map.of(id("b"), 1000), n);
    }

    @Test
    void leastConnectionsPrefersHeadroomRelativeToCapacity() {
        // a: 500 of 1000, b: 900 of 10,000. Relative to capacity b is emptier.
        List<RelayCandidate> c = list(relay("a").capacity(1000).load(0.5), relay("b").capacity(10_000).load(0.09));
        Map<String, Integer> n = counts(seeded("least-connections"), c, "", 1000);
        assertEquals(Map.of(id("b"), 1000), n);
    }

    static BalancerSettings settings(String name) {
        return BalancerSettings.parse(name, io.solconnect.relay.api.LoadBalancingStrategy.of(name), Map.of(), "")
                .orElseThrow();
    }
}
