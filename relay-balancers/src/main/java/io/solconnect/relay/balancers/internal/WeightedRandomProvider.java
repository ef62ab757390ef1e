package io.solconnect.relay.balancers.internal;

/**
 * The {@code weighted-random} load balancer provider. Random by configured weight times health, O(1) per pick. Public with a public no-argument
 * constructor because {@link java.util.ServiceLoader} instantiates it (its package is not
 * exported). Stateless and thread-safe; does no I/O.
 */
public final class WeightedRandomProvider extends NamedProvider {

    /** The provider name. */
    public static final String NAME = "weighted-random";

    /** Creates the provider; cheap. */
    public WeightedRandomProvider() {
        super(NAME);
    }
}
