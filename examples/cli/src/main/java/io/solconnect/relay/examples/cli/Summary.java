package io.solconnect.relay.examples.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The one-line result of {@code send}, {@code receive} and {@code demo}:
 * {@code summary sent=… acked=… delivered=… lost=… duplicates=… failovers=… failover_p50_ms=…
 * failover_p99_ms=… failover_max_ms=…}. A field a command cannot know is printed as {@code -}.
 * Not thread-safe; fill it from one thread.
 */
public final class Summary {

    private OptionalLong sent = OptionalLong.empty();
    private OptionalLong acked = OptionalLong.empty();
    private OptionalLong delivered = OptionalLong.empty();
    private OptionalLong lost = OptionalLong.empty();
    private OptionalLong duplicates = OptionalLong.empty();
    private final List<Duration> failovers = new ArrayList<>();

    /**
     * Sets the sent count.
     *
     * @param n messages accepted by send
     * @return this
     */
    public Summary sent(long n) {
        sent = OptionalLong.of(n);
        return this;
    }

    /**
     * Sets the acknowledged count.
     *
     * @param n messages acknowledged
     * @return this
     */
    public Summary acked(long n) {
        acked = OptionalLong.of(n);
        return this;
    }

    /**
     * Sets the delivered count.
     *
     * @param n distinct messages delivered
     * @return this
     */
    public Summary delivered(long n) {
        delivered = OptionalLong.of(n);
        return this;
    }

    /**
     * Sets the lost count.
     *
     * @param n messages lost
     * @return this
     */
    public Summary lost(long n) {
        lost = OptionalLong.of(n);
        return this;
    }

    /**
     * Sets the duplicate count.
     *
     * @param n messages delivered more than once
     * @return this
     */
    public Summary duplicates(long n) {
        duplicates = OptionalLong.of(n);
        return this;
    }

    /**
     * Adds failover durations.
     *
     * @param durations the durations
     * @return this
     */
    public Summary failovers(List<Duration> durations) {
        failovers.addAll(durations);
        return this;
    }

    /**
     * Nearest-rank percentile of durations in milliseconds.
     *
     * @param durations the sample
     * @param p         the percentile in (0, 100]
     * @return the value in ms with one decimal, or {@code "-"} for an empty sample
     */
    public static String percentileMs(List<Duration> durations, double p) {
        if (durations.isEmpty()) {
            return "-";
        }
        List<Duration> sorted = new ArrayList<>(durations);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        Duration d = sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
        return String.format(Locale.ROOT, "%.1f", d.toNanos() / 1e6);
    }

    /**
     * Formats the line.
     *
     * @return the summary line
     */
    public String line() {
        return "summary sent=" + f(sent) + " acked=" + f(acked) + " delivered=" + f(delivered) + " lost=" + f(lost)
                + " duplicates=" + f(duplicates) + " failovers=" + failovers.size()
                + " failover_p50_ms=" + percentileMs(failovers, 50) + " failover_p99_ms=" + percentileMs(failovers, 99)
                + " failover_max_ms=" + percentileMs(failovers, 100);
    }

    private static String f(OptionalLong v) {
        return v.isPresent() ? Long.toString(v.getAsLong()) : "-";
    }
}
