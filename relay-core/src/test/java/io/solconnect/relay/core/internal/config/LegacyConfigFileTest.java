package io.solconnect.relay.core.internal.config;

import io.solconnect.relay.api.LoadBalancingStrategy;
import io.solconnect.relay.api.ProviderChoice;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Config files written in the flat shape used before the options were grouped still load. */
class LegacyConfigFileTest {

    /** A file as the README documented it before, with every old top-level key. */
    static final String OLD_FILE = """
            {
              "relays": [
                "wss://relay-1.example.org/ws",
                {"url": "wss://relay-2.example.org/ws", "region": "eu-west", "priority": 0, "maxConnections": 5000, "weight": 2}
              ],
              "selectionStrategy": {"algorithm": "round-robin", "stickySession": false, "healthWeight": 0.25},
              "failoverThreshold": 0.4,
              "healthCheckInterval": "2s",
              "maxRetries": 5,
              "pingInterval": "200ms",
              "pingTimeout": "300ms",
              "connectTimeout": "3s",
              "standbyCount": 2,
              "outboxMaxMessages": 500,
              "outboxMaxBytes": 2097152,
              "maxMessageBytes": 65536,
              "backoffInitial": "50ms",
              "backoffMax": "10s",
              "stablePeriod": "20s",
              "ejectionTime": "5s",
              "dedupWindow": "5m",
              "dedupMaxEntries": 5000,
              "allowedSchemes": ["wss", "ws"],
              "allowPrivateAddresses": true,
              "region": "eu-west",
              "sender": "alice",
              "discovery": ["static", {"name": "dns", "settings": {"domain": "relays.example.org"}}],
              "protocol": "solconnect-sync",
              "transport": "tyrus",
              "store": {"name": "file", "settings": {"directory": "/var/lib/my-app/relay"}},
              "healthScorer": "default"
            }
            """;

    @TempDir
    Path dir;

    @Test
    void everyOldKeyLoadsIntoItsGroup() throws IOException {
        Path f = dir.resolve("relay.json");
        Files.writeString(f, OLD_FILE);
        RelayConfig expected = RelayConfig.custom()
                .addRelay("wss://relay-1.example.org/ws")
                .addRelay(RelayEndpoint.builder("wss://relay-2.example.org/ws").region("eu-west").priority(0)
                        .maxConnections(5000).weight(2).build())
                .selectionStrategy(new LoadBalancingStrategy("round-robin", Map.of(), false, 0.25, Map.of()))
                .failoverThreshold(0.4).healthCheckInterval(Duration.ofSeconds(2)).maxRetries(5)
                .pingInterval(Duration.ofMillis(200)).pingTimeout(Duration.ofMillis(300))
                .connectTimeout(Duration.ofSeconds(3)).standbyCount(2)
                .outboxLimits(500, 2097152).maxMessageBytes(65536)
                .backoff(Duration.ofMillis(50), Duration.ofSeconds(10)).stablePeriod(Duration.ofSeconds(20))
                .ejectionTime(Duration.ofSeconds(5)).dedup(Duration.ofMinutes(5), 5000)
                .allowedSchemes(Set.of("ws", "wss")).allowPrivateAddresses(true).region("eu-west").sender("alice")
                .discovery(List.of(ProviderChoice.of("static"), ProviderChoice.of("dns", Map.of("domain", "relays.example.org"))))
                .protocol("solconnect-sync").transport(ProviderChoice.of("tyrus"))
                .store(ProviderChoice.of("file", Map.of("directory", "/var/lib/my-app/relay")))
                .healthScorer(ProviderChoice.of("default"))
                .build();
        assertEquals(expected, ConfigJson.load(f).orElseThrow());
    }

    @Test
    void everyOldKeyIsMoved() {
        // the test file above must keep covering every old key
        for (String old : LegacyKeys.MOVED.keySet()) {
            assertTrue(OLD_FILE.contains("\"" + old + "\":"), "the old-format file lacks " + old);
        }
    }

    @Test
    void oldAndNewShapesMix() {
        RelayConfig c = ConfigJson.parse("""
                {"relays": ["wss://a.b/"], "pingInterval": "1s", "liveness": {"pingTimeout": "2s"}}
                """).orElseThrow();
        assertEquals(Duration.ofSeconds(1), c.liveness().pingInterval());
        assertEquals(Duration.ofSeconds(2), c.liveness().pingTimeout());
    }

    @Test
    void oldAndNewKeyTogetherIsAnErrorNamingBoth() {
        String message = ConfigJson.parse("""
                {"relays": ["wss://a.b/"], "pingInterval": "1s", "liveness": {"pingInterval": "2s"}}
                """).failure().orElseThrow().message();
        assertTrue(message.contains("$.pingInterval is the old name of $.liveness.pingInterval"), message);
        assertTrue(message.contains("keep only $.liveness.pingInterval"), message);
    }

    @Test
    void errorsInOldKeysNameTheNewKeyAndTheOldOne() {
        String type = ConfigJson.parse("{\"relays\": [\"wss://a.b/\"], \"maxRetries\": \"3\"}").failure().orElseThrow().message();
        assertTrue(type.startsWith("$.failover.maxRetries must be a whole number"), type);
        assertTrue(type.contains("given as $.maxRetries"), type);

        String range = ConfigJson.parse("{\"relays\": [\"wss://a.b/\"], \"standbyCount\": 9}").failure().orElseThrow().message();
        assertTrue(range.startsWith("$.failover.standbyCount must be in 0..4, was 9"), range);
        assertTrue(range.contains("given as $.standbyCount"), range);

        String nested = ConfigJson.parse("{\"relays\": [\"wss://a.b/\"], \"protocol\": {\"settings\": {}}}")
                .failure().orElseThrow().message();
        assertTrue(nested.startsWith("$.plugins.protocol.name is missing"), nested);
        assertTrue(nested.contains("given as $.protocol"), nested);
    }

    @Test
    void oldKeyWhereTheGroupIsNotAnObject() {
        Result<RelayConfig> r = ConfigJson.parse("{\"relays\": [\"wss://a.b/\"], \"pingInterval\": \"1s\", \"liveness\": 3}");
        assertTrue(r.failure().orElseThrow().message().startsWith("$.liveness must be an object"), r.toString());
    }

    @Test
    void savedFileIsInTheNewShape() {
        RelayConfig c = ConfigJson.parse(OLD_FILE).orElseThrow();
        com.fasterxml.jackson.databind.node.ObjectNode tree = ConfigJson.toTree(c);
        for (String old : LegacyKeys.MOVED.keySet()) {
            assertTrue(!tree.has(old), "the written file still has the old key " + old);
        }
        assertEquals(c, ConfigJson.parse(ConfigJson.toJson(c)).orElseThrow());
    }
}
