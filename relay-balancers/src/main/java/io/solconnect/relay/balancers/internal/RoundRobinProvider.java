package io.solconnect.relay.balancers.internal;

/**
 * The {@code round-robin} load balancer provider. Takes healthy relays in turn from a random start. Public with a public no-argument
 * constructor because {@link java.util.ServiceLoader} instantiates it (its package is not
 * exported). Stateless and thread-safe; does no I/O.
 */
public final class RoundRobinProvider extends NamedProvider {

    /** The provider name. */
    public static final String NAME = "round-robin";

    /** Creates the provider; cheap. */
    public RoundRobinProvider() {
        super(NAME);
    }
}
