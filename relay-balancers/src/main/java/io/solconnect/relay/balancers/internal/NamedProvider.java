package io.solconnect.relay.balancers.internal;

import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.spi.LoadBalancer;
import io.solconnect.relay.api.spi.LoadBalancerProvider;
import io.solconnect.relay.api.spi.PluginContext;

/**
 * What the five providers share: a fixed name and creation through {@link BalancerFactory}.
 * Stateless and thread-safe; does no I/O.
 */
abstract class NamedProvider implements LoadBalancerProvider {

    private final String name;

    NamedProvider(String name) {
        this.name = name;
    }

    /**
     * The name the configuration uses.
     *
     * @return the provider name
     */
    @Override
    public final String name() {
        return name;
    }

    /**
     * Builds a balancer from the strategy in {@code context.config().selection().strategy()}, its
     * settings overlaid with {@code context.settings()}, and {@code context.config().region()}.
     *
     * @param context the plugin context
     * @return the balancer, or an {@code INVALID_CONFIG} error naming a bad setting
     */
    @Override
    public final Result<LoadBalancer> create(PluginContext context) {
        return BalancerFactory.create(name, context);
    }
}
