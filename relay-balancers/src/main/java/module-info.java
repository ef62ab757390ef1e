/**
 * The built-in load-balancing strategies of SolConnect Relay: {@code round-robin},
 * {@code least-connections}, {@code weighted-random}, {@code geographic} and {@code p2c-ewma}, all
 * with a health gate, panic mode, slow start and session affinity by rendezvous hashing.
 *
 * <p>The engine finds them with {@link java.util.ServiceLoader}; integrators who build without it
 * use the static factories of {@link io.solconnect.relay.balancers.Balancers}. Only that package is
 * exported.
 */
module io.solconnect.relay.balancers {
    requires io.solconnect.relay.api;

    exports io.solconnect.relay.balancers;

    provides io.solconnect.relay.api.spi.LoadBalancerProvider with
            io.solconnect.relay.balancers.internal.RoundRobinProvider,
            io.solconnect.relay.balancers.internal.LeastConnectionsProvider,
            io.solconnect.relay.balancers.internal.WeightedRandomProvider,
            io.solconnect.relay.balancers.internal.GeographicProvider,
            io.solconnect.relay.balancers.internal.P2cEwmaProvider;
}
