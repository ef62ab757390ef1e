package io.solconnect.relay.core.internal.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.solconnect.relay.api.LoadBalancingStrategy;
import io.solconnect.relay.api.ProviderChoice;
import io.solconnect.relay.api.RelayConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LiveSettingsTest {

    private final RelayConfig base = RelayConfig.custom().addRelay("wss://a.example.org/").build();

    @Test
    void theLiveOptionsChangeWithoutRestart() {
        RelayConfig live = RelayConfig.from(base).addRelay("wss://b.example.org/")
                .selectionStrategy(LoadBalancingStrategy.of("round-robin")).failoverThreshold(0.5)
                .healthCheckInterval(Duration.ofSeconds(3)).region("eu")
                .pingInterval(Duration.ofSeconds(1)).pingTimeout(Duration.ofSeconds(2)).connectTimeout(Duration.ofSeconds(9))
                .idlePingInterval(Duration.ofSeconds(20)).standbyCount(2).maxRetries(7).backoff(Duration.ofSeconds(1), Duration.ofSeconds(9))
                .stablePeriod(Duration.ofSeconds(9)).ejectionTime(Duration.ofSeconds(9)).build();
        assertEquals(List.of(), LiveSettings.restartOnlyChanges(base, live));
    }

    @Test
    void everythingElseNeedsARestartAndIsNamedByPath() {
        RelayConfig fixed = RelayConfig.from(base).outboxMaxMessages(5).outboxMaxBytes(1 << 21).maxMessageBytes(2048)
                .dedup(Duration.ofMinutes(1), 2000).allowedSchemes(Set.of("ws", "wss")).allowPrivateAddresses(true)
                .sender("bob").discovery(List.of(ProviderChoice.of("static"), ProviderChoice.of("dns")))
                .protocol("solconnect-legacy").transport(ProviderChoice.of("other")).store(ProviderChoice.of("memory"))
                .healthScorer(ProviderChoice.of("other")).pingInterval(Duration.ofSeconds(1)).build();
        assertEquals(List.of("dedup.maxEntries", "dedup.window", "outbox.maxBytes", "outbox.maxMessageBytes",
                        "outbox.maxMessages", "plugins.discovery", "plugins.healthScorer", "plugins.protocol",
                        "plugins.store", "plugins.transport", "security.allowPrivateAddresses",
                        "security.allowedSchemes", "sender"),
                LiveSettings.restartOnlyChanges(base, fixed));
    }

    /** The point of an allow-list: an option nobody listed is restart-only. */
    @Test
    void anOptionAddedLaterIsRestartOnlyByDefault() {
        ObjectNode before = ConfigJson.toTree(base);
        ObjectNode after = ConfigJson.toTree(base);
        ((ObjectNode) before.get("failover")).put("futureOption", 1);
        ((ObjectNode) after.get("failover")).put("futureOption", 2);
        after.put("futureTopLevel", true);
        ObjectNode newGroup = after.putObject("futureGroup");
        newGroup.put("x", 1);
        assertEquals(List.of("failover.futureOption", "futureGroup.x", "futureTopLevel"),
                LiveSettings.restartOnlyChanges(before, after));
    }

    @Test
    void everyLivePathIsARealOption() {
        ObjectNode tree = ConfigJson.toTree(base);
        for (String path : LiveSettings.LIVE) {
            String[] parts = path.split("\\.");
            assertTrue(parts.length == 1 ? tree.has(parts[0]) : tree.path(parts[0]).has(parts[1]),
                    path + " is not in the config JSON");
        }
    }
}
