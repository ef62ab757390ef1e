package io.solconnect.relay.balancers.internal;

import io.solconnect.relay.api.QualityMetrics;
import io.solconnect.relay.api.RelayCandidate;
import io.solconnect.relay.api.RelayEndpoint;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Everything a pick needs that depends only on one candidate list: the health gate, each relay's
 * metrics with unknowns filled in, weights, slow-start factors, rendezvous hashes, and whatever the
 * strategy precomputes ({@link #prepared}). Built once per list, then read by many picks, which is
 * what makes a pick O(1) and allocation-free. Immutable once published (the lazily filled
 * {@code Optional} cache is a benign race: each entry is an immutable object).
 */
final class CandidateSet {

    /** The list it was built from; identity is the cache key. */
    final List<RelayCandidate> source;
    final RelayCandidate[] items;
    final int size;
    /** Indices of the candidates the gate lets through (see {@link #gate}). */
    final int[] gated;
    /** True when the gate fell back to every candidate because too few were healthy. */
    final boolean panic;
    /**
     * RTT in ms per candidate; an unknown one gets the median of the known ones in its region, else
     * of all known ones (1 when none is known).
     */
    final double[] rttMillis;
    /** Whether the RTT of a candidate was measured, not filled in. */
    final boolean[] rttKnown;
    /** Error rate in [0, 1]; unknown: median of the known, 0 when none known. */
    final double[] errorRate;
    /** Connections over capacity; relay-reported, unknown: median of the known; none known: own connections. */
    final double[] load;
    /** Configured weight (strategy override or endpoint weight), &ge; 0. */
    final double[] configuredWeight;
    /** Health factor (1 - hw) + hw * score times the slow-start factor, in (0, 1]. */
    final double[] dynamicFactor;
    /** Slow-start factor in [minWeight, 1]; 1 when slow start is off or nobody is past the window. */
    final double[] slowStart;
    /** Weight used by rendezvous affinity: static, equal on every client. */
    final double[] affinityWeight;
    final boolean affinityWeightsEqual;
    /** Rendezvous hash of each id, computed on the first keyed pick (most picks have no key). */
    private volatile long[] idHash;
    private final Optional<RelayCandidate>[] optionals;
    /** The strategy's own precomputed data. */
    final Object prepared;

    @SuppressWarnings("unchecked")
    CandidateSet(List<RelayCandidate> source, BalancerSettings settings, AffinityWeight affinity, Preparer preparer) {
        this.source = source;
        this.size = source.size();
        this.items = new RelayCandidate[size];
        for (int i = 0; i < size; i++) {
            RelayCandidate c = source.get(i);
            if (c == null) {
                throw new NullPointerException("candidates[" + i + "] is null");
            }
            items[i] = c;
        }
        this.optionals = new Optional[size];
        this.rttMillis = new double[size];
        this.rttKnown = new boolean[size];
        this.errorRate = new double[size];
        this.load = new double[size];
        this.configuredWeight = new double[size];
        this.dynamicFactor = new double[size];
        this.slowStart = new double[size];
        this.affinityWeight = new double[size];
        fillMetrics();
        boolean overrides = !settings.strategy().weights().isEmpty();
        for (int i = 0; i < size; i++) {
            RelayEndpoint e = items[i].endpoint();
            configuredWeight[i] = sane(overrides ? settings.strategy().weightOf(e) : e.weight(), 0);
        }
        int[] healthyGate = gate();
        boolean tooFew = healthyGate.length == 0 || healthyFraction() < settings.panicThreshold();
        this.panic = tooFew;
        this.gated = tooFew ? panicSet() : healthyGate;
        fillFactors(settings);
        boolean equal = true;
        for (int i = 0; i < size; i++) {
            affinityWeight[i] = sane(affinity.weight(items[i], configuredWeight[i]), 0);
        }
        double first = gated.length > 0 ? affinityWeight[gated[0]] : 0;
        for (int g : gated) {
            equal &= affinityWeight[g] == first;
        }
        this.affinityWeightsEqual = equal;
        this.prepared = preparer.prepare(this, settings);
    }

    /** Computes a strategy's extra data for a set. */
    interface Preparer {
        Object prepare(CandidateSet set, BalancerSettings settings);
    }

    /** The static weight a strategy uses for rendezvous. */
    interface AffinityWeight {
        double weight(RelayCandidate candidate, double configuredWeight);
    }

    /** The rendezvous hashes of the ids (see {@link Hashing}), computed once per set. */
    long[] idHashes() {
        long[] h = idHash;
        if (h == null) {
            h = new long[size];
            for (int i = 0; i < size; i++) {
                h[i] = Hashing.hash(items[i].id());
            }
            idHash = h;
        }
        return h;
    }

    /** The cached {@code Optional} of candidate {@code i}. */
    Optional<RelayCandidate> optional(int i) {
        Optional<RelayCandidate> o = optionals[i];
        if (o == null) {
            o = Optional.of(items[i]);
            optionals[i] = o;
        }
        return o;
    }

    /**
     * The health gate: healthy candidates with a positive weight, in the lowest (best) priority
     * present among them, as DNS SRV orders priorities.
     */
    private int[] gate() {
        int best = Integer.MAX_VALUE;
        for (int i = 0; i < size; i++) {
            if (items[i].healthy() && configuredWeight[i] > 0) {
                best = Math.min(best, items[i].endpoint().priority());
            }
        }
        int[] out = new int[size];
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (items[i].healthy() && configuredWeight[i] > 0 && items[i].endpoint().priority() == best) {
                out[n++] = i;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** Healthy share among the candidates that have a positive weight (all when none has). */
    private double healthyFraction() {
        int weighted = 0;
        int healthy = 0;
        for (int i = 0; i < size; i++) {
            if (configuredWeight[i] > 0) {
                weighted++;
                if (items[i].healthy()) {
                    healthy++;
                }
            }
        }
        return weighted == 0 ? 0 : (double) healthy / weighted;
    }

    /** Panic: every candidate with a positive weight, or every candidate when all weights are zero. */
    private int[] panicSet() {
        int[] out = new int[size];
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (configuredWeight[i] > 0) {
                out[n++] = i;
            }
        }
        if (n == 0) {
            for (int i = 0; i < size; i++) {
                out[i] = i;
            }
            n = size;
        }
        return Arrays.copyOf(out, n);
    }

    private void fillMetrics() {
        double[] knownRtt = new double[size];
        double[] knownErr = new double[size];
        double[] knownLoad = new double[size];
        int nr = 0;
        int ne = 0;
        int nl = 0;
        for (int i = 0; i < size; i++) {
            QualityMetrics m = items[i].metrics();
            double rtt = firstValid(m.rttEwmaMillis(), m.rttP50Millis());
            rttKnown[i] = !Double.isNaN(rtt);
            rttMillis[i] = rtt;
            if (rttKnown[i]) {
                knownRtt[nr++] = rtt;
            }
            errorRate[i] = m.errorRate().isPresent() ? m.errorRate().getAsDouble() : Double.NaN;
            if (!Double.isNaN(errorRate[i])) {
                knownErr[ne++] = errorRate[i];
            }
            load[i] = m.reportedLoad().isPresent() ? Math.min(m.reportedLoad().getAsDouble(), 1e6) : Double.NaN;
            if (!Double.isNaN(load[i])) {
                knownLoad[nl++] = load[i];
            }
        }
        double rttFill = nr == 0 ? 1 : median(knownRtt, nr);
        double errFill = ne == 0 ? 0 : median(knownErr, ne);
        double loadFill = median(knownLoad, nl);
        Map<String, Double> regional = nr == 0 || nr == size ? Map.of() : regionalMedianRtt();
        for (int i = 0; i < size; i++) {
            if (Double.isNaN(rttMillis[i])) {
                rttMillis[i] = regional.getOrDefault(items[i].endpoint().region(), rttFill);
            }
            if (Double.isNaN(errorRate[i])) {
                errorRate[i] = errFill;
            }
            if (Double.isNaN(load[i])) {
                // No relay reports its load: this client's own connections are all it knows.
                load[i] = nl == 0
                        ? (double) items[i].metrics().activeConnections() / items[i].endpoint().maxConnections()
                        : loadFill;
            }
        }
    }

    /**
     * Median measured RTT per region (RTT follows distance, so a relay's region mates are the best
     * guess for it), for the regions that have a measured relay; relays without a region are left
     * out. One pass to group, then one median per region: O(n log n).
     */
    private Map<String, Double> regionalMedianRtt() {
        Map<String, double[]> byRegion = new HashMap<>();
        Map<String, Integer> counts = new HashMap<>();
        for (int j = 0; j < size; j++) {
            String region = items[j].endpoint().region();
            if (rttKnown[j] && !region.isEmpty()) {
                int n = counts.merge(region, 1, Integer::sum);
                double[] values = byRegion.get(region);
                if (values == null || values.length < n) {
                    values = values == null ? new double[4] : Arrays.copyOf(values, values.length * 2);
                    byRegion.put(region, values);
                }
                values[n - 1] = rttMillis[j];
            }
        }
        Map<String, Double> medians = new HashMap<>();
        for (Map.Entry<String, double[]> e : byRegion.entrySet()) {
            medians.put(e.getKey(), median(e.getValue(), counts.get(e.getKey())));
        }
        return medians;
    }

    private void fillFactors(BalancerSettings settings) {
        long window = settings.slowStartNanos();
        boolean someoneSeasoned = false;
        if (window > 0) {
            for (int g : gated) {
                if (nanos(items[g]) >= window) {
                    someoneSeasoned = true;
                    break;
                }
            }
        }
        double hw = settings.healthWeight();
        for (int i = 0; i < size; i++) {
            double f = 1;
            if (someoneSeasoned) {
                long t = nanos(items[i]);
                if (t < window) {
                    double ramp = Math.pow((double) t / window, 1 / settings.slowStartAggression());
                    f = Math.max(settings.slowStartMinWeight(), ramp);
                }
            }
            slowStart[i] = f;
            double health = (1 - hw) + hw * items[i].score();
            dynamicFactor[i] = Math.max(health, 1e-6) * f;
        }
    }

    private static long nanos(RelayCandidate c) {
        if (c.healthyFor().isNegative()) {
            return 0;
        }
        try {
            return c.healthyFor().toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** The first present, finite, non-negative value; NaN when none. */
    private static double firstValid(OptionalDouble a, OptionalDouble b) {
        if (a.isPresent() && a.getAsDouble() >= 0 && a.getAsDouble() < Double.POSITIVE_INFINITY) {
            return a.getAsDouble();
        }
        if (b.isPresent() && b.getAsDouble() >= 0 && b.getAsDouble() < Double.POSITIVE_INFINITY) {
            return b.getAsDouble();
        }
        return Double.NaN;
    }

    private static double sane(double v, double fallback) {
        return v >= 0 && v < Double.POSITIVE_INFINITY ? v : fallback;
    }

    /** Median of the first n values (sorts them in place); NaN for n = 0. */
    static double median(double[] values, int n) {
        if (n == 0) {
            return Double.NaN;
        }
        Arrays.sort(values, 0, n);
        return (n & 1) == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }
}
