package io.solconnect.relay.api.spi;

import io.solconnect.relay.api.Result;

import java.util.Optional;

/**
 * One working discovery source. The engine calls {@link #discover()} from a discovery thread,
 * never concurrently for one instance: at start and again after the returned
 * {@link DiscoveryResult#refreshAfter()}. It may block for I/O up to the source's own timeouts.
 *
 * <p>What a source returns is untrusted: it must validate every entry against the configuration
 * ({@link DiscoveryResult} documents the checks) and reject bad entries one by one, keeping the
 * good ones. When a lookup fails as a whole it returns an error; the engine then keeps the last
 * good list of this source.
 */
public interface RelayDiscovery extends AutoCloseable {

    /**
     * Looks up the current relays.
     *
     * @return the relays and when to ask again, or an error
     *         ({@link io.solconnect.relay.api.ErrorCode#DISCOVERY_FAILED},
     *         {@link io.solconnect.relay.api.ErrorCode#TIMEOUT}, {@link io.solconnect.relay.api.ErrorCode#BAD_INPUT})
     */
    Result<DiscoveryResult> discover();

    /**
     * The resolver this source's host names mean something to, e.g. the DNS server a {@code dns}
     * source was configured with. The engine hands it to the transport for this source's relays
     * ({@link RelayPolicy#resolverFor}), so that a relay found in a private zone can be connected,
     * and checks every address it returns at connect time. Called once, when the client starts.
     *
     * @return the resolver, or empty (the default) for the system resolver
     */
    default Optional<HostResolver> resolver() {
        return Optional.empty();
    }

    /** Releases resources (sockets, threads). Idempotent; {@code discover} is not called after. */
    @Override
    void close();
}
