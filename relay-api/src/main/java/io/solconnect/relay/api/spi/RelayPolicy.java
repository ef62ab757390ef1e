package io.solconnect.relay.api.spi;

import io.solconnect.relay.api.RelayEndpoint;

import java.util.Optional;

/**
 * The engine's check of a discovered relay by its URL alone (scheme, host name or literal address,
 * region), offered to discovery sources through {@link PluginContext#relayPolicy()} so that they
 * can skip work for a relay the engine would refuse anyway, e.g. resolving a local-only host name.
 * Using it is optional: the engine checks everything a source returns again, including the
 * addresses it reports. Implementations are stateless and thread-safe.
 */
@FunctionalInterface
public interface RelayPolicy {

    /**
     * Checks one relay without any lookup.
     *
     * @param relay the relay
     * @return why the engine would refuse it, or empty when it passes this check
     */
    Optional<String> refusal(RelayEndpoint relay);

    /**
     * A policy that refuses nothing, for a context built outside the engine (e.g. in a plugin's
     * unit tests).
     *
     * @return the policy
     */
    static RelayPolicy refuseNothing() {
        return relay -> Optional.empty();
    }
}
