package io.solconnect.relay.api;

import java.time.Duration;
import java.util.Objects;

/**
 * How relays are chosen and when a relay is left for a better one. Immutable and thread-safe.
 * All of it can change while a client runs.
 *
 * @param strategy            the load-balancing strategy; default {@link LoadBalancingStrategy#ofDefaults()}
 *                            ({@code p2c-ewma}, sticky sessions)
 * @param failoverThreshold   a relay whose health score (in [0, 1]) falls below this is left for a
 *                            better one; a fraction in [0, 1]; default 0.3
 * @param healthCheckInterval how often scores are recomputed and the threshold checked; at least 10 ms;
 *                            default 1 s
 * @param region              this client's region for geographic selection, at most 64 characters,
 *                            or {@code ""} to infer it from measured latency; default {@code ""}
 */
public record SelectionConfig(LoadBalancingStrategy strategy, double failoverThreshold,
                              Duration healthCheckInterval, String region) {

    private static final SelectionConfig DEFAULTS =
            new SelectionConfig(LoadBalancingStrategy.ofDefaults(), 0.3, Duration.ofSeconds(1), "");

    /**
     * Validates every component.
     *
     * @param strategy            the load-balancing strategy; default {@link LoadBalancingStrategy#ofDefaults()} ({@code p2c-ewma}, sticky sessions)
     * @param failoverThreshold   a relay whose health score (in [0, 1]) falls below this is left for a better one; a fraction in [0, 1]; default 0.3
     * @param healthCheckInterval how often scores are recomputed and the threshold checked; at least 10 ms; default 1 s
     * @param region              this client's region for geographic selection, at most 64 characters, or {@code ""} to infer it from measured latency; default {@code ""} 
     * @throws IllegalArgumentException whose message starts with the option's path, e.g.
     *                                  {@code "selection.failoverThreshold must be in [0, 1], was 2.0"}
     * @throws NullPointerException     if a component is null
     */
    public SelectionConfig {
        Objects.requireNonNull(strategy, "selection.strategy");
        ConfigChecks.unitInterval("selection.failoverThreshold", failoverThreshold);
        ConfigChecks.atLeast("selection.healthCheckInterval", healthCheckInterval, LivenessConfig.MIN_TIMER);
        ConfigChecks.maxLength("selection.region", region, 64);
    }

    /**
     * The defaults listed on the components.
     *
     * @return the default selection settings
     */
    public static SelectionConfig ofDefaults() {
        return DEFAULTS;
    }
}
