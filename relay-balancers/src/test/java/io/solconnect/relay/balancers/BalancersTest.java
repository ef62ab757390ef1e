package io.solconnect.relay.balancers;

import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.LoadBalancingStrategy;
import io.solconnect.relay.api.QualityMetrics;
import io.solconnect.relay.api.RelayCandidate;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.spi.LoadBalancer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The exported static factories. */
class BalancersTest {

    private static final List<RelayCandidate> CANDIDATES = List.of(candidate("a"), candidate("b"), candidate("c"));

    private static RelayCandidate candidate(String name) {
        RelayEndpoint e = RelayEndpoint.of("wss://" + name + ".example.org/");
        return new RelayCandidate(e, 1, true, Duration.ofHours(1), QualityMetrics.unknown(e.id(), Duration.ofSeconds(5)));
    }

    @Test
    void everyDefaultFactoryPicksAndIsSticky() {
        List<LoadBalancer> all = List.of(Balancers.roundRobin(), Balancers.leastConnections(), Balancers.weightedRandom(),
                Balancers.geographic(""), Balancers.p2cEwma());
        for (LoadBalancer b : all) {
            String first = b.pick(CANDIDATES, "room-7").orElseThrow().id();
            for (int i = 0; i < 20; i++) {
                assertEquals(first, b.pick(CANDIDATES, "room-7").orElseThrow().id());
            }
        }
    }

    @Test
    void createFollowsTheStrategy() {
        assertEquals(List.of("round-robin", "least-connections", "weighted-random", "geographic", "p2c-ewma"),
                Balancers.names());
        assertEquals(Balancers.names(), Balancers.providers().stream().map(p -> p.name()).toList());
        for (String name : Balancers.names()) {
            LoadBalancingStrategy s = new LoadBalancingStrategy(name, Map.of(), false, 0.5, Map.of("seed", "3"));
            assertTrue(Balancers.create(s, "").orElseThrow().pick(CANDIDATES, "").isPresent());
        }
        var unknown = Balancers.create(LoadBalancingStrategy.of("random"), "");
        assertEquals(ErrorCode.UNKNOWN_PROVIDER, unknown.failure().orElseThrow().code());
        var bad = Balancers.create(new LoadBalancingStrategy("p2c-ewma", Map.of(), true, 0.5,
                Map.of("panicThreshold", "200")), "");
        assertEquals(ErrorCode.INVALID_CONFIG, bad.failure().orElseThrow().code());
        assertTrue(bad.failure().orElseThrow().message().contains("p2c-ewma.panicThreshold"));
    }
}
