package io.solconnect.relay.balancers.internal;

import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.LoadBalancingStrategy;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.spi.LoadBalancer;
import io.solconnect.relay.api.spi.LoadBalancerProvider;
import io.solconnect.relay.api.spi.PluginContext;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Builds the built-in balancers by name. Public only so that the exported
 * {@code io.solconnect.relay.balancers.Balancers} and the providers can reach it; this package is
 * not exported. Stateless and thread-safe.
 */
public final class BalancerFactory {

    /** The built-in names, in the order {@code ./relay plugins} should show them. */
    public static final List<String> NAMES = List.of(RoundRobinProvider.NAME, LeastConnectionsProvider.NAME,
            WeightedRandomProvider.NAME, GeographicProvider.NAME, P2cEwmaProvider.NAME);

    private BalancerFactory() {
    }

    /**
     * Builds a balancer from explicit options.
     *
     * @param name         one of {@link #NAMES}
     * @param strategy     weights, stickiness and health weight
     * @param settings     strategy-specific settings (see {@code BalancerSettings})
     * @param clientRegion the client's region for {@code geographic}, {@code ""} to infer it
     * @return the balancer, an {@link ErrorCode#UNKNOWN_PROVIDER} error for an unknown name, or an
     *         {@link ErrorCode#INVALID_CONFIG} error naming a bad setting
     */
    public static Result<LoadBalancer> create(String name, LoadBalancingStrategy strategy, Map<String, String> settings,
                                              String clientRegion) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(clientRegion, "clientRegion");
        Function<BalancerSettings, LoadBalancer> constructor = constructor(name);
        if (constructor == null) {
            return unknown(name);
        }
        return BalancerSettings.parse(name, strategy, settings, clientRegion).map(constructor);
    }

    /**
     * Builds a balancer from a provider's context.
     *
     * @param name    one of {@link #NAMES}
     * @param context the context; options from {@code config().selection().strategy()} and its
     *                settings, overlaid with {@code context.settings()}
     * @return the balancer or an error as for {@link #create(String, LoadBalancingStrategy, Map, String)}
     */
    public static Result<LoadBalancer> create(String name, PluginContext context) {
        Objects.requireNonNull(context, "context");
        Function<BalancerSettings, LoadBalancer> constructor = constructor(name);
        if (constructor == null) {
            return unknown(name);
        }
        return BalancerSettings.from(name, context).map(constructor);
    }

    /**
     * One new instance of every built-in provider.
     *
     * @return the providers, in the order of {@link #NAMES}
     */
    public static List<LoadBalancerProvider> providers() {
        return List.of(new RoundRobinProvider(), new LeastConnectionsProvider(), new WeightedRandomProvider(),
                new GeographicProvider(), new P2cEwmaProvider());
    }

    private static Function<BalancerSettings, LoadBalancer> constructor(String name) {
        switch (name) {
            case RoundRobinProvider.NAME:
                return RoundRobinBalancer::new;
            case LeastConnectionsProvider.NAME:
                return LeastConnectionsBalancer::new;
            case WeightedRandomProvider.NAME:
                return WeightedRandomBalancer::new;
            case GeographicProvider.NAME:
                return GeographicBalancer::new;
            case P2cEwmaProvider.NAME:
                return P2cEwmaBalancer::new;
            default:
                return null;
        }
    }

    private static Result<LoadBalancer> unknown(String name) {
        return Result.err(ErrorCode.UNKNOWN_PROVIDER, "no built-in load balancer named '" + name + "'; known: " + NAMES);
    }
}
