package io.solconnect.relay.balancers.internal;

/**
 * The {@code least-connections} load balancer provider. Power of two choices on relay-reported load over capacity. Public with a public no-argument
 * constructor because {@link java.util.ServiceLoader} instantiates it (its package is not
 * exported). Stateless and thread-safe; does no I/O.
 */
public final class LeastConnectionsProvider extends NamedProvider {

    /** The provider name. */
    public static final String NAME = "least-connections";

    /** Creates the provider; cheap. */
    public LeastConnectionsProvider() {
        super(NAME);
    }
}
