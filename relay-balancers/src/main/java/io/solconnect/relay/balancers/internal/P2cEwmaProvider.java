package io.solconnect.relay.balancers.internal;

/**
 * The {@code p2c-ewma} load balancer provider. Power of two choices on a cost from RTT EWMA, load and errors; the default. Public with a public no-argument
 * constructor because {@link java.util.ServiceLoader} instantiates it (its package is not
 * exported). Stateless and thread-safe; does no I/O.
 */
public final class P2cEwmaProvider extends NamedProvider {

    /** The provider name. */
    public static final String NAME = "p2c-ewma";

    /** Creates the provider; cheap. */
    public P2cEwmaProvider() {
        super(NAME);
    }
}
