/**
 * A third-party plugin as a plugin author would write it: the {@code lowest-latency} load
 * balancer, depending on {@code relay-api} only and found by the core through
 * {@link java.util.ServiceLoader}.
 */
module io.solconnect.relay.examples.plugin {
    requires io.solconnect.relay.api;

    exports io.solconnect.relay.examples.plugin;

    provides io.solconnect.relay.api.spi.LoadBalancerProvider
            with io.solconnect.relay.examples.plugin.LowestLatencyProvider;
}
