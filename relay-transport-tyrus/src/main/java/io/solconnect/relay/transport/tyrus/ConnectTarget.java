package io.solconnect.relay.transport.tyrus;

import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.spi.RelayPolicy;
import io.solconnect.relay.api.spi.Untrusted;
import jakarta.websocket.ClientEndpointConfig;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where one connect goes: a relay's host resolved and every address checked by the engine's
 * {@link RelayPolicy} before any socket is opened (DNS rebinding: the name is never resolved again
 * by Tyrus or the JDK). Tyrus is given a URL with the checked address as its host; the name is
 * kept for the HTTP {@code Host} header and, through {@link AbortableClientContainer}, for TLS SNI
 * and certificate host name verification. Immutable.
 *
 * @param uri        the URL Tyrus connects to: the relay's URL with the address as host
 * @param address    the checked address connected to
 * @param tlsHost    the name TLS sends as SNI and verifies the certificate against
 * @param hostHeader sets the {@code Host} header to the relay's own host and port
 */
record ConnectTarget(URI uri, InetAddress address, String tlsHost, ClientEndpointConfig.Configurator hostHeader) {

    /**
     * Resolves and checks. Blocks while the resolver looks the name up.
     *
     * @param relay  the relay
     * @param policy the engine's policy: resolver and address check
     * @return the target; {@link ErrorCode#FORBIDDEN} naming the refused address when any address
     *         is refused; the resolver's error (e.g. {@code unknown host ...}) when it has none
     */
    static Result<ConnectTarget> resolve(RelayEndpoint relay, RelayPolicy policy) {
        URI url = relay.url();
        String host = url.getHost();
        Result<List<InetAddress>> resolved = policy.resolverFor(relay).orElse(ConnectTarget::systemResolve).resolve(host);
        if (!resolved.isOk()) {
            return Result.err(resolved.failure().orElseThrow());
        }
        List<InetAddress> addresses = resolved.orElseThrow();
        if (addresses.isEmpty()) {
            return Result.err(ErrorCode.CONNECT_FAILED, "unknown host '" + Untrusted.printable(host)
                    + "': the resolver returned no address");
        }
        List<String> refused = new ArrayList<>();
        for (InetAddress a : addresses) {
            policy.refusedAddress(relay, a).ifPresent(refused::add);
        }
        if (!refused.isEmpty()) {
            return Result.err(ErrorCode.FORBIDDEN, "refused by the address policy before connecting ("
                    + addresses.size() + " addresses resolved, " + refused.size() + " refused): "
                    + String.join("; ", refused));
        }
        InetAddress to = addresses.get(0);
        String literal = to instanceof Inet6Address ? "[" + to.getHostAddress() + "]" : to.getHostAddress();
        URI uri = URI.create(url.getScheme() + "://" + literal + ":" + relay.effectivePort()
                + (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery()));
        String hostPort = host + (url.getPort() == -1 ? "" : ":" + url.getPort());
        String tlsHost = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return Result.ok(new ConnectTarget(uri, to, tlsHost, new ClientEndpointConfig.Configurator() {
            @Override
            public void beforeRequest(Map<String, List<String>> headers) {
                headers.put("Host", List.of(hostPort));
            }
        }));
    }

    /** The JDK's resolver (the system's name service and {@code /etc/hosts}); literals are parsed. */
    static Result<List<InetAddress>> systemResolve(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            return Result.ok(List.of(InetAddress.getAllByName(h)));
        } catch (java.net.UnknownHostException e) {
            return Result.err(ErrorCode.CONNECT_FAILED, "unknown host '" + Untrusted.printable(h)
                    + "': the system resolver has no address for it");
        }
    }
}
