package io.solconnect.relay.balancers.internal;

import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.LoadBalancingStrategy;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.spi.LoadBalancer;
import io.solconnect.relay.api.spi.LoadBalancerProvider;
import io.solconnect.relay.api.spi.PluginContext;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Provider registration (module-info and META-INF/services) and the factory. */
class ProvidersTest {

    @Test
    void servicesFileListsEveryProviderAndEachLoads() throws Exception {
        String text;
        try (InputStream in = BalancerFactory.class.getModule().getResourceAsStream(
                "META-INF/services/io.solconnect.relay.api.spi.LoadBalancerProvider")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> classes = text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertEquals(5, classes.size());
        Set<String> names = new java.util.TreeSet<>();
        for (String cls : classes) {
            LoadBalancerProvider p = (LoadBalancerProvider) Class.forName(cls).getConstructor().newInstance();
            names.add(p.name());
        }
        assertEquals(new java.util.TreeSet<>(BalancerFactory.NAMES), names);
    }

    @Test
    void moduleDescriptorProvidesTheSameClasses() {
        Module module = BalancerFactory.class.getModule();
        if (!module.isNamed()) {
            return; // run on the class path: only META-INF/services applies
        }
        Set<String> provided = module.getDescriptor().provides().stream()
                .filter(p -> p.service().equals(LoadBalancerProvider.class.getName()))
                .flatMap(p -> p.providers().stream()).collect(Collectors.toSet());
        Set<String> expected = BalancerFactory.providers().stream().map(p -> p.getClass().getName())
                .collect(Collectors.toSet());
        assertEquals(expected, provided);
        assertEquals(Set.of("io.solconnect.relay.balancers"), module.getDescriptor().exports().stream()
                .map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
    }

    @Test
    void eachProviderBuildsAWorkingBalancer() {
        RelayConfig config = RelayConfig.of(RelayEndpoint.of("wss://a.example.org/"));
        for (LoadBalancerProvider p : BalancerFactory.providers()) {
            LoadBalancer b = p.create(new PluginContext(p.name(), Map.of(), config, new SettingsTest.NoScheduler(),
                    e -> { })).orElseThrow();
            assertTrue(b.pick(Fixtures.relays(3), "room").isPresent(), p.name());
        }
    }

    @Test
    void unknownNameIsAnErrorListingTheNames() {
        var r = BalancerFactory.create("fastest", LoadBalancingStrategy.of("fastest"), Map.of(), "");
        assertEquals(ErrorCode.UNKNOWN_PROVIDER, r.failure().orElseThrow().code());
        assertTrue(r.failure().orElseThrow().message().contains("p2c-ewma"));
    }
}
