package io.solconnect.relay.api.spi;

import io.solconnect.relay.api.RelayEndpoint;

import java.net.InetAddress;
import java.util.Optional;

/**
 * The engine's check of a discovered relay by its URL alone (scheme, host name or literal address,
 * region), offered to discovery sources through {@link PluginContext#relayPolicy()} so that they
 * can skip work for a relay the engine would refuse anyway, e.g. resolving a local-only host name.
 * Using it is optional: the engine checks everything a source returns again, including the
 * addresses it reports.
 *
 * <p>Transports use it at connect time ({@link Transport} contract): a name can resolve differently
 * when the client connects than when discovery checked it (DNS rebinding), so for every relay the
 * transport resolves the host with {@link #resolverFor}, checks every address with
 * {@link #refusedAddress} before it opens a socket, refuses the relay when any address is refused,
 * and connects to a checked address (keeping the host name for TLS SNI, certificate host name
 * verification and the HTTP {@code Host} header). Implementations are thread-safe.
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
     * The resolver a transport must resolve this relay's host with: the one its discovery source
     * found it with (so that a name from a private zone resolves the same way at connect time).
     * Called at every connect, from transport threads.
     *
     * @param relay the relay about to be connected
     * @return the resolver, or empty (the default) for the system resolver (the JDK's)
     */
    default Optional<HostResolver> resolverFor(RelayEndpoint relay) {
        return Optional.empty();
    }

    /**
     * Checks one address a relay's host resolved to at connect time, against the same address
     * rules discovery applies. Relays the operator wrote into the configuration are trusted and pass
     * (they may be loopback); discovered relays, relays reloaded from a saved list and relays set
     * at run time (the settings page) must pass the rules. Does no I/O.
     *
     * @param relay   the relay about to be connected
     * @param address one of the addresses its host resolved to
     * @return why the transport must not connect to this relay, or empty when the address is
     *         acceptable; by default empty
     */
    default Optional<String> refusedAddress(RelayEndpoint relay, InetAddress address) {
        return Optional.empty();
    }

    /**
     * A policy that refuses nothing and resolves with the system resolver, for a context built
     * outside the engine (e.g. in a plugin's unit tests).
     *
     * @return the policy
     */
    static RelayPolicy refuseNothing() {
        return relay -> Optional.empty();
    }
}
