package io.solconnect.relay.discovery.dns;

import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.Scheduler;
import io.solconnect.relay.api.spi.HostResolver;
import io.solconnect.relay.api.spi.Untrusted;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Resolves relay host names at connect time through the DNS server a {@code dns} source was
 * configured with ({@code resolver}), so that relays found in a zone only that server knows can be
 * connected, and so that the transport checks the addresses this server gives now (not the system
 * resolver's). Asks A then AAAA, each within the source's {@code timeout}, the pair within twice
 * that. Thread-safe: lookups are serialised on this object (they share one socket configuration).
 */
final class DnsHostResolver implements HostResolver {

    private final InetSocketAddress server;
    private final Duration timeout;
    private final Scheduler scheduler;
    private DnsQuery query; // guarded by this

    DnsHostResolver(InetSocketAddress server, Duration timeout, Scheduler scheduler) {
        this.server = server;
        this.timeout = timeout;
        this.scheduler = scheduler;
    }

    @Override
    public synchronized Result<List<InetAddress>> resolve(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.indexOf(':') >= 0 || h.matches("[0-9.]+")) {
            try {
                return Result.ok(List.of(InetAddress.getByName(h))); // a literal: parsed, never looked up
            } catch (java.net.UnknownHostException e) {
                return Result.err(ErrorCode.CONNECT_FAILED, "unknown host '" + Untrusted.printable(h) + "': not an address");
            }
        }
        Name name;
        try {
            name = Name.fromString(h.endsWith(".") ? h : h + ".");
        } catch (TextParseException e) {
            return Result.err(ErrorCode.CONNECT_FAILED, "unknown host '" + Untrusted.printable(h) + "': " + e.getMessage());
        }
        DnsQuery dns = query();
        dns.startLookup(timeout.multipliedBy(2));
        Set<InetAddress> out = new LinkedHashSet<>();
        List<String> problems = new ArrayList<>();
        for (int type : new int[] {Type.A, Type.AAAA}) {
            Result<DnsQuery.Answer> a = dns.ask(name, type);
            if (!a.isOk()) {
                problems.add(a.failure().orElseThrow().message());
                continue;
            }
            for (org.xbill.DNS.Record r : a.orElseThrow().records()) {
                out.add(r instanceof ARecord ar ? ar.getAddress() : DnsDiscovery.sixteenBytes((AAAARecord) r));
            }
        }
        if (!out.isEmpty()) {
            return Result.ok(List.copyOf(out));
        }
        return Result.err(ErrorCode.CONNECT_FAILED, "unknown host '" + Untrusted.printable(h) + "': resolver "
                + dns.resolverText() + " has no A or AAAA record for it"
                + (problems.isEmpty() ? "" : " (" + Untrusted.printable(String.join("; ", problems)) + ")"));
    }

    private DnsQuery query() {
        if (query == null) {
            SimpleResolver r = new SimpleResolver(server);
            r.setEDNS(0, 1232, 0, List.of());
            query = new DnsQuery(r, server.getAddress().getHostAddress() + ":" + server.getPort(), timeout,
                    scheduler::nanoTime);
        }
        return query;
    }
}
