package io.solconnect.relay.examples.plugin;

import io.solconnect.relay.api.RelayCandidate;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.spi.LoadBalancer;
import io.solconnect.relay.api.spi.LoadBalancerProvider;
import io.solconnect.relay.api.spi.PluginContext;

import java.util.List;
import java.util.Optional;

/**
 * An example of a third-party strategy, {@code lowest-latency}: picks the healthy relay with the
 * lowest RTT EWMA; relays not measured yet count as slower than any measured one; ties go to the
 * lower priority number. Falls back to all candidates when none is healthy. It is written against
 * {@code relay-api} only, the way an outside plugin would be. Stateless and thread-safe.
 *
 * <p>Use it with {@code "selectionStrategy": {"algorithm": "lowest-latency"}}.
 */
public final class LowestLatencyProvider implements LoadBalancerProvider {

    /** Creates the provider; does nothing else. */
    public LowestLatencyProvider() {
    }

    @Override
    public String name() {
        return "lowest-latency";
    }

    @Override
    public Result<LoadBalancer> create(PluginContext context) {
        return Result.ok(LowestLatencyProvider::pick);
    }

    static Optional<RelayCandidate> pick(List<RelayCandidate> candidates, String affinityKey) {
        boolean anyHealthy = candidates.stream().anyMatch(RelayCandidate::healthy);
        RelayCandidate best = null;
        for (RelayCandidate c : candidates) {
            if (anyHealthy && !c.healthy()) {
                continue;
            }
            if (best == null || better(c, best)) {
                best = c;
            }
        }
        return Optional.ofNullable(best);
    }

    private static boolean better(RelayCandidate a, RelayCandidate b) {
        double ra = a.metrics().rttEwmaMillis().orElse(Double.POSITIVE_INFINITY);
        double rb = b.metrics().rttEwmaMillis().orElse(Double.POSITIVE_INFINITY);
        if (ra != rb) {
            return ra < rb;
        }
        return a.endpoint().priority() < b.endpoint().priority();
    }
}
