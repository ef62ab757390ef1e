package io.solconnect.relay.discovery.dns;

import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.ProviderChoice;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.RelayError;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.spi.DiscoveryResult;
import io.solconnect.relay.api.spi.PluginContext;
import io.solconnect.relay.api.spi.RelayDiscovery;
import io.solconnect.relay.api.spi.RelayPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code dns} source against a real dnsmasq answering on a loopback port. */
class DnsDiscoveryDnsmasqTest {

    private static final String SRV = "srv-host=_solconnect-relay._tcp.";

    @TempDir
    static Path dir;
    static Dnsmasq dns;

    @BeforeAll
    static void startDnsmasq() throws Exception {
        List<String> zone = new ArrayList<>(List.of(
                // normal: two relays with metadata
                SRV + "good.example.test,relay1.example.test,8443,10,5",
                SRV + "good.example.test,relay2.example.test,443,20,1",
                "host-record=relay1.example.test,192.0.2.10",
                "host-record=relay2.example.test,192.0.2.20,2001:db8::20",
                "txt-record=relay1.example.test,region=eu-west,path=/ws,maxConnections=5000,v=spf1 -all",
                "txt-record=relay2.example.test,region=us-east",
                // target "." and port 0 next to one good relay
                SRV + "mixed.example.test,relay1.example.test,8443,10,5",
                SRV + "mixed.example.test,relay1.example.test,0,10,5",
                SRV + "none.example.test",
                SRV + "mixed.example.test,nowhere.example.test,443,30,1",
                // targets in forbidden ranges, plus one public
                SRV + "private.example.test,ten.example.test,443,1,1",
                SRV + "private.example.test,loop.example.test,443,1,1",
                SRV + "private.example.test,linklocal.example.test,443,1,1",
                SRV + "private.example.test,cgnat.example.test,443,1,1",
                SRV + "private.example.test,ula.example.test,443,1,1",
                SRV + "private.example.test,mapped.example.test,443,1,1",
                SRV + "private.example.test,mixedaddr.example.test,443,1,1",
                SRV + "private.example.test,localhost,443,1,1",
                SRV + "private.example.test,relay1.example.test,443,5,1",
                "host-record=ten.example.test,10.1.2.3",
                "host-record=loop.example.test,127.0.0.1",
                "host-record=linklocal.example.test,169.254.169.254",
                "host-record=cgnat.example.test,100.64.0.1",
                "host-record=ula.example.test,fd00::1",
                "host-record=mapped.example.test,::ffff:192.0.2.1",
                "host-record=mixedaddr.example.test,192.0.2.30,fe80::1",
                // plain ws: only acceptable to loopback by default
                SRV + "ws.example.test,plain.example.test,8080,1,1",
                SRV + "ws.example.test,relay1.example.test,8443,2,1",
                "host-record=plain.example.test,192.0.2.40",
                "txt-record=plain.example.test,scheme=ws"));
        for (int i = 0; i < 100; i++) {
            zone.add(SRV + "big.example.test,r" + i + ".big.example.test,443," + (i % 7) + ",1");
            zone.add("host-record=r" + i + ".big.example.test,192.0.2." + (1 + i % 250));
        }
        dns = Dnsmasq.start(dir, 42, zone);
    }

    @AfterAll
    static void stopDnsmasq() throws Exception {
        if (dns != null) {
            dns.close();
        }
    }

    /** The source's resolver answers for its zone at connect time, with every address, in order. */
    @Test
    void theConfiguredResolverResolvesRelaysForTheTransport() throws Exception {
        Source src = new Source("good.example.test", dns.resolver(), false, Map.of());
        io.solconnect.relay.api.spi.HostResolver resolver = src.discovery.resolver().orElseThrow();
        assertEquals(List.of(java.net.InetAddress.getByName("192.0.2.20"), java.net.InetAddress.getByName("2001:db8::20")),
                resolver.resolve("relay2.example.test").orElseThrow());
        var unknown = resolver.resolve("nowhere.example.test");
        assertEquals(io.solconnect.relay.api.ErrorCode.CONNECT_FAILED, unknown.failure().orElseThrow().code());
        assertTrue(unknown.failure().orElseThrow().message().startsWith("unknown host 'nowhere.example.test'"),
                unknown.toString());
        assertEquals(List.of(java.net.InetAddress.getByName("192.0.2.99")), resolver.resolve("192.0.2.99").orElseThrow(),
                "a literal is not looked up");
        // Without a configured server the system resolver is used (empty: the engine's default).
        assertTrue(new DnsDiscoveryProvider().create(new PluginContext("dns", Map.of("domain", "good.example.test"),
                RelayConfig.custom().relays(List.of()).discovery(List.of(ProviderChoice.of("dns",
                        Map.of("domain", "good.example.test")))).build(), new TestScheduler(), e -> { }))
                .orElseThrow().resolver().isEmpty());
    }

