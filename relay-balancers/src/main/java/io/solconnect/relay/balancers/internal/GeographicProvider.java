package io.solconnect.relay.balancers.internal;

/**
 * The {@code geographic} load balancer provider. Prefers the client's region, spills when it is unhealthy or full. Public with a public no-argument
 * constructor because {@link java.util.ServiceLoader} instantiates it (its package is not
 * exported). Stateless and thread-safe; does no I/O.
 */
public final class GeographicProvider extends NamedProvider {

    /** The provider name. */
    public static final String NAME = "geographic";

    /** Creates the provider; cheap. */
    public GeographicProvider() {
        super(NAME);
    }
}
