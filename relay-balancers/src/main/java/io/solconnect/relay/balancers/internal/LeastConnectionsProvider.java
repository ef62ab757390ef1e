package io.solconnect.relay.balancers.internal;

import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.spi.LoadBalancer;
import io.solconnect.relay.api.spi.LoadBalancerProvider;
import io.solconnect.relay.api.spi.PluginContext;

/**
 * The {@code least-connections} load balancer provider. Power of two choices on relay-reported load over capacity. Public with a public no-argument
 * constructor because {@link java.util.ServiceLoader} instantiates it (its package is not
 * exported). Stateless and thread-safe; does no I/O.
 */
public final class LeastConnectionsProvider implements LoadBalancerProvider {

    /** The provider name. */
    public static final String NAME = "least-connections";

    /** Creates the provider; cheap. */
    public LeastConnectionsProvider() {
    }

    /**
     * The name the configuration uses.
     *
     * @return {@value #NAME}
     */
    @Override
    public String name() {
        return NAME;
    }

    /**
     * Builds a balancer from the strategy in {@code context.config().selectionStrategy()}, its
     * settings overlaid with {@code context.settings()}, and {@code context.config().region()}.
     *
     * @param context the plugin context
     * @return the balancer, or an {@code INVALID_CONFIG} error naming a bad setting
     */
    @Override
    public Result<LoadBalancer> create(PluginContext context) {
        return BalancerFactory.create(NAME, context);
    }
}