    static final class Source {
        final List<RelayEvent> events = new CopyOnWriteArrayList<>();
        final RelayDiscovery discovery;

        Source(String domain, String resolver, boolean allowPrivate, Map<String, String> extra) {
            this(domain, resolver, allowPrivate, extra, RelayPolicy.refuseNothing());
        }

        Source(String domain, String resolver, boolean allowPrivate, Map<String, String> extra, RelayPolicy policy) {
            Map<String, String> s = new HashMap<>(extra);
            s.put("domain", domain);
            s.put("resolver", resolver);
            s.putIfAbsent("timeout", "500ms");
            RelayConfig config = RelayConfig.custom().relays(List.of())
                    .discovery(List.of(ProviderChoice.of("dns", s)))
                    .allowPrivateAddresses(allowPrivate).build();
            PluginContext ctx = new PluginContext("dns", s, config, new TestScheduler(), events::add, policy);
            discovery = new DnsDiscoveryProvider().create(ctx).orElseThrow();
        }

        List<RelayError> failures() {
            return events.stream().filter(e -> e instanceof RelayEvent.DiscoveryFailed)
                    .map(e -> ((RelayEvent.DiscoveryFailed) e).error()).toList();
        }
    }

    @Test
    void readsRelaysWithMetadataAndTtl() {
        Source src = new Source("good.example.test", dns.resolver(), false, Map.of());
        DiscoveryResult r = src.discovery.discover().orElseThrow();
        assertEquals(2, r.relays().size(), r.toString());
        RelayEndpoint one = r.relays().get(0);
        assertEquals("wss://relay1.example.test:8443/ws", one.id());
        assertEquals("eu-west", one.region());
        assertEquals(10, one.priority());
        assertEquals(5, one.weight());
        assertEquals(5000, one.maxConnections());
        RelayEndpoint two = r.relays().get(1);
        assertEquals("wss://relay2.example.test:443/", two.id());
        assertEquals("us-east", two.region());
        assertEquals(RelayEndpoint.DEFAULT_MAX_CONNECTIONS, two.maxConnections());
        assertEquals(Duration.ofSeconds(42), r.refreshAfter(), "the TTL dnsmasq gives its local data");
        assertEquals(List.of(), r.rejected());
        assertEquals(List.of(), src.events);
    }

    @Test
    void targetDotPortZeroAndUnknownTargetsAreRejectedOneByOne() {
        Source src = new Source("mixed.example.test", dns.resolver(), false, Map.of());
        DiscoveryResult r = src.discovery.discover().orElseThrow();
        assertEquals(List.of("wss://relay1.example.test:8443/ws"), r.relays().stream().map(RelayEndpoint::id).toList());
        assertEquals(2, r.rejected().size(), r.rejected().toString());
        assertTrue(r.rejected().stream().anyMatch(s -> s.contains("port 0")), r.rejected().toString());
        assertTrue(r.rejected().stream().anyMatch(s -> s.contains("nowhere.example.test") && s.contains("NXDOMAIN")),
                r.rejected().toString());
        assertEquals(List.of(), src.failures(), "the engine reports the rejected lines of a good lookup");

        Source none = new Source("none.example.test", dns.resolver(), false, Map.of());
        RelayError e = none.discovery.discover().failure().orElseThrow();
        assertEquals(ErrorCode.DISCOVERY_FAILED, e.code());
        assertTrue(e.message().contains("target '.' means the service is not offered"), e.message());
        assertEquals(List.of(e), none.failures());
    }

