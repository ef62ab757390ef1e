package io.solconnect.relay.api.spi;

import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.Result;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Turns a relay's host name into addresses. The engine hands a transport the resolver that fits a
 * relay through {@link RelayPolicy#resolverFor}: the one its discovery source found it with (e.g.
 * the DNS server a {@code dns} source was configured with), or {@link #system()}. Implementations
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

    /**
     * The JDK's resolver (the operating system's name service and {@code /etc/hosts}).
     *
     * @return the resolver; stateless
     */
    static HostResolver system() {
        return host -> {
            String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            try {
                return Result.ok(List.of(InetAddress.getAllByName(h)));
            } catch (UnknownHostException e) {
                return Result.err(ErrorCode.CONNECT_FAILED, "unknown host '" + Untrusted.printable(h)
                        + "': the system resolver has no address for it");
            } catch (SecurityException e) {
                return Result.err(ErrorCode.CONNECT_FAILED, "cannot resolve '" + Untrusted.printable(h) + "': " + e);
            }
        };
    }
}
