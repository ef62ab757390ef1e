package io.solconnect.relay.discovery.bootstrap;

import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.ProviderChoice;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayError;
import io.solconnect.relay.api.spi.DiscoveryProvider;
import io.solconnect.relay.api.spi.PluginContext;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BootstrapSettingsTest {

    static PluginContext context(Map<String, String> settings) {
        RelayConfig config = RelayConfig.custom().relays(List.of())
                .discovery(List.of(ProviderChoice.of("bootstrap"))).build();
        return new PluginContext("bootstrap", settings, config, new TestScheduler(), e -> { });
    }

    private static RelayError error(Map<String, String> settings) {
        return new BootstrapDiscoveryProvider().create(context(settings)).failure().orElseThrow();
    }

    @Test
    void theProviderIsRegisteredForTheModulePathAndTheClassPath() throws Exception {
        assertEquals("bootstrap", new BootstrapDiscoveryProvider().name());
        assertTrue(BootstrapDiscoveryProvider.class.getModule().getDescriptor().provides().stream()
                .anyMatch(p -> p.service().equals(DiscoveryProvider.class.getName())
                        && p.providers().equals(List.of(BootstrapDiscoveryProvider.class.getName()))));
        try (var in = BootstrapDiscoveryProvider.class.getModule()
                .getResourceAsStream("META-INF/services/" + DiscoveryProvider.class.getName())) {
            assertEquals(BootstrapDiscoveryProvider.class.getName(),
                    new String(in.readAllBytes(), StandardCharsets.UTF_8).strip());
        }
    }

    @Test
    void badSettingsAreInvalidConfigNamingTheKey() {
        assertEquals(ErrorCode.INVALID_CONFIG, error(Map.of()).code());
        assertTrue(error(Map.of()).message().startsWith("bootstrap.urls is required"));
        assertTrue(error(Map.of("urls", "http://relays.example.org/list.json")).message()
                .startsWith("bootstrap.urls must be https:// URLs"));
        assertTrue(error(Map.of("urls", "https://u:p@relays.example.org/")).message().contains("no userinfo"));
        assertTrue(error(Map.of("urls", "https://a.example.org/, file:///etc/x")).message().contains("https://"));
        assertTrue(error(Map.of("urls", "https://a.example.org/", "url", "x")).message()
                .startsWith("bootstrap.url is not a setting"));
        assertTrue(error(Map.of("urls", "https://a.example.org/", "maxBytes", "10")).message()
                .startsWith("bootstrap.maxBytes must be"));
        assertTrue(error(Map.of("urls", "https://a.example.org/", "truststorePassword", "x")).message()
                .contains("truststore is not"));
    }

    @Test
    void aMissingTruststoreIsReportedWhenFirstUsed() {
        var d = new BootstrapDiscoveryProvider().create(context(Map.of("urls", "https://127.0.0.1:9/",
                "truststore", "/nonexistent/trust.p12"))).orElseThrow();
        RelayError e = d.discover().failure().orElseThrow();
        assertEquals(ErrorCode.INVALID_CONFIG, e.code());
        assertTrue(e.message().startsWith("bootstrap.truststore '/nonexistent/trust.p12' could not be loaded"));
    }
}
