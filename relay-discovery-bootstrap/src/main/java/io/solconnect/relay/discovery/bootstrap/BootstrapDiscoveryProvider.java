package io.solconnect.relay.discovery.bootstrap;

import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.spi.DiscoveryProvider;
import io.solconnect.relay.api.spi.PluginContext;
import io.solconnect.relay.api.spi.RelayDiscovery;

/**
 * The {@code bootstrap} discovery provider: relays from a JSON document served over HTTPS.
 * Stateless and thread-safe; {@link #create} does no I/O.
 *
 * <p>The document is {@code {"relays": [{"url": "wss://...", "region": "eu-west", "priority": 0,
 * "maxConnections": 5000, "weight": 1}, ...]}}; only {@code url} is required. Other top-level
 * members are skipped. Each entry is checked on its own and refused with a reason when a field has
 * the wrong type or range, a key is unknown or repeated, or the URL is not a relay URL
 * ({@code http:}, {@code file:}, {@code javascript:}, userinfo, ...); the other entries are kept.
 * At most {@code maxRelays} relays are kept. Entries the engine's
 * {@link io.solconnect.relay.api.spi.RelayPolicy} refuses by URL alone are refused before any
 * lookup; the other host names are resolved with the JDK's resolver (the one the transport uses),
 * in parallel and within {@code timeout}: a name that does not resolve is refused, and the
 * addresses of the others are reported with the relays. The engine's address
 * policy, applied to every discovery source, then refuses forbidden schemes, host names and
 * addresses (private ranges unless {@code security.allowPrivateAddresses}). A name can resolve differently
 * later; the check at discovery time cannot prevent that.
 *
 * <p>The URLs are tried in order until one gives a usable list. Each exchange is bounded: no
 * redirects are followed, the connection, TLS handshake, headers and body together must finish
 * within {@code timeout}, the body may hold at most {@code maxBytes}, the JSON at most 16 levels of
 * nesting and 8,192 characters per string. The answer must be {@code application/json} (or
 * {@code application/*+json}); an HTML page (a captive portal) is reported as such. TLS uses
 * hostname verification always.
 *
 * <p>Caching: {@code Cache-Control: max-age} (minus {@code Age}) sets the next lookup, clamped to
 * [{@code minRefresh}, {@code maxRefresh}]; {@code no-cache} or {@code no-store} mean
 * {@code minRefresh}; no {@code max-age} means {@code defaultRefresh}. The {@code ETag} of the last
 * good answer from a URL is sent back as {@code If-None-Match}, and {@code 304 Not Modified} keeps
 * that list.
 *
 * <p>Settings (all optional except {@code urls}; an unknown key is an error):
 * <ul>
 *   <li>{@code urls} — comma-separated {@code https://} URLs, tried in order, at most 8; required</li>
 *   <li>{@code timeout} — limit on one whole exchange (connect, TLS, headers, body); default {@code 5s}</li>
 *   <li>{@code maxBytes} — largest body accepted, in bytes, 1,024..67,108,864; default 1,048,576</li>
 *   <li>{@code maxRelays} — cap on relays kept per lookup, 1..10,000; default 64</li>
 *   <li>{@code minRefresh} — shortest time before the next lookup; default {@code 30s}</li>
 *   <li>{@code maxRefresh} — longest time before the next lookup; default {@code 60m}</li>
 *   <li>{@code defaultRefresh} — time before the next lookup when the answer has no
 *       {@code max-age}; default {@code 5m}</li>
 *   <li>{@code retryAfter} — time before the next lookup after a failed one; default {@code 30s}</li>
 *   <li>{@code resolveHosts} — {@code true} or {@code false}: resolve relay host names and refuse
 *       those pointing into refused ranges; turn off only when names are resolved elsewhere (a
 *       proxy): it is logged at WARN when the source is created, and the transport's connect-time
 *       check still refuses addresses in refused ranges; default {@code true}</li>
 *   <li>{@code truststore} — a PKCS12 file whose certificates are the only trusted roots (for a
 *       private CA); default: the JDK's trusted roots</li>
 *   <li>{@code truststorePassword} — the truststore's password; default empty</li>
 * </ul>
 * Durations take {@code 250ms}, {@code 2s}, {@code 5m} or ISO-8601 ({@code PT1H}).
 *
 * <p>Failures: every failed URL publishes a {@link io.solconnect.relay.api.RelayEvent.DiscoveryFailed}
 * whose error says what happened ({@code TIMEOUT}, {@code TOO_LARGE}, {@code BAD_INPUT} for a body
 * that is not the expected JSON, {@code FORBIDDEN} for a redirect, {@code IO} for TLS or connection
 * errors, {@code DISCOVERY_FAILED} for other HTTP statuses or an unusable list). When every URL
 * fails the source returns its last good list with {@code retryAfter}, or the error when it never
 * had one.
 */
public final class BootstrapDiscoveryProvider implements DiscoveryProvider {

    /** Creates the provider; ServiceLoader calls this. */
    public BootstrapDiscoveryProvider() {
    }

    /** Returns {@code "bootstrap"}. */
    @Override
    public String name() {
        return "bootstrap";
    }

    /**
     * Checks the settings and builds a source; no file or network I/O happens here.
     *
     * @param context the settings and the client configuration
     * @return the source, or an {@code INVALID_CONFIG} error naming the bad setting
     */
    @Override
    public Result<RelayDiscovery> create(PluginContext context) {
        return BootstrapSettings.parse(context)
                .<RelayDiscovery>map(s -> new BootstrapDiscovery(s, context, HostResolver.JDK));
    }
}
