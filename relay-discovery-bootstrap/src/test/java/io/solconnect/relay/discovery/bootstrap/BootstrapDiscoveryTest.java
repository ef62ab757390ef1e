package io.solconnect.relay.discovery.bootstrap;

import com.sun.net.httpserver.HttpHandler;
import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.ProviderChoice;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.RelayError;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.spi.DiscoveryResult;
import io.solconnect.relay.api.spi.PluginContext;
import io.solconnect.relay.api.spi.RelayDiscovery;
import io.solconnect.relay.api.spi.RelayPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static io.solconnect.relay.discovery.bootstrap.TestHttps.respond;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code bootstrap} source against real HTTPS servers on loopback, with hostile answers. */
class BootstrapDiscoveryTest {

    static final String JSON = "application/json";
    static final String GOOD = """
            {"relays": [
              {"url": "wss://relay1.example.org/ws", "region": "eu-west", "priority": 1, "maxConnections": 5000, "weight": 3},
              {"url": "wss://relay2.example.org/ws"}
            ], "generated": {"at": "2026-11-24T12:00:00Z"}}""";

    @TempDir
    static Path dir;
    static TestHttps tls;
    static TestHttps.Server server;
    static TestHttps.Server wrongHost;
    static final AtomicInteger PATHS = new AtomicInteger();
    static final CountDownLatch SLOW_DNS = new CountDownLatch(1);

