package io.solconnect.relay.balancers.internal;

import io.solconnect.relay.api.RelayCandidate;

/**
 * {@code p2c-ewma}, the adaptive strategy and the recommended default: of two gated candidates
 * drawn at random, takes the one with the lower cost
 *
 * <pre>
 * cost = max(rtt, 0.01 ms) * (1 + errorPenalty * errorRate) / max(1 - load, 0.01)
 *        / (weight * ((1 - healthWeight) + healthWeight * score) * slowStart)
 * </pre>
 *
 * where {@code rtt} is the relay's RTT EWMA in ms (its median RTT when no EWMA is known) as the
 * connection monitor measures it, {@code load} the relay-reported connections over capacity and
 * {@code weight} the configured weight (default 1 for every relay). Metrics that are unknown for a
 * relay take the median of the relays where they are known, never zero, so an unmeasured relay is
 * neither favoured nor shunned. The {@code 1 / (1 - load)} term is the queueing delay's growth
 * with utilisation; the two random choices (as in Finagle's P2C with Peak EWMA) avoid the herd a
 * full scan causes when every client sees the same stale metrics.
 *
 * <p>Affinity: rendezvous weighted by configured weight times {@code maxConnections}.
 */
final class P2cEwmaBalancer extends BaseBalancer {

    P2cEwmaBalancer(BalancerSettings settings) {
        super(settings);
    }

    @Override
    Object prepare(CandidateSet set) {
        return costs(set, settings);
    }

    /** The cost of each candidate of a set (lower is better). */
    static double[] costs(CandidateSet set, BalancerSettings settings) {
        double[] cost = new double[set.size];
        for (int i = 0; i < set.size; i++) {
            double rtt = Math.max(set.rttMillis[i], 0.01);
            double errors = 1 + settings.errorPenalty() * set.errorRate[i];
            double queue = 1 / Math.max(1 - set.load[i], 0.01);
            double weight = set.configuredWeight[i] > 0 ? set.configuredWeight[i] : 1e-6;
            cost[i] = rtt * errors * queue / (weight * set.dynamicFactor[i]);
        }
        return cost;
    }

    @Override
    int choose(CandidateSet set) {
        return twoChoices(set.gated, (double[]) set.prepared);
    }

    @Override
    double affinityWeight(RelayCandidate candidate, double configuredWeight) {
        return configuredWeight * candidate.endpoint().maxConnections();
    }
}