    /**
     * The address policy is the engine's (relay-core's RelayAdmission, tested there with these same
     * addresses): the source's job is to report each target with every address it resolved to,
     * unchanged, so that nothing escapes the engine's check.
     */
    @Test
    void targetsAreReportedWithEveryResolvedAddressForTheEngineToCheck() throws Exception {
        Source src = new Source("private.example.test", dns.resolver(), false, Map.of());
        DiscoveryResult r = src.discovery.discover().orElseThrow();
        assertEquals(List.of("wss://cgnat.example.test:443/", "wss://linklocal.example.test:443/",
                "wss://loop.example.test:443/", "wss://mapped.example.test:443/", "wss://mixedaddr.example.test:443/",
                "wss://ten.example.test:443/", "wss://ula.example.test:443/", "wss://relay1.example.test:443/ws"),
                r.relays().stream().map(RelayEndpoint::id).toList());
        Map<String, List<InetAddress>> expected = new HashMap<>();
        expected.put("wss://ten.example.test:443/", List.of(InetAddress.getByName("10.1.2.3")));
        expected.put("wss://loop.example.test:443/", List.of(InetAddress.getByName("127.0.0.1")));
        expected.put("wss://linklocal.example.test:443/", List.of(InetAddress.getByName("169.254.169.254")));
        expected.put("wss://cgnat.example.test:443/", List.of(InetAddress.getByName("100.64.0.1")));
        expected.put("wss://ula.example.test:443/", List.of(InetAddress.getByName("fd00::1")));
        expected.put("wss://mixedaddr.example.test:443/", List.of(InetAddress.getByName("192.0.2.30"),
                InetAddress.getByName("fe80::1")));
        expected.put("wss://relay1.example.test:443/ws", List.of(InetAddress.getByName("192.0.2.10")));
        InetAddress mapped = r.addresses().get("wss://mapped.example.test:443/").get(0);
        assertEquals(16, mapped.getAddress().length, "an IPv4-mapped AAAA stays IPv6, so the policy sees it as mapped");
        Map<String, List<InetAddress>> got = new HashMap<>(r.addresses());
        got.remove("wss://mapped.example.test:443/");
        assertEquals(expected, got);
        // dnsmasq refuses questions outside its local zone: without metadata the entry is not guessed at
        assertEquals(1, r.rejected().size(), r.rejected().toString());
        assertTrue(r.rejected().get(0).contains("localhost.: TXT lookup failed: REFUSED"), r.rejected().get(0));
    }

    @Test
    void targetsTheEnginesPolicyRefusesByNameAreNotLookedUp() {
        RelayPolicy engine = relay -> relay.url().getHost().equals("localhost")
                ? Optional.of("host 'localhost' is local-only") : Optional.empty();
        Source src = new Source("private.example.test", dns.resolver(), false, Map.of(), engine);
        DiscoveryResult r = src.discovery.discover().orElseThrow();
        assertEquals(8, r.relays().size());
        // without the check the TXT question for localhost reaches dnsmasq, which refuses it
        assertEquals(List.of("SRV 1 1 443 localhost.: host 'localhost' is local-only"), r.rejected());
    }

    @Test
    void theTxtSchemeIsReportedForTheEngineToJudge() {
        Source src = new Source("ws.example.test", dns.resolver(), false, Map.of());
        DiscoveryResult r = src.discovery.discover().orElseThrow();
        assertEquals(List.of("ws://plain.example.test:8080/", "wss://relay1.example.test:8443/ws"),
                r.relays().stream().map(RelayEndpoint::id).toList());
        assertEquals(List.of(), r.rejected());
    }

    @Test
    void aHundredRecordsAreCappedInPriorityOrder() {
        Source src = new Source("big.example.test", dns.resolver(), false, Map.of("maxRelays", "50"));
        DiscoveryResult r = src.discovery.discover().orElseThrow();
        assertEquals(50, r.relays().size());
        assertTrue(r.relays().stream().allMatch(e -> e.priority() <= 3), "the lowest priorities first");
        assertEquals(List.of("50 more relays over the cap of maxRelays=50 were ignored"), r.rejected());
        assertEquals(List.of(), src.failures(), "the engine reports the rejected lines of a good lookup");
    }

    @Test
    void nxdomainIsReportedAsSuch() {
        Source src = new Source("missing.example.test", dns.resolver(), false, Map.of());
        Result<DiscoveryResult> r = src.discovery.discover();
        RelayError e = r.failure().orElseThrow();
        assertEquals(ErrorCode.DISCOVERY_FAILED, e.code());
        assertTrue(e.message().startsWith("NXDOMAIN: _solconnect-relay._tcp.missing.example.test does not exist"),
                e.message());
        assertEquals(List.of(e), src.failures());
    }

    @Test
    void aStoppedServerTimesOutAndTheLastGoodListIsKept() throws Exception {
        try (Dnsmasq own = Dnsmasq.start(dir, 300, List.of(
                SRV + "good.example.test,relay1.example.test,8443,10,5",
                "host-record=relay1.example.test,192.0.2.10"))) {
            Source src = new Source("good.example.test", own.resolver(), false, Map.of("retryAfter", "7s"));
            DiscoveryResult first = src.discovery.discover().orElseThrow();
            assertEquals(Duration.ofSeconds(300), first.refreshAfter());
            own.close();

            DiscoveryResult again = src.discovery.discover().orElseThrow();
            assertEquals(first.relays(), again.relays(), "no known good relay is lost");
            assertEquals(Duration.ofSeconds(7), again.refreshAfter());
            RelayError e = src.failures().get(0);
            // On loopback a stopped server is usually seen as an unreachable port, else as a timeout.
            assertTrue(e.code() == ErrorCode.IO || e.code() == ErrorCode.TIMEOUT, e.toString());
            assertTrue(e.message().contains("port unreachable") || e.message().contains("DNS timeout"), e.message());
            assertFalse(e.message().contains("NXDOMAIN") || e.message().contains("SERVFAIL"));
        }
    }
}
