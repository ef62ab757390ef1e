package io.solconnect.relay.core.internal.config;

import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayError;
import io.solconnect.relay.api.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigJsonTest {

    @TempDir
    Path dir;

    private RelayError loadError(String content) throws IOException {
        Path f = dir.resolve("relay.json");
        Files.writeString(f, content);
        Result<RelayConfig> r = ConfigJson.load(f);
        assertTrue(r.failure().isPresent(), "expected an error for " + content);
        return r.failure().orElseThrow();
    }

    private static void assertMentions(RelayError e, String... parts) {
        for (String p : parts) {
            assertTrue(e.message().contains(p), "error '" + e.message() + "' should mention '" + p + "'");
        }
    }

    @Test
    void loadsFullFile() throws IOException {
        Path f = dir.resolve("relay.json");
        Files.writeString(f, """
                {
                  "relays": ["wss://a.example.org/ws",
                             {"url": "wss://b.example.org", "region": "eu-west", "priority": 2,
                              "maxConnections": 500, "weight": 3, "tags": ["x"]}],
                  "selection": {
                    "strategy": {"algorithm": "round-robin", "stickySession": false, "healthWeight": 0.25,
                                 "weights": {"wss://a.example.org/ws": 2.5}, "settings": {"panic": "0.5"}},
                    "failoverThreshold": 0.4
                  },
                  "liveness": {"pingInterval": "200ms", "pingTimeout": "PT0.3S"},
                  "outbox": {"maxMessages": 50},
                  "failover": {"backoffMax": "1m"},
                  "plugins": {
                    "discovery": ["static", {"name": "dns", "settings": {"domain": "relays.example.org", "ports": ["1", "2"]}}],
                    "protocol": "solconnect-legacy",
                    "store": {"name": "memory"}
                  }
                }
                """);
        RelayConfig c = ConfigJson.load(f).orElseThrow();
        assertEquals(2, c.relays().size());
        assertEquals("eu-west", c.relays().get(1).region());
        assertEquals(3, c.relays().get(1).weight());
        assertEquals("round-robin", c.selection().strategy().algorithm());
        assertEquals(2.5, c.selection().strategy().weights().get("wss://a.example.org/ws"));
        assertEquals(Duration.ofMillis(200), c.liveness().pingInterval());
        assertEquals(Duration.ofMillis(300), c.liveness().pingTimeout());
        assertEquals(Duration.ofMinutes(1), c.failover().backoffMax());
        assertEquals(50, c.outbox().maxMessages());
        assertEquals("1,2", c.plugins().discovery().get(1).settings().get("ports"));
        assertEquals("solconnect-legacy", c.plugins().protocol().name());
        assertEquals("memory", c.plugins().store().name());
        assertEquals("tyrus", c.plugins().transport().name());
    }

    @Test
    void roundTripsThroughJson() {
        RelayConfig c = RelayConfig.custom().addRelay("wss://a.example.org/").addRelay("ws://127.0.0.1:9000/x")
                .pingInterval(Duration.ofMillis(123)).region("us").sender("alice").build();
        assertEquals(c, ConfigJson.parse(ConfigJson.toJson(c)).orElseThrow());
    }

    @Test
    void missingFile() {
        Result<RelayConfig> r = ConfigJson.load(dir.resolve("nope.json"));
        assertEquals(ErrorCode.INVALID_CONFIG, r.failure().orElseThrow().code());
        assertMentions(r.failure().orElseThrow(), "nope.json", "does not exist");
    }

    @Test
    void emptyFile() throws IOException {
        assertMentions(loadError(""), "relay.json", "is empty");
        assertMentions(loadError("   \n"), "is empty");
    }

    @Test
    void notJson() throws IOException {
        assertMentions(loadError("{relays: ]"), "not valid JSON", "line 1");
        assertMentions(loadError("{\"relays\": [\"wss://a.b/\"]} trailing"), "not valid JSON");
    }

    @Test
    void notUtf8() throws IOException {
        Path f = dir.resolve("bin.json");
        Files.write(f, new byte[]{'{', (byte) 0xC3, (byte) 0x28, '}'});
        assertMentions(ConfigJson.load(f).failure().orElseThrow(), "not valid UTF-8");
    }

    @Test
    void duplicateKeys() throws IOException {
        assertMentions(loadError("{\"relays\": [\"wss://a.b/\"], \"relays\": []}"), "Duplicate field 'relays'");
    }

    @Test
    void deepNesting() throws IOException {
        String deep = "[".repeat(100) + "]".repeat(100);
        assertMentions(loadError("{\"relays\": " + deep + "}"), "not valid JSON", "nesting depth");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"relays\": \"wss://a.b/\"}|$.relays|must be an array",
            "{\"relays\": [42]}|$.relays[0]|must be a relay URL string or an object",
            "{\"relays\": [{\"region\": \"x\"}]}|$.relays[0].url|is missing",
            "{\"relays\": [\"wss://a.b/\"], \"failover\": {\"maxRetries\": \"3\"}}|$.failover.maxRetries|must be a whole number",
            "{\"relays\": [\"wss://a.b/\"], \"failover\": {\"maxRetries\": 3.5}}|$.failover.maxRetries|must be a whole number",
            "{\"relays\": [\"wss://a.b/\"], \"selection\": {\"failoverThreshold\": true}}|$.selection.failoverThreshold|must be a number",
            "{\"relays\": [\"wss://a.b/\"], \"liveness\": {\"pingInterval\": 250}}|$.liveness.pingInterval|must be a duration string",
            "{\"relays\": [\"wss://a.b/\"], \"liveness\": {\"pingInterval\": \"soon\"}}|$.liveness.pingInterval|must be a duration string",
            "{\"relays\": [\"wss://a.b/\"], \"security\": {\"allowPrivateAddresses\": \"yes\"}}|$.security.allowPrivateAddresses|must be true or false",
            "{\"relays\": [\"wss://a.b/\"], \"selection\": {\"strategy\": {\"stickySession\": 1}}}|$.selection.strategy.stickySession|must be true or false",
            "{\"relays\": [\"wss://a.b/\"], \"plugins\": {\"protocol\": {\"settings\": {}}}}|$.plugins.protocol.name|is missing",
            "{\"relays\": [\"wss://a.b/\"], \"plugins\": {\"protocol\": \"Bad Name\"}}|$.plugins.protocol|must be a provider name",
            "{\"relays\": [\"wss://a.b/\"], \"liveness\": 5}|$.liveness|must be an object",
            "[]|$|must be a JSON object",
            "null|$|must be a JSON object",
    })
    void wrongTypes(String json, String path, String problem) throws IOException {
        assertMentions(loadError(json), path, problem);
    }

    @Test
    void unknownKey() throws IOException {
        assertMentions(loadError("{\"relays\": [\"wss://a.b/\"], \"liveness\": {\"pingIntervall\": \"1s\"}}"),
                "$.liveness.pingIntervall", "is not a known key", "pingInterval");
        assertMentions(loadError("{\"relays\": [\"wss://a.b/\"], \"timing\": {}}"),
                "$.timing", "is not a known key", "liveness", "failover", "selection");
        assertMentions(loadError("{\"relays\": [{\"url\": \"wss://a.b/\", \"colour\": 1}]}"), "$.relays[0].colour", "not a known key");
    }

    @Test
    void negativeAndZeroDurations() throws IOException {
        assertMentions(loadError("{\"relays\": [\"wss://a.b/\"], \"liveness\": {\"pingTimeout\": \"-5s\"}}"), "$.liveness.pingTimeout", "must be positive");
        assertMentions(loadError("{\"relays\": [\"wss://a.b/\"], \"selection\": {\"healthCheckInterval\": \"PT-1S\"}}"), "$.selection.healthCheckInterval", "must be positive");
        assertMentions(loadError("{\"relays\": [\"wss://a.b/\"], \"liveness\": {\"connectTimeout\": \"0ms\"}}"), "$.liveness.connectTimeout", "must be positive");
    }

    @Test
    void emptyRelayList() throws IOException {
        assertMentions(loadError("{\"relays\": []}"), "$.relays", "must not be empty");
        assertMentions(loadError("{}"), "$.relays", "must not be empty");
    }

    @Test
    void emptyRelayListIsFineWithAnotherDiscoverySource() {
        assertTrue(ConfigJson.parse("{\"plugins\": {\"discovery\": [{\"name\": \"dns\", \"settings\": {\"domain\": \"x.org\"}}]}}").isOk());
    }

    @Test
    void plainWsToRemoteHostNeedsExplicitAllow() throws IOException {
        RelayError e = loadError("{\"relays\": [\"ws://relay.example.org/\"]}");
        assertMentions(e, "$.relays[0].url", "ws:// to a non-loopback host", "security.allowedSchemes");
        assertTrue(ConfigJson.parse("{\"relays\": [\"ws://relay.example.org/\"], \"security\": {\"allowedSchemes\": [\"ws\", \"wss\"]}}").isOk());
        assertTrue(ConfigJson.parse("{\"relays\": [\"ws://127.0.0.1:8080/\", \"ws://localhost/\", \"ws://[::1]:1/\"]}").isOk());
    }

    @Test
    void badUrls() throws IOException {
        assertMentions(loadError("{\"relays\": [\"http://a.b/\"]}"), "$.relays[0]", "scheme must be ws or wss");
        assertMentions(loadError("{\"relays\": [\"wss://user:pw@a.b/\"]}"), "$.relays[0]", "userinfo");
        assertMentions(loadError("{\"relays\": [\"wss://a.b:70000/\"]}"), "$.relays[0]");
        assertMentions(loadError("{\"relays\": [\"not a url\"]}"), "$.relays[0]");
        assertMentions(loadError("{\"relays\": [\"wss://a.b/\", \"WSS://A.B/\"]}"), "$.relays[1].url", "duplicates");
    }

    @Test
    void outOfRangeValues() throws IOException {
        assertMentions(loadError("{\"relays\": [\"wss://a.b/\"], \"selection\": {\"failoverThreshold\": 1.5}}"), "$.selection.failoverThreshold", "[0, 1]");
        assertMentions(loadError("{\"relays\": [\"wss://a.b/\"], \"failover\": {\"standbyCount\": 9}}"), "$.failover.standbyCount", "0..4");
        assertMentions(loadError("{\"relays\": [{\"url\": \"wss://a.b/\", \"priority\": -1}]}"), "$.relays[0]", "priority");
        assertMentions(loadError("{\"relays\": [\"wss://a.b/\"], \"failover\": {\"backoffInitial\": \"2m\", \"backoffMax\": \"1s\"}}"),
                "$.failover.backoffMax", "at least failover.backoffInitial");
        assertMentions(loadError("{\"relays\": [\"wss://a.b/\"], \"liveness\": {\"idlePingInterval\": \"100ms\"}}"),
                "$.liveness.idlePingInterval", "at least liveness.pingInterval (150 ms)");
        assertEquals(Duration.ofSeconds(20), ConfigJson.parse(
                "{\"relays\": [\"wss://a.b/\"], \"liveness\": {\"idlePingInterval\": \"20s\"}}")
                .orElseThrow().liveness().idlePingInterval());
    }

    @Test
    void oversizedFile() throws IOException {
        Path f = dir.resolve("big.json");
        Files.write(f, ("{\"sender\": \"" + "x".repeat(ConfigJson.MAX_FILE_BYTES) + "\"}").getBytes(StandardCharsets.UTF_8));
        assertMentions(ConfigJson.load(f).failure().orElseThrow(), "bytes; the limit is");
    }

    @Test
    void directoryInsteadOfFile() {
        assertMentions(ConfigJson.load(dir).failure().orElseThrow(), "is a directory");
    }
}
