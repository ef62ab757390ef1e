package io.solconnect.relay.balancers.internal;

import io.solconnect.relay.api.RelayCandidate;

/**
 * {@code p2c-ewma}, the adaptive strategy and the recommended default: of two gated candidates
 * drawn at random in proportion to their capacity ({@code maxConnections} times configured weight,
 * see {@link TwoChoices}), takes the one with the lower cost
 *
 * <pre>
 * cost = max(rtt, 0.01 ms) * (1 + errorPenalty * errorRate) / max(1 - load, 0.01)
 *        / (((1 - healthWeight) + healthWeight * score) * slowStart)
 * </pre>
 *
 * where {@code rtt} is the relay's RTT EWMA in ms (its median RTT when no EWMA is known) as the
 * connection monitor measures it and {@code load} the relay-reported connections over capacity. Metrics that are unknown for a
 * relay take the median of the relays where they are known, never zero, so an unmeasured relay is
 * neither favoured nor shunned; for RTT the median of the measured relays of the same region when
 * there are any, since RTT follows distance. The {@code 1 / (1 - load)} term is the queueing delay's growth
 * with utilisation; the two random choices (as in Finagle's P2C with Peak EWMA) avoid the herd a
 * full scan causes when every client sees the same stale metrics.
 *
 * <p>Affinity: rendezvous weighted by configured weight times {@code maxConnections}.
 */
final class P2cEwmaBalancer extends BaseBalancer {

    P2cEwmaBalancer(BalancerSettings settings) {
        super(settings);
    }

    /** Yes: its picks follow measured cost, so a session on a relay that costs more may move. */
    @Override
    public boolean rebalances() {
        return true;
    }

    @Override
    Object prepare(CandidateSet set) {
        return TwoChoices.of(set, set.gated, costs(set, settings));
    }

    /** The cost of each candidate of a set (lower is better). */
    static double[] costs(CandidateSet set, BalancerSettings settings) {
        double[] cost = new double[set.size];
        for (int i = 0; i < set.size; i++) {
            double rtt = Math.max(set.rttMillis[i], 0.01);
            double errors = 1 + settings.errorPenalty() * set.errorRate[i];
            double queue = 1 / Math.max(1 - set.load[i], 0.01);
            cost[i] = rtt * errors * queue / set.dynamicFactor[i];
        }
        return cost;
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
