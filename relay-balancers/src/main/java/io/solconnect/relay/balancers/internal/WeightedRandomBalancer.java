package io.solconnect.relay.balancers.internal;

import io.solconnect.relay.api.RelayCandidate;

/**
 * {@code weighted-random}: picks a gated candidate with probability proportional to
 * {@code weight * ((1 - healthWeight) + healthWeight * score) * slowStart}, where {@code weight}
 * is the strategy's override for the relay or else its endpoint weight. A pick is O(1): an alias
 * table (Vose) is built once per candidate list. When every weight is zero the pick is uniform.
 *
 * <p>Affinity: rendezvous weighted by the configured weight alone.
 */
final class WeightedRandomBalancer extends BaseBalancer {

    WeightedRandomBalancer(BalancerSettings settings) {
        super(settings);
    }

    @Override
    Object prepare(CandidateSet set) {
        int[] gated = set.gated;
        double[] w = new double[gated.length];
        for (int k = 0; k < gated.length; k++) {
            w[k] = set.configuredWeight[gated[k]] * set.dynamicFactor[gated[k]];
        }
        return AliasTable.of(w);
    }

    @Override
    int choose(CandidateSet set) {
        AliasTable table = (AliasTable) set.prepared;
        return set.gated[table.sample(rng.nextLong())];
    }

    @Override
    double affinityWeight(RelayCandidate candidate, double configuredWeight) {
        return configuredWeight;
    }
}
