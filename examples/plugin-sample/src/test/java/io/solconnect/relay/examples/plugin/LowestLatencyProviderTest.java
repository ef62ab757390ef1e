package io.solconnect.relay.examples.plugin;

import io.solconnect.relay.api.QualityMetrics;
import io.solconnect.relay.api.RelayCandidate;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.spi.LoadBalancerProvider;
import io.solconnect.relay.core.ProviderRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LowestLatencyProviderTest {

    private static RelayCandidate candidate(String url, int priority, boolean healthy, OptionalDouble rtt) {
        RelayEndpoint e = RelayEndpoint.builder(url).priority(priority).build();
        QualityMetrics m = QualityMetrics.unknown(e.id(), Duration.ofMinutes(1));
        m = new QualityMetrics(m.relay(), rtt, rtt, rtt, 0, 0, 0, 0, OptionalDouble.empty(), 0, Duration.ZERO, 0,
                OptionalDouble.empty(), m.window());
        return new RelayCandidate(e, healthy ? 1 : 0, healthy, Duration.ZERO, m);
    }

    @Test
    void isFoundThroughServiceLoaderLikeAnyOutsidePlugin() {
        LoadBalancerProvider p = ProviderRegistry.load().select(LoadBalancerProvider.class, "lowest-latency").orElseThrow();
        assertEquals(LowestLatencyProvider.class, p.getClass());
    }

    @Test
    void picksTheFastestHealthyRelayAndTreatsUnknownAsSlow() {
        RelayCandidate fastButSick = candidate("wss://a.example.org/", 0, false, OptionalDouble.of(1));
        RelayCandidate slow = candidate("wss://b.example.org/", 0, true, OptionalDouble.of(80));
        RelayCandidate fast = candidate("wss://c.example.org/", 5, true, OptionalDouble.of(20));
        RelayCandidate unknown = candidate("wss://d.example.org/", 0, true, OptionalDouble.empty());
        assertEquals(Optional.of(fast), LowestLatencyProvider.pick(List.of(fastButSick, slow, unknown, fast), ""));
        assertEquals(Optional.of(fastButSick), LowestLatencyProvider.pick(List.of(fastButSick), ""), "falls back when none is healthy");
        assertEquals(Optional.empty(), LowestLatencyProvider.pick(List.of(), ""));
    }
}