    /**
     * The other side of name resolution for these tests (the machine has no DNS for example.org):
     * a fixed table. The JDK resolver itself is what production uses.
     */
    static final HostResolver NAMES = host -> {
        switch (host) {
            case "corp-relay.example.org" -> {
                return List.of(InetAddress.getByName("10.0.0.7"));
            }
            case "dual.example.org" -> {
                return List.of(InetAddress.getByName("192.0.2.5"), InetAddress.getByName("fd00::5"));
            }
            case "slow.example.org" -> {
                try {
                    SLOW_DNS.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new UnknownHostException(host);
            }
            default -> {
                if (host.endsWith(".example.org") && !host.startsWith("gone.")) {
                    return List.of(InetAddress.getByName("192.0.2." + (1 + Math.floorMod(host.hashCode(), 250))));
                }
                throw new UnknownHostException(host);
            }
        }
    };

    @BeforeAll
    static void start() throws Exception {
        tls = TestHttps.create(dir);
        server = tls.start("good");
        wrongHost = tls.start("wrong");
        // The first TLS exchange of a JVM loads and initialises a lot; do it once, without a tight limit.
        String warm = serve(respond(200, JSON, bytes(GOOD)));
        new Source(List.of(server.url(warm)), Map.of("timeout", "60s")).discovery.discover().orElseThrow();
    }

    @AfterAll
    static void stop() {
        SLOW_DNS.countDown();
        if (tls != null) {
            tls.close();
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A fresh path on the good server answering with the handler. */
    static String serve(HttpHandler h) {
        String path = "/p" + PATHS.incrementAndGet() + "/relays.json";
        server.paths.put(path, h);
        return path;
    }

    static final class Source {
        final List<RelayEvent> events = new CopyOnWriteArrayList<>();
        final RelayDiscovery discovery;

        Source(List<String> urls, Map<String, String> extra) {
            this(urls, extra, RelayPolicy.refuseNothing(), NAMES);
        }

        Source(List<String> urls, Map<String, String> extra, RelayPolicy policy, HostResolver resolver) {
            Map<String, String> s = new HashMap<>(extra);
            s.put("urls", String.join(",", urls));
            s.put("truststore", tls.truststore.toString());
            s.put("truststorePassword", TestHttps.PASSWORD);
            s.putIfAbsent("timeout", "20s");
            RelayConfig config = RelayConfig.custom().relays(List.of())
                    .discovery(List.of(ProviderChoice.of("bootstrap", s))).build();
            PluginContext ctx = new PluginContext("bootstrap", s, config, new TestScheduler(), events::add, policy);
            discovery = new BootstrapDiscovery(BootstrapSettings.parse(ctx).orElseThrow(), ctx, resolver);
        }

        List<RelayError> failures() {
            return events.stream().filter(e -> e instanceof RelayEvent.DiscoveryFailed)
                    .map(e -> ((RelayEvent.DiscoveryFailed) e).error()).toList();
        }
    }

    @Test
    void readsTheRelayListWithMetadataAndMaxAge() {
        String path = serve(respond(200, "application/json; charset=utf-8", bytes(GOOD), "Cache-Control", "public, max-age=120"));
        Source src = new Source(List.of(server.url(path)), Map.of());
        DiscoveryResult r = src.discovery.discover().orElseThrow();
        assertEquals(2, r.relays().size());
        RelayEndpoint one = r.relays().get(0);
        assertEquals("wss://relay1.example.org/ws", one.id());
        assertEquals("eu-west", one.region());
        assertEquals(1, one.priority());
        assertEquals(5000, one.maxConnections());
        assertEquals(3, one.weight());
        assertEquals("wss://relay2.example.org/ws", r.relays().get(1).id());
        assertEquals(Duration.ofSeconds(120), r.refreshAfter());
        assertEquals(List.of(), r.rejected());
        assertEquals(List.of(), src.events);
    }

    static HttpHandler drip() {
        return ex -> {
            ex.getResponseHeaders().add("Content-Type", JSON);
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                for (byte b : bytes(GOOD)) {
                    out.write(b);
                    out.flush();
                    Thread.sleep(1000); // the hostile server's pace: one byte a second
                }
            } catch (IOException | InterruptedException clientGaveUp) {
                // expected: the client stops reading at its deadline
            }
            ex.close();
        };
    }

    static Stream<Arguments> hostileAnswers() {
        byte[] tenMegabytes = new byte[10 * 1024 * 1024];
        Arrays.fill(tenMegabytes, (byte) ' ');
        tenMegabytes[0] = '{';
        String deep = "{\"relays\": [], \"x\": " + "[".repeat(10_000) + "]".repeat(10_000) + "}";
        String html = "<!DOCTYPE html><html><body><form action=/login>Welcome to Airport WiFi</form></body></html>";
        return Stream.of(
                Arguments.of("empty body", respond(200, JSON, new byte[0]), ErrorCode.BAD_INPUT, "empty body"),
                Arguments.of("null", respond(200, JSON, bytes("null")), ErrorCode.BAD_INPUT,
                        "the top level must be an object {\"relays\": [...]}, was null"),
                Arguments.of("array", respond(200, JSON, bytes("[" + GOOD + "]")), ErrorCode.BAD_INPUT,
                        "the top level must be an object {\"relays\": [...]}, was an array"),
                Arguments.of("10 MB", respond(200, JSON, tenMegabytes), ErrorCode.TOO_LARGE,
                        "body is larger than maxBytes=1048576"),
                Arguments.of("deep nesting", respond(200, JSON, bytes(deep)), ErrorCode.BAD_INPUT,
                        "the JSON exceeds a parser limit (nesting depth 16"),
                Arguments.of("duplicate keys", respond(200, JSON, bytes("{\"relays\": [], \"relays\": []}")),
                        ErrorCode.BAD_INPUT, "duplicate key 'relays' at the top level"),
                Arguments.of("not JSON", respond(200, JSON, bytes("{\"relays\": [}")), ErrorCode.BAD_INPUT,
                        "the body is not valid JSON"),
                Arguments.of("no relays", respond(200, JSON, bytes("{\"relay\": []}")), ErrorCode.BAD_INPUT,
                        "the object has no 'relays' array"),
                Arguments.of("captive portal", respond(200, "text/html; charset=utf-8", bytes(html)), ErrorCode.BAD_INPUT,
                        "with Content-Type 'text/html' instead of application/json (an HTML page: a captive portal"),
                Arguments.of("redirect", respond(302, "text/html", bytes("moved"), "Location",
                        "https://evil.example/relays.json"), ErrorCode.FORBIDDEN,
                        "answered 302 redirecting to https://evil.example/relays.json: redirects are not followed"),
                Arguments.of("HTTP 503", respond(503, "text/plain", bytes("down")), ErrorCode.DISCOVERY_FAILED,
                        "answered HTTP 503"),
                Arguments.of("nothing usable", respond(200, JSON, bytes("{\"relays\": [{\"url\": \"http://a.example.org/\"}]}")),
                        ErrorCode.DISCOVERY_FAILED, "found no usable relay: 1 entries rejected"),
                Arguments.of("emptied list", respond(200, JSON, bytes("{\"relays\": []}")),
                        ErrorCode.DISCOVERY_FAILED, "found no usable relay: 0 entries rejected"),
                Arguments.of("drip", drip(), ErrorCode.TIMEOUT, "did not finish within 2000 ms"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileAnswers")
    void aHostileAnswerGivesAClearEventAndKeepsTheLastGoodList(String name, HttpHandler hostile, ErrorCode code,
                                                                String message) {
        String path = serve(respond(200, JSON, bytes(GOOD)));
        // Only the drip needs a short limit: it is what the test waits for.
        Map<String, String> timeout = Map.of("timeout", name.equals("drip") ? "2s" : "20s");
        Source src = new Source(List.of(server.url(path)), timeout);
        DiscoveryResult good = src.discovery.discover().orElseThrow();

        server.paths.put(path, hostile);
        DiscoveryResult kept = src.discovery.discover().orElseThrow();
        assertEquals(good.relays(), kept.relays(), "no known good relay is lost");
        assertEquals(Duration.ofSeconds(30), kept.refreshAfter(), "retryAfter");
        assertEquals(1, src.failures().size(), src.events.toString());
        RelayError e = src.failures().get(0);
        assertEquals(code, e.code(), e.toString());
        assertTrue(e.message().startsWith("bootstrap " + server.url(path)), e.message());
        assertTrue(e.message().contains(message), e.message());

        Source fresh = new Source(List.of(server.url(path)), timeout);
        assertEquals(e.code(), fresh.discovery.discover().failure().orElseThrow().code(), "no earlier list: the error");
    }

    @Test
    void badEntriesAreRejectedOneByOneAndTheRestKept() {
        String doc = """
                {"relays": [
                  {"url": "wss://ok1.example.org/"},
                  {"url": "http://plain.example.org/"},
                  {"url": "file:///etc/passwd"},
                  {"url": "javascript:alert(1)"},
                  {"url": "wss://user:secret@ok2.example.org/"},
                  {"url": "ws://ok3.example.org/"},
                  {"url": "wss://10.0.0.1/"},
                  {"url": "wss://[::ffff:127.0.0.1]/"},
                  {"url": "wss://localhost:8443/"},
                  {"url": "wss://ok4.example.org:99999/"},
                  {"url": 42},
                  {"url": "wss://ok5.example.org/", "priority": "high"},
                  {"url": "wss://ok6.example.org/", "priority": 1.5},
                  {"url": "wss://ok7.example.org/", "weight": 99999999999999},
                  {"url": "wss://ok8.example.org/", "region": ["eu"]},
                  {"url": "wss://ok9.example.org/", "url": "wss://evil.example.org/"},
                  {"url": "wss://ok10.example.org/", "colour": "blue"},
                  {"region": "eu-west"},
                  "wss://ok11.example.org/",
                  null,
                  {"url": "wss://ok12.example.org/", "region": "eu\\r\\nwest"},
                  {"url": "wss://ok1.example.org/"},
                  {"url": "wss://ok13.example.org/", "maxConnections": 0},
                  {"url": "wss://ok14.example.org/", "priority": 2, "region": "us-east"}
                ]}""";
        String path = serve(respond(200, JSON, bytes(doc)));
        Source src = new Source(List.of(server.url(path)), Map.of());
        DiscoveryResult r = src.discovery.discover().orElseThrow();
        // The address, scheme and region policy is the engine's (tested in relay-core's RelayAdmissionTest
        // with relays[5..8] and relays[20]); this source only refuses what is not a relay entry at all.
        assertEquals(List.of("wss://ok1.example.org/", "ws://ok3.example.org/", "wss://10.0.0.1/",
                "wss://[::ffff:127.0.0.1]/", "wss://ok12.example.org/", "wss://ok14.example.org/"),
                r.relays().stream().map(RelayEndpoint::id).toList());
        String all = String.join("\n", r.rejected());
        for (String expected : List.of(
                "relays[1] (http://plain.example.org/): url scheme must be ws or wss, was 'http'",
                "relays[2] (file:///etc/passwd): url scheme must be ws or wss, was 'file'",
                "relays[3] (javascript:alert(1)): url scheme must be ws or wss, was 'javascript'",
                "relays[4] (wss://***@ok2.example.org/): url must not contain userinfo",
                "relays[9] (wss://ok4.example.org:99999/): url",
                "relays[10]: 'url' must be a string, was a number",
                "relays[11] (wss://ok5.example.org/): 'priority' must be an integer, was a string",
                "relays[12] (wss://ok6.example.org/): 'priority' must be an integer, was a number with a fraction",
                "relays[13] (wss://ok7.example.org/): 'weight' must be an integer, was an integer out of range",
                "relays[14] (wss://ok8.example.org/): 'region' must be a string, was an array",
                "duplicate key 'url'",
                "relays[16] (wss://ok10.example.org/): unknown key 'colour'",
                "relays[17]: 'url' is missing",
                "relays[18]: an entry must be an object, was a string",
                "relays[19]: an entry must be an object, was null",
                "relays[15] (wss://ok9.example.org/): duplicate key 'url'",
                "relays[8] (wss://localhost:8443/): host 'localhost' does not resolve",
                "relays[21] (wss://ok1.example.org/): duplicate of relay wss://ok1.example.org/",
                "relays[22] (wss://ok13.example.org/): maxConnections must be at least 1, was 0")) {
            assertTrue(all.contains(expected), "missing '" + expected + "' in\n" + all);
        }
        assertEquals(18, r.rejected().size(), all);
        assertEquals(List.of(), src.failures(), "the engine reports the rejected lines of a good lookup");
        assertTrue(r.rejected().stream().allMatch(line -> line.chars().noneMatch(Character::isISOControl)), all);
        assertTrue(!all.contains("secret"), "credentials are not echoed");
    }

    @Test
    void hostNamesAreResolvedAndTheirAddressesReported() {
        String doc = """
                {"relays": [
                  {"url": "wss://ok.example.org/"},
                  {"url": "wss://corp-relay.example.org/"},
                  {"url": "wss://dual.example.org/"},
                  {"url": "wss://gone.example.org/"},
                  {"url": "wss://slow.example.org/"},
                  {"url": "wss://192.0.2.99:8443/"}
                ]}""";
        String path = serve(respond(200, JSON, bytes(doc)));
        Source src = new Source(List.of(server.url(path)), Map.of("timeout", "2s"));
        DiscoveryResult r = src.discovery.discover().orElseThrow();
        assertEquals(List.of("wss://ok.example.org/", "wss://corp-relay.example.org/", "wss://dual.example.org/",
                "wss://192.0.2.99:8443/"), r.relays().stream().map(RelayEndpoint::id).toList());
        // every resolved address is reported; the engine refuses corp-relay (10.0.0.7) and dual (fd00::5)
        assertEquals(List.of(address("10.0.0.7")), r.addresses().get("wss://corp-relay.example.org/"));
        assertEquals(List.of(address("192.0.2.5"), address("fd00::5")), r.addresses().get("wss://dual.example.org/"));
        assertFalse(r.addresses().containsKey("wss://192.0.2.99:8443/"), "a literal is not resolved");
        String all = String.join("\n", r.rejected());
        assertTrue(all.contains("relays[3] (wss://gone.example.org/): host 'gone.example.org' does not resolve"), all);
        assertTrue(all.contains("relays[4] (wss://slow.example.org/): host 'slow.example.org' did not resolve within"
                + " 2000 ms"), all);
        assertEquals(2, r.rejected().size(), all);
        assertEquals(List.of(), src.failures());

        Map<String, String> s = Map.of("urls", server.url(path), "resolveHosts", "false",
                "truststore", tls.truststore.toString(), "truststorePassword", TestHttps.PASSWORD);
        RelayConfig config = RelayConfig.custom().relays(List.of())
                .discovery(List.of(ProviderChoice.of("bootstrap", s))).build();
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger(BootstrapDiscovery.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> warnings =
                new ch.qos.logback.core.read.ListAppender<>();
        warnings.start();
        logger.addAppender(warnings);
        RelayDiscovery unresolved;
        try {
            unresolved = new BootstrapDiscoveryProvider()
                    .create(new PluginContext("bootstrap", s, config, new TestScheduler(), e -> { })).orElseThrow();
        } finally {
            logger.detachAppender(warnings);
        }
        assertTrue(warnings.list.stream().anyMatch(w -> w.getLevel() == ch.qos.logback.classic.Level.WARN
                && w.getFormattedMessage().startsWith("bootstrap.resolveHosts=false: relay host names from this source are NOT")),
                "resolveHosts=false is warned about loudly: " + warnings.list);
        assertEquals(6, unresolved.discover().orElseThrow().relays().size(), "resolveHosts=false trusts names");
        assertEquals(Map.of(), unresolved.discover().orElseThrow().addresses());
        unresolved.close();
    }

    @Test
    void aHundredThousandRelaysAreCapped() {
        StringBuilder doc = new StringBuilder("{\"relays\": [");
        for (int i = 0; i < 100_000; i++) {
            doc.append(i == 0 ? "" : ",").append("{\"url\": \"wss://r").append(i).append(".example.org/\"}");
        }
        doc.append("]}");
        String path = serve(respond(200, JSON, bytes(doc.toString())));
        Source src = new Source(List.of(server.url(path)), Map.of("maxBytes", String.valueOf(8 << 20)));
        DiscoveryResult r = src.discovery.discover().orElseThrow();
        assertEquals(64, r.relays().size());
        assertEquals(List.of("99936 more relays over the cap of maxRelays=64 were ignored"), r.rejected());

        Source small = new Source(List.of(server.url(path)), Map.of());
        RelayError e = small.discovery.discover().failure().orElseThrow();
        assertEquals(ErrorCode.TOO_LARGE, e.code(), "the default maxBytes of 1 MiB stops the same body");
    }

    @Test
    void etagAndCacheControlDriveTheNextLookup() {
        String path = serve(ex -> {
            boolean same = "\"v1\"".equals(ex.getRequestHeaders().getFirst("If-None-Match"));
            respond(same ? 304 : 200, JSON, same ? new byte[0] : bytes(GOOD), "ETag", "\"v1\"",
                    "Cache-Control", same ? "max-age=90" : "max-age=600", "Age", "100").handle(ex);
        });
        Source src = new Source(List.of(server.url(path)), Map.of());
        DiscoveryResult first = src.discovery.discover().orElseThrow();
        assertEquals(Duration.ofSeconds(500), first.refreshAfter(), "max-age minus Age");
        DiscoveryResult second = src.discovery.discover().orElseThrow();
        assertEquals(first.relays(), second.relays());
        assertEquals(Duration.ofSeconds(30), second.refreshAfter(), "max-age 90 minus Age 100, raised to minRefresh");
        int n = server.ifNoneMatch.size();
        assertEquals(List.of("-", "\"v1\""), server.ifNoneMatch.subList(n - 2, n));
        assertEquals(List.of(), src.events);

        String noCache = serve(respond(200, JSON, bytes(GOOD), "Cache-Control", "no-cache"));
        assertEquals(Duration.ofSeconds(30), new Source(List.of(server.url(noCache)), Map.of()).discovery.discover()
                .orElseThrow().refreshAfter());
        String none = serve(respond(200, JSON, bytes(GOOD)));
        assertEquals(Duration.ofMinutes(5), new Source(List.of(server.url(none)), Map.of()).discovery.discover()
                .orElseThrow().refreshAfter());
        String huge = serve(respond(200, JSON, bytes(GOOD), "Cache-Control", "max-age=99999999"));
        assertEquals(Duration.ofHours(1), new Source(List.of(server.url(huge)), Map.of()).discovery.discover()
                .orElseThrow().refreshAfter());
    }

    @Test
    void aCertificateForTheWrongHostIsRefusedAndTheNextUrlTried() {
        wrongHost.paths.put("/relays.json", respond(200, JSON, bytes(GOOD)));
        Source only = new Source(List.of(wrongHost.url("/relays.json")), Map.of());
        RelayError e = only.discovery.discover().failure().orElseThrow();
        assertEquals(ErrorCode.IO, e.code());
        assertTrue(e.message().contains("TLS handshake failed")
                && e.message().contains("No subject alternative names matching IP address 127.0.0.1"), e.message());
        assertEquals(List.of(e), only.failures());

        String path = serve(respond(200, JSON, bytes(GOOD)));
        Source both = new Source(List.of(wrongHost.url("/relays.json"), server.url(path)), Map.of());
        assertEquals(2, both.discovery.discover().orElseThrow().relays().size());
        assertEquals(1, both.failures().size());
    }

    @Test
    void whenEveryUrlFailsTheErrorNamesEachOne() {
        String down = serve(respond(503, "text/plain", bytes("down")));
        String portal = serve(respond(200, "text/html", bytes("<html>login</html>")));
        Source src = new Source(List.of(server.url(down), server.url(portal)), Map.of());
        RelayError e = src.discovery.discover().failure().orElseThrow();
        assertEquals(ErrorCode.DISCOVERY_FAILED, e.code());
        assertTrue(e.message().startsWith("all 2 bootstrap URLs failed: "), e.message());
        assertTrue(e.message().contains("HTTP 503") && e.message().contains("captive portal"), e.message());
        assertEquals(2, src.failures().size());
    }

    @Test
    void theJdkTrustStoreDoesNotTrustTheTestCertificate() {
        String path = serve(respond(200, JSON, bytes(GOOD)));
        Map<String, String> s = Map.of("urls", server.url(path));
        RelayConfig config = RelayConfig.custom().relays(List.of())
                .discovery(List.of(ProviderChoice.of("bootstrap", s))).build();
        RelayDiscovery d = new BootstrapDiscoveryProvider()
                .create(new PluginContext("bootstrap", s, config, new TestScheduler(), e -> { })).orElseThrow();
        RelayError e = d.discover().failure().orElseThrow();
        assertEquals(ErrorCode.IO, e.code());
        assertTrue(e.message().contains("TLS handshake failed"), e.message());
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void relaysTheEnginesPolicyRefusesByNameAreNeverLookedUp() {
        String doc = """
                {"relays": [
                  {"url": "wss://printer.local/"},
                  {"url": "wss://ok.example.org/"}
                ]}""";
        String path = serve(respond(200, JSON, bytes(doc)));
        List<String> asked = new CopyOnWriteArrayList<>();
        HostResolver recording = host -> {
            asked.add(host);
            return NAMES.resolve(host);
        };
        RelayPolicy engine = relay -> relay.url().getHost().endsWith(".local")
                ? java.util.Optional.of("host is in a local-only domain") : java.util.Optional.empty();
        Source src = new Source(List.of(server.url(path)), Map.of(), engine, recording);
        DiscoveryResult r = src.discovery.discover().orElseThrow();
        assertEquals(List.of("wss://ok.example.org/"), r.relays().stream().map(RelayEndpoint::id).toList());
        assertEquals(List.of("relays[0] (wss://printer.local/): host is in a local-only domain"), r.rejected());
        assertEquals(List.of("ok.example.org"), asked);
    }
}
