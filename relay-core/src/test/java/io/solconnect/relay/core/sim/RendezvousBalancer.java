package io.solconnect.relay.core.sim;

import io.solconnect.relay.api.RelayCandidate;
import io.solconnect.relay.api.spi.LoadBalancer;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Test balancer: rendezvous hashing on the affinity key over healthy candidates (all when none is healthy). */
public final class RendezvousBalancer implements LoadBalancer {
    @Override
    public Optional<RelayCandidate> pick(List<RelayCandidate> candidates, String affinityKey) {
        List<RelayCandidate> healthy = candidates.stream().filter(RelayCandidate::healthy).toList();
        List<RelayCandidate> pool = healthy.isEmpty() ? candidates : healthy;
        return pool.stream().max(Comparator.comparingLong(c -> mix(affinityKey + "|" + c.id())));
    }

    static long mix(String s) {
        long h = 1125899906842597L;
        for (int i = 0; i < s.length(); i++) {
            h = 31 * h + s.charAt(i);
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }
}
