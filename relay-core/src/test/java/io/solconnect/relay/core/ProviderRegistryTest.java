package io.solconnect.relay.core;

import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.RelayError;
import io.solconnect.relay.api.spi.DiscoveryProvider;
import io.solconnect.relay.api.spi.StoreProvider;
import io.solconnect.relay.api.spi.TransportProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.spi.ToolProvider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Loads real providers through ServiceLoader: the core's own (module path) plus test providers
 * compiled from test resources into a class-path directory with a META-INF/services file, some of
 * them broken on purpose.
 */
class ProviderRegistryTest {

    @TempDir
    static Path work;

    static ProviderRegistry registry;

    @BeforeAll
    static void compileTestProviders() throws Exception {
        Path src = work.resolve("src/testprov");
        Path classes = work.resolve("classes");
        Files.createDirectories(src);
        Files.createDirectories(classes.resolve("META-INF/services"));
        List<String> javacArgs = new ArrayList<>(List.of("-d", classes.toString(), "-classpath", apiLocation()));
        for (String name : List.of("GoodDiscovery", "DupA", "DupB", "BadNameDiscovery", "ThrowingNameDiscovery",
                "ThrowingCtorDiscovery")) {
            Path f = src.resolve(name + ".java");
            Files.write(f, resource("/test-providers/testprov/" + name + ".java"));
            javacArgs.add(f.toString());
        }
        Files.write(classes.resolve("META-INF/services/io.solconnect.relay.api.spi.DiscoveryProvider"),
                resource("/test-providers/services.txt"));
        ToolProvider javac = ToolProvider.findFirst("javac").orElseThrow(() -> new IllegalStateException("javac not found"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = javac.run(new java.io.PrintStream(out), new java.io.PrintStream(out), javacArgs.toArray(String[]::new));
        assertEquals(0, rc, "javac failed: " + out);
        URLClassLoader loader = new URLClassLoader(new URL[]{classes.toUri().toURL()}, ProviderRegistryTest.class.getClassLoader());
        registry = ProviderRegistry.load(loader);
    }

    private static String apiLocation() throws Exception {
        return Path.of(DiscoveryProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ProviderRegistryTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing test resource " + name);
            }
            return in.readAllBytes();
        }
    }

    @Test
    void selectsByName() {
        assertEquals("testprov.GoodDiscovery", registry.select(DiscoveryProvider.class, "good-one").orElseThrow().getClass().getName());
        assertEquals("static", registry.select(DiscoveryProvider.class, "static").orElseThrow().name());
        assertEquals("file", registry.select(StoreProvider.class, "file").orElseThrow().name());
    }

    @Test
    void unknownNameListsTheNamesFound() {
        RelayError e = registry.select(DiscoveryProvider.class, "dnss").failure().orElseThrow();
        assertEquals(ErrorCode.UNKNOWN_PROVIDER, e.code());
        assertTrue(e.message().contains("'dnss'"), e.message());
        assertTrue(e.message().contains("found: good-one, static, twin"), e.message());
        RelayError none = registry.select(TransportProvider.class, "tyrus").failure().orElseThrow();
        assertTrue(none.message().contains("no transport provider named 'tyrus'; found: none"), none.message());
    }

    @Test
    void duplicateNameIsRefusedNamingBothClasses() {
        RelayError e = registry.select(DiscoveryProvider.class, "twin").failure().orElseThrow();
        assertEquals(ErrorCode.DUPLICATE_PROVIDER, e.code());
        assertTrue(e.message().contains("testprov.DupA") && e.message().contains("testprov.DupB"), e.message());
        assertTrue(registry.problems().stream().anyMatch(p -> p.code() == ErrorCode.DUPLICATE_PROVIDER));
    }

    @Test
    void brokenProvidersAreReportedAndSkipped() {
        List<String> problems = registry.problems().stream().map(RelayError::message).toList();
        assertTrue(problems.stream().anyMatch(p -> p.contains("ThrowingCtorDiscovery")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("testprov.Missing")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("ThrowingNameDiscovery") && p.contains("name()")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("BadNameDiscovery") && p.contains("invalid name")), problems.toString());
        // The good ones after the broken ones in the services file were still loaded.
        assertTrue(registry.names(DiscoveryProvider.class).containsAll(List.of("good-one", "static", "twin")));
        assertTrue(registry.providers().stream().noneMatch(p -> p.className().contains("Throwing") || p.className().contains("BadName")));
    }

    @Test
    void listsProvidersWithTheirModule() {
        List<String> lines = registry.providers().stream().map(ProviderInfo::line).toList();
        assertTrue(lines.contains("discovery static io.solconnect.relay.core"), lines.toString());
        assertTrue(lines.contains("discovery good-one (class path)"), lines.toString());
        assertTrue(lines.contains("store memory io.solconnect.relay.core"), lines.toString());
    }

    @Test
    void rejectsNonSpiTypes() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> registry.select(String.class, "x"));
    }
}
