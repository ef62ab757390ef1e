package io.solconnect.relay.balancers.internal;

import io.solconnect.relay.api.RelayCandidate;

/**
 * {@code least-connections}: of two gated candidates drawn at random in proportion to their
 * capacity ({@code maxConnections} times configured weight, see {@link TwoChoices}), takes the one with more
 * headroom, i.e. the larger {@code (1 - projectedLoad) * health * slowStart}, where
 * {@code projectedLoad = load + 1 / maxConnections} is the relay's connections over capacity once
 * this client joins. The load is the relay-reported load; a relay that does not report gets the
 * median of those that do; when none reports, this client's own connections over capacity. When
 * both are full (no headroom) the lower projected load wins. Two random choices rather than a
 * full scan keep many clients that see the same (stale) loads from all herding onto the emptiest
 * relay, e.g. one that has just come back.
 *
 * <p>Affinity: rendezvous weighted by configured weight times {@code maxConnections}, so rooms
 * spread in proportion to capacity.
 */
final class LeastConnectionsBalancer extends BaseBalancer {

    LeastConnectionsBalancer(BalancerSettings settings) {
        super(settings);
    }

    @Override
    Object prepare(CandidateSet set) {
        double[] cost = new double[set.size];
        for (int i = 0; i < set.size; i++) {
            double projected = set.load[i] + 1.0 / set.items[i].endpoint().maxConnections();
            double headroom = 1 - projected;
            // Cost is the negated headroom score, so that lower is better as in every strategy.
            cost[i] = headroom > 0 ? -headroom * set.dynamicFactor[i] : projected;
        }
        return TwoChoices.of(set, set.gated, cost);
    }

    @Override
    int choose(CandidateSet set) {
        return ((TwoChoices) set.prepared).choose(rng);
    }

    @Override
    double affinityWeight(RelayCandidate candidate, double configuredWeight) {
        return configuredWeight * candidate.endpoint().maxConnections();
    }
}
