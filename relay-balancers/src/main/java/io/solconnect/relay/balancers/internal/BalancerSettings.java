package io.solconnect.relay.balancers.internal;

import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.LoadBalancingStrategy;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.spi.PluginContext;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The checked options of one balancer, from {@link LoadBalancingStrategy} and its {@code settings}
 * map. Immutable. The keys below are read by every built-in strategy (a key that matters only to
 * another strategy is accepted and ignored); an unknown key or a malformed value is an
 * {@link ErrorCode#INVALID_CONFIG} error naming it.
 *
 * <ul>
 *   <li>{@code panicThreshold}: percent of candidates (0..100, default 50) that must be healthy for
 *       the health gate to apply; below it the balancer picks among all candidates (panic mode).
 *       With no healthy candidate at all it always picks among all.</li>
 *   <li>{@code slowStartWindow}: a duration ({@code 30s}, {@code 500ms}, {@code PT30S}; default
 *       30 s; {@code 0} or {@code off} disables) over which a relay that just became healthy ramps
 *       from {@code slowStartMinWeight} to full weight.</li>
 *   <li>{@code slowStartMinWeight}: the weight factor at the start of the ramp, a fraction in
 *       (0, 1], default 0.1.</li>
 *   <li>{@code slowStartAggression}: the ramp's shape, factor = (t / window)^(1 / aggression), a
 *       number in [0.1, 10], default 1 (linear).</li>
 *   <li>{@code errorPenalty}: {@code p2c-ewma} and {@code geographic} multiply a relay's cost by
 *       (1 + errorPenalty * errorRate); a number in [0, 1000], default 10.</li>
 *   <li>{@code fullLoad}: {@code geographic} spills to other regions past this relay-reported load
 *       (connections over capacity), a fraction in (0, 10], default 0.9.</li>
 *   <li>{@code seed}: a 64-bit integer; when set the balancer's random choices come from a
 *       deterministic sequence (for tests and simulations). Default: unseeded, thread-local.</li>
 * </ul>
 */
record BalancerSettings(String name, LoadBalancingStrategy strategy, String region, double panicThreshold,
                        long slowStartNanos, double slowStartMinWeight, double slowStartAggression,
                        double errorPenalty, double fullLoad, Optional<Long> seed) {

    /** Every key understood, for the "unknown key" error. */
    static final Set<String> KEYS = Set.of("panicThreshold", "slowStartWindow", "slowStartMinWeight",
            "slowStartAggression", "errorPenalty", "fullLoad", "seed");

    static final double DEFAULT_PANIC_PERCENT = 50;
    static final Duration DEFAULT_SLOW_START = Duration.ofSeconds(30);
    static final double DEFAULT_SLOW_START_MIN_WEIGHT = 0.1;
    static final double DEFAULT_SLOW_START_AGGRESSION = 1;
    static final double DEFAULT_ERROR_PENALTY = 10;
    static final double DEFAULT_FULL_LOAD = 0.9;

    BalancerSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(seed, "seed");
    }

    /** Whether session affinity is on. */
    boolean sticky() {
        return strategy.stickySession();
    }

    /** How much the health score scales weights, in [0, 1]. */
    double healthWeight() {
        return strategy.healthWeight();
    }

    /**
     * Reads the options a provider's context carries: the strategy from its configuration, the
     * strategy's {@code settings} overlaid with the provider's own settings (the latter win).
     */
    static Result<BalancerSettings> from(String name, PluginContext context) {
        Map<String, String> merged = new HashMap<>(context.config().selection().strategy().settings());
        merged.putAll(context.settings());
        return parse(name, context.config().selection().strategy(), merged, context.config().selection().region());
    }

    /** Checks every key and value; errors name {@code <name>.<key>}. */
    static Result<BalancerSettings> parse(String name, LoadBalancingStrategy strategy, Map<String, String> settings,
                                          String region) {
        Objects.requireNonNull(settings, "settings");
        Set<String> unknown = new TreeSet<>(settings.keySet());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) {
            return Result.err(ErrorCode.INVALID_CONFIG, name + ": unknown setting(s) " + unknown
                    + "; known: " + new TreeSet<>(KEYS));
        }
        try {
            double panic = number(name, settings, "panicThreshold", DEFAULT_PANIC_PERCENT, 0, 100) / 100.0;
            long slowStart = slowStart(name, settings.get("slowStartWindow"));
            double minWeight = number(name, settings, "slowStartMinWeight", DEFAULT_SLOW_START_MIN_WEIGHT, 0, 1);
            if (minWeight == 0) {
                throw new Invalid(name + ".slowStartMinWeight must be in (0, 1], was '"
                        + settings.get("slowStartMinWeight") + "'");
            }
            double aggression = number(name, settings, "slowStartAggression", DEFAULT_SLOW_START_AGGRESSION, 0.1, 10);
            double errorPenalty = number(name, settings, "errorPenalty", DEFAULT_ERROR_PENALTY, 0, 1000);
            double fullLoad = number(name, settings, "fullLoad", DEFAULT_FULL_LOAD, 0, 10);
            if (fullLoad == 0) {
                throw new Invalid(name + ".fullLoad must be in (0, 10], was '" + settings.get("fullLoad") + "'");
            }
            Optional<Long> seed = Optional.empty();
            String rawSeed = settings.get("seed");
            if (rawSeed != null) {
                try {
                    seed = Optional.of(Long.parseLong(rawSeed.strip()));
                } catch (NumberFormatException e) {
                    throw new Invalid(name + ".seed must be a 64-bit integer, was '" + rawSeed + "'");
                }
            }
            return Result.ok(new BalancerSettings(name, strategy, region, panic, slowStart, minWeight, aggression,
                    errorPenalty, fullLoad, seed));
        } catch (Invalid e) {
            return Result.err(ErrorCode.INVALID_CONFIG, e.getMessage());
        }
    }

    private static double number(String name, Map<String, String> settings, String key, double fallback,
                                 double min, double max) throws Invalid {
        String raw = settings.get(key);
        if (raw == null) {
            return fallback;
        }
        try {
            double v = Double.parseDouble(raw.strip());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new Invalid(name + "." + key + " must be a number in [" + trim(min) + ", " + trim(max) + "], was '"
                + raw + "'");
    }

    private static long slowStart(String name, String raw) throws Invalid {
        if (raw == null) {
            return DEFAULT_SLOW_START.toNanos();
        }
        String s = raw.strip();
        if (s.equals("0") || s.equalsIgnoreCase("off")) {
            return 0;
        }
        Optional<Duration> d = PluginContext.parseDuration(s);
        if (d.isEmpty() || d.get().isNegative() || d.get().compareTo(Duration.ofDays(1)) > 0) {
            throw new Invalid(name + ".slowStartWindow must be a duration up to 1 day like '30s', '500ms' or 'PT30S',"
                    + " or '0'/'off', was '" + raw + "'");
        }
        return d.get().toNanos();
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** Carries a message out of the parsing helpers. */
    private static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }
}
