package io.solconnect.relay.balancers.internal;

import io.solconnect.relay.api.RelayCandidate;

import java.util.Arrays;

/**
 * {@code geographic}: prefers relays in the client's region and uses the {@code p2c-ewma} rule
 * within it. The client's region is the configuration's {@code region}; when that is empty it is
 * inferred as the region of the gated relay with the lowest measured RTT (no preference while no
 * RTT is known). Among the gated candidates it tries, in order: relays of the client's region whose
 * reported load is below {@code fullLoad}; relays of other regions below {@code fullLoad}; all
 * gated relays. So it spills to other regions when the local ones are unhealthy (gated out) or
 * full, and the adaptive cost then favours the nearest of them, since RTT is part of it. Relays
 * with no region are never local.
 *
 * <p>Affinity: a room's members may sit in any region, and relays that share nothing need them all
 * on one relay, so keyed picks ignore the client's region: rendezvous over all gated relays
 * weighted by configured weight times {@code maxConnections}, as {@code p2c-ewma}. Turn
 * {@code stickySession} off to get regional picks on a fleet that shares state.
 */
final class GeographicBalancer extends BaseBalancer {


    GeographicBalancer(BalancerSettings settings) {
        super(settings);
    }

    @Override
    Object prepare(CandidateSet set) {
        double[] cost = P2cEwmaBalancer.costs(set, settings);
        String region = settings.region().isEmpty() ? inferRegion(set) : settings.region();
        if (region.isEmpty()) {
            return TwoChoices.of(set, set.gated, cost);
        }
        int[] local = new int[set.gated.length];
        int[] remote = new int[set.gated.length];
        int nl = 0;
        int nr = 0;
        for (int g : set.gated) {
            // A relay in slow start counts as full at a proportionally lower load, so that a relay
            // that comes back alone in the client's region does not take all of that region at once.
            if (set.load[g] >= settings.fullLoad() * set.slowStart[g]) {
                continue;
            }
            if (region.equals(set.items[g].endpoint().region())) {
                local[nl++] = g;
            } else {
                remote[nr++] = g;
            }
        }
        int[] group = nl > 0 ? Arrays.copyOf(local, nl) : nr > 0 ? Arrays.copyOf(remote, nr) : set.gated;
        return TwoChoices.of(set, group, cost);
    }

    /** The region of the gated relay with the lowest measured RTT, or "" when none is measured. */
    static String inferRegion(CandidateSet set) {
        String region = "";
        double best = Double.POSITIVE_INFINITY;
        for (int g : set.gated) {
            String r = set.items[g].endpoint().region();
            if (set.rttKnown[g] && !r.isEmpty() && set.rttMillis[g] < best) {
                best = set.rttMillis[g];
                region = r;
            }
        }
        return region;
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
