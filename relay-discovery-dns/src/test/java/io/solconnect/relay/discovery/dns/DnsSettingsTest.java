package io.solconnect.relay.discovery.dns;

import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.ProviderChoice;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayError;
import io.solconnect.relay.api.spi.DiscoveryProvider;
import io.solconnect.relay.api.spi.PluginContext;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DnsSettingsTest {

    static PluginContext context(Map<String, String> settings) {
        RelayConfig config = RelayConfig.custom().relays(List.of())
                .discovery(List.of(ProviderChoice.of("dns"))).build();
        return new PluginContext("dns", settings, config, new TestScheduler(), e -> { });
    }

    private static RelayError error(Map<String, String> settings) {
        return new DnsDiscoveryProvider().create(context(settings)).failure().orElseThrow();
    }

    @Test
    void theProviderIsRegisteredForTheModulePathAndTheClassPath() throws Exception {
        assertEquals("dns", new DnsDiscoveryProvider().name());
        assertTrue(DnsDiscoveryProvider.class.getModule().getDescriptor().provides().stream()
                .anyMatch(p -> p.service().equals(DiscoveryProvider.class.getName())
                        && p.providers().equals(List.of(DnsDiscoveryProvider.class.getName()))));
        try (var in = DnsDiscoveryProvider.class.getModule()
                .getResourceAsStream("META-INF/services/" + DiscoveryProvider.class.getName())) {
            assertEquals(DnsDiscoveryProvider.class.getName(),
                    new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip());
        }
    }

    @Test
    void badSettingsAreInvalidConfigNamingTheKey() {
        assertEquals("dns.domain is required, e.g. 'relays.example.org'", error(Map.of()).message());
        assertEquals(ErrorCode.INVALID_CONFIG, error(Map.of()).code());
        assertTrue(error(Map.of("domain", "x.org", "domian", "y")).message().startsWith("dns.domian is not a setting"));
        assertTrue(error(Map.of("domain", "x.org", "resolver", "dns.google")).message()
                .startsWith("dns.resolver must be an IP address"));
        assertTrue(error(Map.of("domain", "x.org", "resolver", "127.0.0.1:0")).message()
                .startsWith("dns.resolver port must be in 1..65535"));
        assertTrue(error(Map.of("domain", "x.org", "timeout", "soon")).message().startsWith("dns.timeout must be"));
        assertTrue(error(Map.of("domain", "x.org", "maxRelays", "0")).message().startsWith("dns.maxRelays must be"));
        assertEquals("dns.deadline must be at least 100ms, was PT0.05S",
                error(Map.of("domain", "x.org", "deadline", "50ms")).message());
        assertTrue(error(Map.of("domain", "x.org", "service", "_x.\r\n_tcp")).message().startsWith("dns.service"));
        assertTrue(error(Map.of("domain", "ex ample.org")).message().startsWith("dns.domain is not a valid"));
        assertTrue(error(Map.of("domain", "x.org", "minRefresh", "10m", "maxRefresh", "1m")).message()
                .startsWith("dns.maxRefresh must be at least minRefresh"));
    }

    @Test
    void goodSettingsParse() {
        DnsSettings s = DnsSettings.parse(context(Map.of("domain", "relays.example.org.", "resolver", "[::1]:5353",
                "timeout", "250ms", "maxRelays", "10"))).orElseThrow();
        assertEquals("_solconnect-relay._tcp.relays.example.org", s.queryName());
        assertEquals(5353, s.resolver().orElseThrow().getPort());
        assertEquals(10, s.maxRelays());
        assertEquals(java.time.Duration.ofMillis(250), s.timeout());
        assertEquals(java.time.Duration.ofSeconds(10), s.deadline(), "the default deadline");
        assertEquals(40, s.maxExamined());
    }
}
