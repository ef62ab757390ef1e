package io.solconnect.relay.core.internal.config;

import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.RelayError;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Partial updates (the settings page's PUT) in the one JSON shape. */
class ConfigMergeTest {

    private final RelayConfig base = RelayConfig.custom().addRelay("wss://a.example.org/")
            .pingTimeout(Duration.ofMillis(400)).build();

    @Test
    void changesOnlyTheGivenKeys() {
        RelayConfig c = ConfigJson.merge(base, "{\"liveness\": {\"pingInterval\": \"200ms\"},"
                + " \"selection\": {\"strategy\": {\"algorithm\": \"round-robin\"}}}").orElseThrow();
        assertEquals(Duration.ofMillis(200), c.liveness().pingInterval());
        assertEquals(Duration.ofMillis(400), c.liveness().pingTimeout());
        assertEquals("round-robin", c.selection().strategy().algorithm());
        assertEquals(base.selection().strategy().stickySession(), c.selection().strategy().stickySession());
        assertEquals(base.relays(), c.relays());
        assertEquals(base, ConfigJson.merge(base, "{}").orElseThrow());
    }

    @Test
    void aDefaultIdlePingIntervalFollowsThePingIntervalAndASetOneIsChecked() {
        RelayConfig slow = ConfigJson.merge(base, "{\"liveness\": {\"pingInterval\": \"8s\"}}").orElseThrow();
        assertEquals(Duration.ofSeconds(8), slow.liveness().idlePingInterval(), "5 s by default, or the ping interval");
        RelayConfig set = RelayConfig.from(base).idlePingInterval(Duration.ofSeconds(6)).build();
        RelayError e = ConfigJson.merge(set, "{\"liveness\": {\"pingInterval\": \"8s\"}}").failure().orElseThrow();
        assertTrue(e.message().contains("$.liveness.idlePingInterval must be at least liveness.pingInterval (8000 ms)"),
                e.message());
        assertEquals(Duration.ofSeconds(9), ConfigJson.merge(set,
                "{\"liveness\": {\"pingInterval\": \"8s\", \"idlePingInterval\": \"9s\"}}").orElseThrow()
                .liveness().idlePingInterval());
    }

    @Test
    void arraysAndMapsAreReplacedWhole() {
        RelayConfig weighted = ConfigJson.merge(base, "{\"relays\": [\"wss://b.example.org/\"],"
                + " \"selection\": {\"strategy\": {\"weights\": {\"wss://b.example.org/\": 2}}}}").orElseThrow();
        assertEquals(List.of(RelayEndpoint.of("wss://b.example.org/")), weighted.relays());
        RelayConfig unweighted = ConfigJson.merge(weighted, "{\"selection\": {\"strategy\": {\"weights\": {}}}}")
                .orElseThrow();
        assertEquals(Map.of(), unweighted.selection().strategy().weights());
    }

    @Test
    void errorsNameThePathAndLoseNothing() {
        assertTrue(ConfigJson.merge(base, "{\"liveness\": {\"pingInterval\": \"0ms\"}}").failure().orElseThrow()
                .message().startsWith("$.liveness.pingInterval must be positive"));
        assertTrue(ConfigJson.merge(base, "{\"liveness\": {\"pingInterval\": null}}").failure().orElseThrow()
                .message().startsWith("$.liveness.pingInterval must not be null"));
        assertTrue(ConfigJson.merge(base, "{\"strategy\": {}}").failure().orElseThrow()
                .message().startsWith("$.strategy is not a known key"));
        assertTrue(ConfigJson.merge(base, "[1]").failure().orElseThrow().message().startsWith("$ must be a JSON object"));
        assertTrue(ConfigJson.merge(base, "{").failure().orElseThrow().message().startsWith("$ is not valid JSON"));
        assertEquals(Duration.ofMillis(400), base.liveness().pingTimeout());
    }

    @Test
    void oldFlatKeysAreAcceptedInAPatchToo() {
        RelayConfig c = ConfigJson.merge(base, "{\"standbyCount\": 2}").orElseThrow();
        assertEquals(2, c.failover().standbyCount());
    }
}
