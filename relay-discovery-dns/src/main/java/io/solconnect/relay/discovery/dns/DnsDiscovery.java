package io.solconnect.relay.discovery.dns;

import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.RelayError;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.spi.DiscoveredRelays;
import io.solconnect.relay.api.spi.DiscoveryResult;
import io.solconnect.relay.api.spi.HostResolver;
import io.solconnect.relay.api.spi.PluginContext;
import io.solconnect.relay.api.spi.RelayDiscovery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A {@code dns} discovery source (behaviour documented on {@link DnsDiscoveryProvider}).
 * {@link #discover()} and {@link #close()} are synchronized; the engine calls {@code discover}
 * from one thread, never concurrently. Every lookup ends within the {@code deadline} setting
 * (measured on the scheduler's {@link io.solconnect.relay.api.Scheduler#nanoTime()} clock): each
 * query waits at most for what is left of it, and records not reached in time are reported.
 */
final class DnsDiscovery implements RelayDiscovery {

    private static final Logger LOG = LoggerFactory.getLogger(DnsDiscovery.class);

    private final DnsSettings settings;
    private final PluginContext context;
    private DnsQuery query;
    private DiscoveryResult lastGood;
    private boolean closed;

    DnsDiscovery(DnsSettings settings, PluginContext context) {
        this.settings = settings;
        this.context = context;
    }

    @Override
    public synchronized Result<DiscoveryResult> discover() {
        if (closed) {
            return Result.err(ErrorCode.CLOSED, context.providerName() + " discovery is closed");
        }
        Result<DiscoveryResult> fresh = lookup();
        if (fresh.isOk()) {
            lastGood = fresh.orElseThrow();
            LOG.debug("{}: {} relays from {}, next lookup in {}", context.providerName(), lastGood.relays().size(),
                    settings.queryName(), lastGood.refreshAfter());
            return fresh;
        }
        RelayError error = fresh.failure().orElseThrow();
        context.events().accept(new RelayEvent.DiscoveryFailed(context.scheduler().now(), context.providerName(), error));
        if (lastGood == null) {
            LOG.warn("{}: lookup of {} failed and no earlier list exists: {}", context.providerName(),
                    settings.queryName(), error);
            return fresh;
        }
        LOG.warn("{}: lookup of {} failed, keeping the last good list of {} relays: {}", context.providerName(),
                settings.queryName(), lastGood.relays().size(), error);
        return Result.ok(new DiscoveryResult(lastGood.relays(), settings.retryAfter(), List.of()));
    }

    /**
     * With a configured {@code resolver}: that DNS server, so that the transport resolves this
     * source's relays where they were found and checks the addresses it gives at connect time.
     * Without one, the system resolver (empty).
     */
    @Override
    public Optional<HostResolver> resolver() {
        return settings.resolver().map(server -> new DnsHostResolver(server, settings.timeout(), context.scheduler()));
    }

    /** The last list a lookup accepted, for tests and diagnostics. */
    synchronized Optional<DiscoveryResult> lastGood() {
        return Optional.ofNullable(lastGood);
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    private Result<DnsQuery> query() {
        if (query == null) {
            SimpleResolver resolver;
            try {
                resolver = settings.resolver().isPresent() ? new SimpleResolver(settings.resolver().get())
                        : new SimpleResolver();
            } catch (UnknownHostException e) {
                return Result.err(ErrorCode.IO, "no system DNS resolver found: " + e.getMessage());
            }
            // A larger UDP payload keeps ordinary answers off TCP; truncated ones are retried over TCP.
            resolver.setEDNS(0, 1232, 0, List.of());
            String text = resolver.getAddress().getAddress().getHostAddress() + ":" + resolver.getAddress().getPort();
            query = new DnsQuery(resolver, text, settings.timeout(), context.scheduler()::nanoTime);
        }
        return Result.ok(query);
    }

    private Result<DiscoveryResult> lookup() {
        Result<DnsQuery> q = query();
        if (!q.isOk()) {
            return Result.err(q.failure().orElseThrow());
        }
        DnsQuery dns = q.orElseThrow();
        dns.startLookup(settings.deadline());
        Name srvName;
        try {
            srvName = Name.fromString(settings.queryName() + ".");
        } catch (TextParseException e) {
            return Result.err(ErrorCode.INVALID_CONFIG, "bad query name " + settings.queryName() + ": " + e.getMessage());
        }
        Result<DnsQuery.Answer> srv = dns.ask(srvName, Type.SRV);
        if (!srv.isOk()) {
            return Result.err(srv.failure().orElseThrow());
        }
        List<SRVRecord> records = new ArrayList<>();
        for (org.xbill.DNS.Record r : srv.orElseThrow().records()) {
            records.add((SRVRecord) r);
        }
        if (records.isEmpty()) {
            return Result.err(ErrorCode.DISCOVERY_FAILED, "no SRV records at " + settings.queryName()
                    + " (the name exists but has no SRV data; resolver " + dns.resolverText() + ")");
        }
        records.sort(Comparator.comparingInt(SRVRecord::getPriority)
                .thenComparing(Comparator.comparingInt(SRVRecord::getWeight).reversed())
                .thenComparing(r -> r.getTarget().toString())
                .thenComparingInt(SRVRecord::getPort));

        DiscoveredRelays found = new DiscoveredRelays(context.providerName(), settings.maxRelays());
        long minTtl = Long.MAX_VALUE;
        for (SRVRecord r : records) {
            minTtl = Math.min(minTtl, r.getTTL());
        }
        int maxExamined = settings.maxExamined();
        boolean deadlinePassed = false;
        int examined = 0;
        for (int i = 0; i < records.size(); i++) {
            if (found.full()) {
                found.skippedOverCap(records.size() - i);
                break;
            }
            if (examined >= maxExamined) {
                found.reject(settings.queryName(), ErrorCode.BAD_INPUT, (records.size() - i)
                        + " more SRV records not examined: at most 4 x maxRelays = " + maxExamined
                        + " records are examined per lookup, refused ones included");
                break;
            }
            if (dns.remaining().isEmpty()) {
                deadlinePassed = true;
                found.reject(settings.queryName(), ErrorCode.TIMEOUT, (records.size() - i)
                        + " more SRV records not examined: the lookup's deadline of " + settings.deadline()
                        + " passed after " + examined + " of " + records.size());
                break;
            }
            examined++;
            minTtl = Math.min(minTtl, offer(dns, records.get(i), found));
        }
        if (deadlinePassed && found.relays().isEmpty()) {
            return Result.err(ErrorCode.TIMEOUT, "DNS lookup of " + settings.queryName() + " passed its deadline of "
                    + settings.deadline() + " after examining " + examined + " of " + records.size()
                    + " SRV records, with no usable relay (resolver " + dns.resolverText() + ")");
        }
        return found.result(refreshAfter(minTtl));
    }

    /** Looks up one SRV record's target and offers the relay; returns the smallest TTL it used. */
    private long offer(DnsQuery dns, SRVRecord srv, DiscoveredRelays found) {
        String where = "SRV " + srv.getPriority() + " " + srv.getWeight() + " " + srv.getPort() + " "
                + srv.getTarget();
        if (srv.getTarget().equals(Name.root)) {
            found.reject(where, ErrorCode.BAD_INPUT, "target '.' means the service is not offered at this name");
            return Long.MAX_VALUE;
        }
        if (srv.getPort() == 0) {
            found.reject(where, ErrorCode.BAD_INPUT, "port 0 is not a usable port");
            return Long.MAX_VALUE;
        }
        String host = srv.getTarget().toString(true);
        Optional<String> refused = refusedByName(host, srv.getPort());
        if (refused.isPresent()) {
            found.reject(where, ErrorCode.FORBIDDEN, refused.get());
            return Long.MAX_VALUE;
        }
        long ttl = Long.MAX_VALUE;
        Result<DnsQuery.Answer> txt = dns.ask(srv.getTarget(), Type.TXT);
        TxtMetadata meta = TxtMetadata.DEFAULTS;
        if (txt.isOk()) {
            List<TXTRecord> txts = new ArrayList<>();
            for (org.xbill.DNS.Record r : txt.orElseThrow().records()) {
                txts.add((TXTRecord) r);
                ttl = Math.min(ttl, r.getTTL());
            }
            Result<TxtMetadata> parsed = TxtMetadata.parse(txts);
            if (!parsed.isOk()) {
                found.reject(where, ErrorCode.BAD_INPUT, parsed.failure().orElseThrow().message());
                return Long.MAX_VALUE;
            }
            meta = parsed.orElseThrow();
        } else if (!txt.failure().orElseThrow().message().startsWith("NXDOMAIN")) {
            found.reject(where, txt.failure().orElseThrow().code(), "TXT lookup failed: " + txt.failure().orElseThrow().message());
            return Long.MAX_VALUE;
        }
        Set<InetAddress> addresses = new LinkedHashSet<>();
        for (int type : new int[] {Type.A, Type.AAAA}) {
            Result<DnsQuery.Answer> a = dns.ask(srv.getTarget(), type);
            if (!a.isOk()) {
                found.reject(where, a.failure().orElseThrow().code(), Type.string(type) + " lookup failed: "
                        + a.failure().orElseThrow().message());
                return Long.MAX_VALUE;
            }
            for (org.xbill.DNS.Record r : a.orElseThrow().records()) {
                addresses.add(r instanceof ARecord ar ? ar.getAddress() : sixteenBytes((AAAARecord) r));
                ttl = Math.min(ttl, r.getTTL());
            }
        }
        if (addresses.isEmpty()) {
            found.reject(where, ErrorCode.BAD_INPUT, "target " + host + " has no A or AAAA record");
            return Long.MAX_VALUE;
        }
        RelayEndpoint relay;
        try {
            RelayEndpoint.Builder b = RelayEndpoint.builder(meta.scheme() + "://" + host + ":" + srv.getPort() + meta.path())
                    .priority(srv.getPriority())
                    .weight(srv.getWeight())
                    .region(meta.region());
            meta.maxConnections().ifPresent(b::maxConnections);
            relay = b.build();
        } catch (IllegalArgumentException e) {
            found.reject(where, ErrorCode.BAD_INPUT, e.getMessage());
            return Long.MAX_VALUE;
        }
        return found.add(where, relay, addresses) ? ttl : Long.MAX_VALUE;
    }

    /**
     * The engine's verdict on a target by name alone, so that a target it would refuse anyway
     * (a local-only name, a private literal) is not looked up; the engine checks the result again.
     */
    private Optional<String> refusedByName(String host, int port) {
        try {
            return context.relayPolicy().refusal(RelayEndpoint.of("wss://" + host + ":" + port + "/"));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // not a URL host: refused with its reason when the relay is built
        }
    }

    /** Keeps an IPv4-mapped AAAA as IPv6, so that the address policy sees it as IPv4-mapped. */
    static InetAddress sixteenBytes(AAAARecord r) {
        InetAddress a = r.getAddress();
        if (a instanceof Inet4Address) {
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(a.getAddress(), 0, mapped, 12, 4);
            try {
                return Inet6Address.getByAddress(null, mapped, -1);
            } catch (UnknownHostException e) {
                throw new IllegalStateException("16 bytes are always an IPv6 address", e);
            }
        }
        return a;
    }

    private Duration refreshAfter(long ttlSeconds) {
        Duration ttl = Duration.ofSeconds(Math.min(ttlSeconds, settings.maxRefresh().toSeconds() + 1));
        if (ttl.compareTo(settings.minRefresh()) < 0) {
            return settings.minRefresh();
        }
        if (ttl.compareTo(settings.maxRefresh()) > 0) {
            return settings.maxRefresh();
        }
        return ttl;
    }
}
