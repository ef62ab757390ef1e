package io.solconnect.relay.api.spi;

import io.solconnect.relay.api.Result;

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

    /** Releases resources (sockets, threads). Idempotent; {@code discover} is not called after. */
    @Override
    void close();
}
