package io.solconnect.relay.balancers.internal;

import io.solconnect.relay.api.RelayCandidate;

import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code round-robin}: takes the gated candidates in turn, starting at a random position so that
 * many clients do not all begin with the same relay. Weights, health scores and metrics are
 * ignored (beyond the health gate); a relay in slow start keeps its turn only with probability
 * equal to its slow-start factor {@code f} and otherwise passes it to the next one, which gives it
 * the share a relay of weight {@code f} would have among relays of weight 1. The order follows the
 * list's order, so it is stable only while the caller passes candidates in a stable order.
 *
 * <p>Affinity: unweighted rendezvous (every relay weight 1).
 */
final class RoundRobinBalancer extends BaseBalancer {

    private final AtomicLong position;

    RoundRobinBalancer(BalancerSettings settings) {
        super(settings);
        this.position = new AtomicLong(rng.nextInt(Integer.MAX_VALUE));
    }

    @Override
    int choose(CandidateSet set) {
        int[] gated = set.gated;
        int n = gated.length;
        int i = gated[0];
        for (int step = 0; step < n; step++) {
            i = gated[(int) Long.remainderUnsigned(position.getAndIncrement(), n)];
            double f = set.slowStart[i];
            if (f >= 1 || rng.nextDouble() < f) {
                return i;
            }
        }
        return i;
    }

    @Override
    double affinityWeight(RelayCandidate candidate, double configuredWeight) {
        return 1;
    }
}
