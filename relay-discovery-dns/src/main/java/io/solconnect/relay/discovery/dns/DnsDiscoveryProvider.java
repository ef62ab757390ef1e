package io.solconnect.relay.discovery.dns;

import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.spi.DiscoveryProvider;
import io.solconnect.relay.api.spi.PluginContext;
import io.solconnect.relay.api.spi.RelayDiscovery;

/**
 * The {@code dns} discovery provider: relays from DNS SRV records, with metadata from TXT records
 * at each SRV target. Stateless and thread-safe; {@link #create} does no I/O.
 *
 * <p>A lookup asks the resolver for the SRV records at {@code <service>.<domain>} (e.g.
 * {@code _solconnect-relay._tcp.relays.example.org}). Each record {@code priority weight port target}
 * becomes the relay {@code <scheme>://<target>:<port><path>} with the SRV priority and weight.
 * TXT records at the target hold {@code key=value} strings: {@code region} (1..64 letters, digits,
 * {@code .}, {@code _}, {@code -}), {@code maxConnections} (1..10,000,000), {@code scheme}
 * ({@code wss} or {@code ws}; default {@code wss}) and {@code path} (default {@code /}); other
 * strings are ignored. The target's A and AAAA records are looked up too and reported with the relay,
 * so that the engine's address policy (applied to every discovery source) refuses a target that
 * resolves into a private or otherwise refused range. Malformed entries are refused here one by one
 * (target {@code .}, port 0, a TXT string with a control character, no A or AAAA record, ...) and
 * the rest kept; at most {@code maxRelays} relays are kept, lowest priority first. At most
 * 4 × {@code maxRelays} SRV records are examined per lookup, refused ones included, and a whole
 * lookup (SRV, then TXT, A and AAAA per target) ends within {@code deadline}: each query waits at
 * most for what is left of it, records not reached are reported, and a lookup that ran out of time
 * with no usable relay fails with {@code TIMEOUT}.
 *
 * <p>Settings (all optional except {@code domain}; an unknown key is an error):
 * <ul>
 *   <li>{@code domain} — the domain that publishes the relays, e.g. {@code relays.example.org};
 *       required</li>
 *   <li>{@code service} — the SRV owner prefix; default {@code _solconnect-relay._tcp}</li>
 *   <li>{@code resolver} — the DNS server as {@code ip}, {@code ip:port} or {@code [ipv6]:port};
 *       default: the system's first name server, port 53. When set, it is also this source's
 *       {@link io.solconnect.relay.api.spi.RelayDiscovery#resolver()}: the transport resolves the
 *       relays it found through it at connect time (A then AAAA, each within {@code timeout})</li>
 *   <li>{@code timeout} — limit on each DNS query (UDP, then TCP if truncated); default {@code 3s}</li>
 *   <li>{@code deadline} — limit on one whole lookup, every query included; at least
 *       {@code 100ms}; default {@code 10s}</li>
 *   <li>{@code maxRelays} — cap on relays kept per lookup, 1..10,000; default 64</li>
 *   <li>{@code minRefresh} — shortest time before the next lookup, used for small TTLs;
 *       default {@code 5s}</li>
 *   <li>{@code maxRefresh} — longest time before the next lookup, used for large TTLs;
 *       default {@code 60m} (one hour)</li>
 *   <li>{@code retryAfter} — time before the next lookup after a failed one; default {@code 30s}</li>
 * </ul>
 * Durations take {@code 250ms}, {@code 2s}, {@code 5m} or ISO-8601 ({@code PT1H}).
 *
 * <p>The next lookup is due after the smallest TTL of the records used, clamped to
 * [{@code minRefresh}, {@code maxRefresh}]. A failed lookup (NXDOMAIN, SERVFAIL, timeout, no
 * answer, a malformed response, or nothing usable) publishes a
 * {@link io.solconnect.relay.api.RelayEvent.DiscoveryFailed} whose message names the case; the
 * source then returns its last good list with {@code retryAfter}, or the error when it never had
 * one ({@code TIMEOUT} for a timeout, {@code BAD_INPUT} for a malformed response, {@code IO} for an
 * unreachable server, {@code DISCOVERY_FAILED} otherwise).
 */
public final class DnsDiscoveryProvider implements DiscoveryProvider {

    /** Creates the provider; ServiceLoader calls this. */
    public DnsDiscoveryProvider() {
    }

    /** Returns {@code "dns"}. */
    @Override
    public String name() {
        return "dns";
    }

    /**
     * Checks the settings and builds a source; no DNS query is made here.
     *
     * @param context the settings and the client configuration
     * @return the source, or an {@code INVALID_CONFIG} error naming the bad setting
     */
    @Override
    public Result<RelayDiscovery> create(PluginContext context) {
        return DnsSettings.parse(context).<RelayDiscovery>map(s -> new DnsDiscovery(s, context));
    }
}
