package io.solconnect.relay.balancers;

import io.solconnect.relay.api.LoadBalancingStrategy;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.spi.LoadBalancer;
import io.solconnect.relay.api.spi.LoadBalancerProvider;
import io.solconnect.relay.balancers.internal.BalancerFactory;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Static factories of the built-in load balancers, for integrators who assemble the client without
 * {@link java.util.ServiceLoader}. The engine normally finds the same strategies as
 * {@link LoadBalancerProvider}s named {@value #ROUND_ROBIN}, {@value #LEAST_CONNECTIONS},
 * {@value #WEIGHTED_RANDOM}, {@value #GEOGRAPHIC} and {@value #P2C_EWMA}.
 *
 * <p>Every balancer returned is thread-safe, does no I/O and never blocks. Each applies a health
 * gate (healthy candidates of positive weight in the best priority), panic mode (all candidates
 * when fewer than {@code panicThreshold} percent are healthy), slow start for relays that have
 * just become healthy, and, with {@link LoadBalancingStrategy#stickySession()} on and a non-empty
 * affinity key, weighted rendezvous hashing of (key, relay id) over the gated relays, so that every
 * client puts a room on the same relay and moves it to the same next one, and only the rooms of a
 * relay that leaves move. Keyed picks use static weights only, never measurements, because clients
 * that measured different values would otherwise split a room: {@value #ROUND_ROBIN} weighs every
 * relay 1, {@value #WEIGHTED_RANDOM} uses the configured weight, and {@value #LEAST_CONNECTIONS},
 * {@value #P2C_EWMA} and {@value #GEOGRAPHIC} use configured weight times {@code maxConnections}
 * ({@value #GEOGRAPHIC} ignores the client's region for keyed picks, since a room's members may be
 * anywhere). Picks without a key, or with {@code stickySession} off, follow each strategy's own
 * rule. Strategy-specific settings, their defaults and units:
 * <ul>
 *   <li>{@code panicThreshold}: percent 0..100, default 50.</li>
 *   <li>{@code slowStartWindow}: duration ({@code 30s}, {@code 500ms}, {@code PT30S}), default
 *       30 s; {@code 0} or {@code off} disables slow start.</li>
 *   <li>{@code slowStartMinWeight}: fraction in (0, 1], default 0.1.</li>
 *   <li>{@code slowStartAggression}: in [0.1, 10], default 1 (linear ramp).</li>
 *   <li>{@code errorPenalty}: in [0, 1000], default 10 ({@code p2c-ewma}, {@code geographic}).</li>
 *   <li>{@code fullLoad}: reported load in (0, 10], default 0.9, past which {@code geographic}
 *       spills to other regions.</li>
 *   <li>{@code seed}: a 64-bit integer for reproducible random choices; default unseeded.</li>
 * </ul>
 * An unknown key or a malformed value is an {@code INVALID_CONFIG} error naming it.
 */
public final class Balancers {

    /** Name of the round-robin strategy. */
    public static final String ROUND_ROBIN = "round-robin";
    /** Name of the least-connections strategy (power of two choices on reported load). */
    public static final String LEAST_CONNECTIONS = "least-connections";
    /** Name of the weighted-random strategy. */
    public static final String WEIGHTED_RANDOM = "weighted-random";
    /** Name of the geographic strategy. */
    public static final String GEOGRAPHIC = "geographic";
    /** Name of the adaptive strategy: power of two choices on RTT EWMA, load and errors. */
    public static final String P2C_EWMA = "p2c-ewma";

    private Balancers() {
    }

    /**
     * The names of the built-in strategies.
     *
     * @return the five names
     */
    public static List<String> names() {
        return BalancerFactory.NAMES;
    }

    /**
     * New instances of the built-in providers, for registering them by hand.
     *
     * @return one provider per name, in the order of {@link #names()}
     */
    public static List<LoadBalancerProvider> providers() {
        return BalancerFactory.providers();
    }

    /**
     * Builds the balancer a strategy names.
     *
     * @param strategy     the strategy; its {@code algorithm} names the balancer and its
     *                     {@code settings} are checked as described above
     * @param clientRegion this client's region for {@value #GEOGRAPHIC}, or {@code ""} to infer it
     *                     from measured RTT
     * @return the balancer, an {@code UNKNOWN_PROVIDER} error listing the names for an unknown
     *         algorithm, or an {@code INVALID_CONFIG} error naming a bad setting
     */
    public static Result<LoadBalancer> create(LoadBalancingStrategy strategy, String clientRegion) {
        Objects.requireNonNull(strategy, "strategy");
        return BalancerFactory.create(strategy.algorithm(), strategy, strategy.settings(), clientRegion);
    }

    /**
     * A {@value #ROUND_ROBIN} balancer with default options (sticky sessions on).
     *
     * @return the balancer
     */
    public static LoadBalancer roundRobin() {
        return defaults(ROUND_ROBIN, "");
    }

    /**
     * A {@value #LEAST_CONNECTIONS} balancer with default options (sticky sessions on).
     *
     * @return the balancer
     */
    public static LoadBalancer leastConnections() {
        return defaults(LEAST_CONNECTIONS, "");
    }

    /**
     * A {@value #WEIGHTED_RANDOM} balancer with default options (sticky sessions on).
     *
     * @return the balancer
     */
    public static LoadBalancer weightedRandom() {
        return defaults(WEIGHTED_RANDOM, "");
    }

    /**
     * A {@value #GEOGRAPHIC} balancer with default options (sticky sessions on).
     *
     * @param clientRegion this client's region, or {@code ""} to infer it from measured RTT
     * @return the balancer
     */
    public static LoadBalancer geographic(String clientRegion) {
        return defaults(GEOGRAPHIC, Objects.requireNonNull(clientRegion, "clientRegion"));
    }

    /**
     * A {@value #P2C_EWMA} balancer with default options (sticky sessions on).
     *
     * @return the balancer
     */
    public static LoadBalancer p2cEwma() {
        return defaults(P2C_EWMA, "");
    }

    private static LoadBalancer defaults(String name, String region) {
        return BalancerFactory.create(name, LoadBalancingStrategy.of(name), Map.of(), region).orElseThrow();
    }
}
