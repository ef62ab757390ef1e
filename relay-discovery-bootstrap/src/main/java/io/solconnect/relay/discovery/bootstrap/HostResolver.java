package io.solconnect.relay.discovery.bootstrap;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Turns a relay's host name into its addresses, so that the address policy can see where a name
 * really points. Production uses the JDK's resolver (the one the transport will use); tests give
 * a fixed table. Implementations are thread-safe; a call may block.
 */
@FunctionalInterface
interface HostResolver {

    /** The JDK's resolver: {@link InetAddress#getAllByName(String)}. */
    HostResolver JDK = host -> List.of(InetAddress.getAllByName(host));

    /**
     * Resolves a host name.
     *
     * @param host a syntactically valid host name (never an IP literal)
     * @return its addresses, at least one
     * @throws UnknownHostException when the name does not resolve
     */
    List<InetAddress> resolve(String host) throws UnknownHostException;
}
