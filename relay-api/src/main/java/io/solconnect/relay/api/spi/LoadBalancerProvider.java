package io.solconnect.relay.api.spi;

import io.solconnect.relay.api.Result;

/**
 * Builds a strategy that picks one relay among scored candidates. Built-in names (module
 * {@code io.solconnect.relay.balancers}): {@code round-robin}, {@code least-connections},
 * {@code weighted-random}, {@code geographic}, {@code p2c-ewma}. The configuration's
 * {@link io.solconnect.relay.api.LoadBalancingStrategy#algorithm()} names the provider; its other
 * fields reach the balancer through {@link PluginContext#config()}. Selection rule in the
 * {@code spi} package documentation.
 */
public interface LoadBalancerProvider {

    /**
     * The stable lowercase name the configuration uses.
     *
     * @return e.g. {@code "p2c-ewma"}
     */
    String name();

    /**
     * Builds a balancer.
     *
     * @param context settings (the strategy's {@code settings}), configuration and scheduler
     * @return the balancer or an {@link io.solconnect.relay.api.ErrorCode#INVALID_CONFIG} error
     */
    Result<LoadBalancer> create(PluginContext context);
}
