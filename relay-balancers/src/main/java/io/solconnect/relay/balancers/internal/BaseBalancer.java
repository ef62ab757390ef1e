package io.solconnect.relay.balancers.internal;

import io.solconnect.relay.api.RelayCandidate;
import io.solconnect.relay.api.spi.LoadBalancer;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What every built-in strategy shares: argument checks, the per-list {@link CandidateSet} cache,
 * the health gate with panic mode, and session affinity.
 *
 * <p><b>Affinity.</b> With {@code stickySession} on and a non-empty key, the pick is the gated
 * candidate with the highest weighted rendezvous score of (key, relay id) (see {@link Hashing}),
 * using only the strategy's static {@linkplain #affinityWeight affinity weight}. Nothing measured by
 * one client (RTT, load, health score, slow start) enters that choice, because clients that
 * measured different values would otherwise put one room on different relays. So every client that
 * sees the same healthy set puts a room on the same relay, and, when that relay leaves the set, on
 * the same next one; only the rooms of the relay that left move. Without a key, or with
 * {@code stickySession} off, the strategy's own rule applies.
 *
 * <p><b>Caching.</b> Derived data is computed once per list instance and kept for the two most
 * recent lists, so a caller that passes the same immutable list again gets an O(1),
 * allocation-free pick. A list changed in place after it was passed is detected when the element
 * about to be returned is no longer the one cached (the cache is then rebuilt), so a pick never
 * returns a stale element; other stale entries can only skew the odds until the next new list.
 *
 * <p>Thread-safe: the cache fields are volatile and each {@link CandidateSet} is immutable.
 */
abstract class BaseBalancer implements LoadBalancer {

    final BalancerSettings settings;
    final Rng rng;
    private volatile CandidateSet recent;
    private volatile CandidateSet older;

    BaseBalancer(BalancerSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.rng = settings.seed().map(Rng::seeded).orElseGet(Rng::threadLocal);
    }

    @Override
    public final Optional<RelayCandidate> pick(List<RelayCandidate> candidates, String affinityKey) {
        Objects.requireNonNull(candidates, "candidates");
        Objects.requireNonNull(affinityKey, "affinityKey");
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        CandidateSet set = lookup(candidates);
        int i = choose(set, affinityKey);
        if (candidates.size() != set.size || candidates.get(i) != set.items[i]) {
            set = rebuild(candidates);
            i = choose(set, affinityKey);
        }
        return set.optional(i);
    }

    private int choose(CandidateSet set, String affinityKey) {
        if (set.gated.length == 1) {
            return set.gated[0];
        }
        if (settings.sticky() && !affinityKey.isEmpty()) {
            return rendezvous(set, affinityKey);
        }
        return choose(set);
    }

    /** The strategy's own pick among {@code set.gated} (at least two): returns an index into the set. */
    abstract int choose(CandidateSet set);

    /** The strategy's precomputed data for a set, stored in {@link CandidateSet#prepared}. */
    Object prepare(CandidateSet set) {
        return null;
    }

    /** The static weight rendezvous affinity gives a candidate; must not depend on measurements. */
    abstract double affinityWeight(RelayCandidate candidate, double configuredWeight);

    private CandidateSet lookup(List<RelayCandidate> candidates) {
        CandidateSet r = recent;
        if (r != null && r.source == candidates) {
            return r;
        }
        CandidateSet o = older;
        if (o != null && o.source == candidates) {
            return o;
        }
        return rebuild(candidates);
    }

    private CandidateSet rebuild(List<RelayCandidate> candidates) {
        CandidateSet built = new CandidateSet(candidates, settings, this::affinityWeight, (s, cfg) -> prepare(s));
        older = recent;
        recent = built;
        return built;
    }

    /** Highest weighted rendezvous score among the gated candidates; ties go to the smaller id. */
    static int rendezvous(CandidateSet set, String key) {
        long keyHash = Hashing.hash(key);
        int best = -1;
        double bestRank = Double.POSITIVE_INFINITY;
        boolean equal = set.affinityWeightsEqual;
        long[] idHash = set.idHashes();
        for (int g : set.gated) {
            double w = set.affinityWeight[g];
            double u = Hashing.unit(keyHash, idHash[g]);
            // Lower rank wins: -ln(u) / w is an exponential draw with rate w. With equal weights the
            // order of -ln(u) is the reverse order of u, so the log is skipped.
            double rank = equal ? 1 - u : w > 0 ? -StrictMath.log(u) / w : Double.MAX_VALUE;
            if (best < 0 || rank < bestRank
                    || rank == bestRank && set.items[g].id().compareTo(set.items[best].id()) < 0) {
                best = g;
                bestRank = rank;
            }
        }
        return best;
    }
}
