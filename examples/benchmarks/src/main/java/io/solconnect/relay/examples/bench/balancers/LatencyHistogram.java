package io.solconnect.relay.examples.bench.balancers;

/**
 * Counts latencies in logarithmic buckets 1 % wide from 0.01 ms to about 10^4 s, so that
 * percentiles of millions of samples cost no sorting; a percentile is exact to within 1 %.
 * Not thread-safe.
 */
final class LatencyHistogram {
    private static final double MIN = 0.01;
    private static final double LOG_STEP = Math.log(1.01);
    private final long[] counts = new long[2100];
    private long total;

    void record(double millis) {
        int b = millis <= MIN ? 0 : (int) (Math.log(millis / MIN) / LOG_STEP);
        counts[Math.min(b, counts.length - 1)]++;
        total++;
    }

    long count() {
        return total;
    }

    /** The upper bound of the bucket holding the given quantile, in ms; NaN when empty. */
    double percentile(double q) {
        if (total == 0) {
            return Double.NaN;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int b = 0; b < counts.length; b++) {
            seen += counts[b];
            if (seen >= rank) {
                return MIN * Math.exp((b + 1) * LOG_STEP);
            }
        }
        return MIN * Math.exp(counts.length * LOG_STEP);
    }
}
