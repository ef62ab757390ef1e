package io.solconnect.relay.api.spi;

import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.Result;

import java.net.InetAddress;
import java.util.List;

/**
 * Turns a relay's host name into addresses. The engine hands a transport the resolver that fits a
 * relay through {@link RelayPolicy#resolverFor}: the one its discovery source found it with (e.g.
 * the DNS server a {@code dns} source was configured with); when there is none the transport uses
 * the system resolver. Implementations
 * are thread-safe; {@link #resolve} may block for I/O up to the resolver's own timeout, so callers
 * run it off event loops.
 */
@FunctionalInterface
public interface HostResolver {

    /**
     * Looks up every address of a host name. An IP literal resolves to itself without a lookup.
     *
     * @param host the host as {@link java.net.URI#getHost()} gives it (IPv6 literals in brackets)
     * @return at least one address, in the order the resolver gave them; or
     *         {@link ErrorCode#CONNECT_FAILED} whose message starts with {@code "unknown host"}
     *         when the name has no address, or another error naming the cause (e.g. a timeout)
     */
    Result<List<InetAddress>> resolve(String host);
}
