package io.solconnect.relay.balancers.internal;

/**
 * Walker's alias method in Vose's numerically stable form: O(n) to build, O(1) to sample one index
 * with probability proportional to its weight. Immutable.
 */
final class AliasTable {
    private final double[] probability;
    private final int[] alias;

    private AliasTable(double[] probability, int[] alias) {
        this.probability = probability;
        this.alias = alias;
    }

    /** Builds a table; non-positive, NaN or infinite weights count as zero; all zero means uniform. */
    static AliasTable of(double[] weights) {
        int n = weights.length;
        double total = 0;
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = weights[i] > 0 && weights[i] < Double.POSITIVE_INFINITY ? weights[i] : 0;
            total += w[i];
        }
        double[] probability = new double[n];
        int[] alias = new int[n];
        if (!(total > 0) || total == Double.POSITIVE_INFINITY) {
            java.util.Arrays.fill(probability, 1);
            for (int i = 0; i < n; i++) {
                alias[i] = i;
            }
            return new AliasTable(probability, alias);
        }
        double[] scaled = new double[n];
        int[] small = new int[n];
        int[] large = new int[n];
        int ns = 0;
        int nl = 0;
        for (int i = 0; i < n; i++) {
            scaled[i] = w[i] * n / total;
            if (scaled[i] < 1) {
                small[ns++] = i;
            } else {
                large[nl++] = i;
            }
        }
        while (ns > 0 && nl > 0) {
            int s = small[--ns];
            int l = large[--nl];
            probability[s] = scaled[s];
            alias[s] = l;
            scaled[l] = scaled[l] + scaled[s] - 1;
            if (scaled[l] < 1) {
                small[ns++] = l;
            } else {
                large[nl++] = l;
            }
        }
        while (nl > 0) {
            int l = large[--nl];
            probability[l] = 1;
            alias[l] = l;
        }
        while (ns > 0) {
            // Only rounding leaves entries here; they are full columns.
            int s = small[--ns];
            probability[s] = 1;
            alias[s] = s;
        }
        return new AliasTable(probability, alias);
    }

    int size() {
        return probability.length;
    }

    /**
     * The sampled index for 64 random bits: the high 32 pick the column, the low 32 toss the coin
     * (32 bits of resolution are plenty for balancing and save a second random draw).
     */
    int sample(long bits) {
        int column = Rng.below(bits >>> 32, probability.length);
        double coin = (bits & 0xFFFF_FFFFL) * 0x1.0p-32;
        return coin < probability[column] ? column : alias[column];
    }
}
