package io.solconnect.relay.api;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How a relay is picked among the healthy candidates. Immutable and thread-safe.
 *
 * @param algorithm     the {@code LoadBalancerProvider} name, e.g. {@code "p2c-ewma"} (the default),
 *                      {@code "round-robin"}, {@code "least-connections"}, {@code "weighted-random"},
 *                      {@code "geographic"}
 * @param weights       per-relay weight overrides keyed by relay id (its normalised URL); each
 *                      weight is finite and non-negative; relays not listed use their endpoint's
 *                      {@code weight}. Default empty.
 * @param stickySession session affinity: when true (the default) a room's clients all pick the same
 *                      relay by rendezvous hashing on the room key, and move together on failover.
 *                      Required for relays that share no state, like the original SolConnect relays.
 * @param healthWeight  how much the health score counts against the configured weight, in [0, 1]:
 *                      0 ignores health, 1 scales weights fully by health. Default 0.5.
 * @param settings      extra strategy-specific settings (documented by each strategy), copied
 */
public record LoadBalancingStrategy(String algorithm, Map<String, Double> weights, boolean stickySession,
                                    double healthWeight, Map<String, String> settings) {

    /** The default algorithm name. */
    public static final String DEFAULT_ALGORITHM = "p2c-ewma";

    /**
     * Validates and copies the components.
     *
     * @param algorithm the {@code LoadBalancerProvider} name, e.g. {@code "p2c-ewma"} (the default), {@code "round-robin"}, {@code "least-connections"}, {@code "weighted-random"}, {@code "geographic"}
     * @param weights per-relay weight overrides keyed by relay id (its normalised URL); each weight is finite and non-negative; relays not listed use their endpoint's {@code weight}. Default empty.
     * @param stickySession session affinity: when true (the default) a room's clients all pick the same relay by rendezvous hashing on the room key, and move together on failover. Required for relays that share no state, like the original SolConnect relays.
     * @param healthWeight how much the health score counts against the configured weight, in [0, 1]: 0 ignores health, 1 scales weights fully by health. Default 0.5.
     * @param settings extra strategy-specific settings (documented by each strategy), copied
     * @throws IllegalArgumentException naming the bad value
     */
    public LoadBalancingStrategy {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(settings, "settings");
        if (!ProviderChoice.validName(algorithm)) {
            throw new IllegalArgumentException("algorithm must be a provider name like 'p2c-ewma', was '" + algorithm + "'");
        }
        for (Map.Entry<String, Double> e : weights.entrySet()) {
            double w = Objects.requireNonNull(e.getValue(), "weight");
            if (!Double.isFinite(w) || w < 0) {
                throw new IllegalArgumentException("weights." + e.getKey() + " must be finite and >= 0, was " + w);
            }
        }
        if (!(healthWeight >= 0 && healthWeight <= 1)) {
            throw new IllegalArgumentException("healthWeight must be in [0, 1], was " + healthWeight);
        }
        weights = Map.copyOf(new TreeMap<>(weights));
        settings = Map.copyOf(new TreeMap<>(settings));
    }

    /**
     * The defaults: {@code p2c-ewma}, no weight overrides, sticky sessions, health weight 0.5.
     *
     * @return the default strategy
     */
    public static LoadBalancingStrategy ofDefaults() {
        return new LoadBalancingStrategy(DEFAULT_ALGORITHM, Map.of(), true, 0.5, Map.of());
    }

    /**
     * The defaults with another algorithm.
     *
     * @param algorithm the provider name
     * @return the strategy
     */
    public static LoadBalancingStrategy of(String algorithm) {
        return new LoadBalancingStrategy(algorithm, Map.of(), true, 0.5, Map.of());
    }

    /**
     * Returns a copy with another algorithm.
     *
     * @param newAlgorithm the provider name
     * @return the copy
     */
    public LoadBalancingStrategy withAlgorithm(String newAlgorithm) {
        return new LoadBalancingStrategy(newAlgorithm, weights, stickySession, healthWeight, settings);
    }

    /**
     * Returns a copy with session affinity on or off.
     *
     * @param sticky the new setting
     * @return the copy
     */
    public LoadBalancingStrategy withStickySession(boolean sticky) {
        return new LoadBalancingStrategy(algorithm, weights, sticky, healthWeight, settings);
    }

    /**
     * The weight of a relay: the override for its id if any, else its endpoint weight.
     *
     * @param endpoint the relay
     * @return the weight, non-negative
     */
    public double weightOf(RelayEndpoint endpoint) {
        Double w = weights.get(endpoint.id());
        return w != null ? w : endpoint.weight();
    }
}
