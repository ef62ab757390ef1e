package io.solconnect.relay.api;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RelayConfigTest {

    private static String error(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    private static void assertStartsWith(String prefix, String message) {
        assertTrue(message.startsWith(prefix), "'" + message + "' should start with '" + prefix + "'");
    }

    @Test
    void defaults() {
        RelayConfig c = RelayConfig.of(RelayEndpoint.of("wss://a.b/"));
        assertEquals("p2c-ewma", c.selection().strategy().algorithm());
        assertTrue(c.selection().strategy().stickySession());
        assertEquals(Duration.ofMillis(150), c.liveness().pingInterval());
        assertEquals(Duration.ofMillis(250), c.liveness().pingTimeout());
        assertEquals(Set.of("wss"), c.security().allowedSchemes());
        assertEquals(List.of(ProviderChoice.of("static")), c.plugins().discovery());
        assertEquals("solconnect-sync", c.plugins().protocol().name());
        assertEquals("file", c.plugins().store().name());
        assertEquals(SelectionConfig.ofDefaults(), c.selection());
        assertEquals(LivenessConfig.ofDefaults(), c.liveness());
        assertEquals(FailoverConfig.ofDefaults(), c.failover());
        assertEquals(OutboxConfig.ofDefaults(), c.outbox());
        assertEquals(DedupConfig.ofDefaults(), c.dedup());
        assertEquals(SecurityConfig.ofDefaults(), c.security());
        assertEquals(PluginsConfig.ofDefaults(), c.plugins());
        assertEquals(c, RelayConfig.from(c).build());
    }

    /** Each setter refuses a bad value at once, naming the option and the value. */
    @Test
    void buildersCheckEachArgumentAsItIsSet() {
        RelayConfig.Builder b = RelayConfig.custom();
        assertEquals("selection.failoverThreshold must be in [0, 1], was -0.1", error(() -> b.failoverThreshold(-0.1)));
        assertStartsWith("selection.failoverThreshold ", error(() -> b.failoverThreshold(Double.NaN)));
        assertEquals("liveness.pingInterval must be positive, was PT0S", error(() -> b.pingInterval(Duration.ZERO)));
        assertEquals("liveness.pingInterval must be at least 10 ms, was PT0.001S",
                error(() -> b.pingInterval(Duration.ofMillis(1))));
        assertEquals("liveness.pingTimeout must be at least 10 ms, was PT0.009S",
                error(() -> b.pingTimeout(Duration.ofMillis(9))));
        assertEquals("selection.healthCheckInterval must be at least 10 ms, was PT0.001S",
                error(() -> b.healthCheckInterval(Duration.ofMillis(1))));
        assertStartsWith("liveness.pingTimeout ", error(() -> b.pingTimeout(Duration.ofMillis(-1))));
        assertStartsWith("liveness.connectTimeout ", error(() -> b.connectTimeout(Duration.ZERO)));
        assertStartsWith("selection.healthCheckInterval ", error(() -> b.healthCheckInterval(Duration.ZERO)));
        assertStartsWith("selection.region ", error(() -> b.region("r".repeat(65))));
        assertEquals("failover.standbyCount must be in 0..4, was 5", error(() -> b.standbyCount(5)));
        assertStartsWith("failover.maxRetries ", error(() -> b.maxRetries(-1)));
        assertStartsWith("failover.backoffInitial ", error(() -> b.backoffInitial(Duration.ZERO)));
        assertStartsWith("failover.backoffMax ", error(() -> b.backoffMax(Duration.ZERO)));
        assertStartsWith("failover.stablePeriod ", error(() -> b.stablePeriod(Duration.ZERO)));
        assertStartsWith("failover.ejectionTime ", error(() -> b.ejectionTime(Duration.ZERO)));
        assertStartsWith("outbox.maxMessages ", error(() -> b.outboxMaxMessages(0)));
        assertEquals("outbox.maxBytes must be at least 1024, was 10", error(() -> b.outboxMaxBytes(10)));
        assertStartsWith("outbox.maxMessageBytes ", error(() -> b.maxMessageBytes(100)));
        assertStartsWith("dedup.window ", error(() -> b.dedupWindow(Duration.ZERO)));
        assertStartsWith("dedup.maxEntries ", error(() -> b.dedupMaxEntries(5)));
        assertEquals("security.allowedSchemes may hold only 'ws' and 'wss', had 'http'",
                error(() -> b.allowedSchemes(Set.of("http"))));
        assertStartsWith("security.allowedSchemes ", error(() -> b.allowedSchemes(Set.of())));
        assertStartsWith("plugins.discovery ", error(() -> b.discovery(List.of())));
        assertStartsWith("plugins.discovery ", error(() -> b.discovery(List.of(ProviderChoice.of("dns"),
                ProviderChoice.of("dns")))));
        assertStartsWith("sender ", error(() -> b.sender("s".repeat(257))));
        // nothing refused was kept
        assertEquals(RelayConfig.custom().addRelay("wss://a.b/").build(), b.addRelay("wss://a.b/").build());
    }

    /** Rules across options wait for build(), so setters may come in any order. */
    @Test
    void durationsAreAtMostMaxDuration() {
        RelayConfig.Builder b = RelayConfig.custom();
        assertEquals("failover.backoffMax must be at most 365 days, was PT8784H",
                error(() -> b.backoffMax(Duration.ofDays(366))));
        // Found by fuzzing: a duration whose milliseconds overflow a long broke writing the config back.
        assertStartsWith("failover.ejectionTime must be at most 365 days",
                error(() -> new FailoverConfig(1, 3, Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(30),
                        Duration.ofSeconds(Long.MAX_VALUE / 1000 + 1))));
        assertStartsWith("dedup.window must be at most 365 days", error(() -> new DedupConfig(Duration.ofDays(400), 1000)));
        assertEquals(RelayConfig.MAX_DURATION,
                b.addRelay("wss://a.b/").stablePeriod(RelayConfig.MAX_DURATION).build().failover().stablePeriod());
    }

    @Test
    void rulesAcrossOptionsAreCheckedByBuild() {
        RelayConfig c = RelayConfig.custom().addRelay("wss://a.b/")
                .backoffMax(Duration.ofMinutes(5)).backoffInitial(Duration.ofMinutes(2))
                .outboxMaxBytes(4096).maxMessageBytes(2048).build();
        assertEquals(Duration.ofMinutes(2), c.failover().backoffInitial());
        assertEquals(4096, c.outbox().maxBytes());

        RelayConfig.Builder b = RelayConfig.from(c);
        assertStartsWith("failover.backoffMax must be at least failover.backoffInitial",
                error(() -> RelayConfig.from(c).backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)).build()));
        assertStartsWith("outbox.maxBytes must be at least outbox.maxMessageBytes",
                error(() -> RelayConfig.from(c).outboxLimits(10, 2000).build()));
        assertStartsWith("relays ", error(() -> RelayConfig.custom().build()));
        assertStartsWith("relays[0].url ", error(() -> RelayConfig.custom().addRelay("ws://relay.example.org/").build()));
        assertStartsWith("relays[1].url duplicates",
                error(() -> RelayConfig.custom().addRelay("wss://a.b/").addRelay("wss://a.b").build()));
        assertEquals(c, b.build());
    }

    @Test
    void maxResumeBytesDefaultsTo4MiBOrMaxMessageBytesAndIsAtLeastThat() {
        assertEquals(4 * 1024 * 1024, RelayConfig.custom().addRelay("wss://a.b/").build().outbox().maxResumeBytes());
        RelayConfig big = RelayConfig.custom().addRelay("wss://a.b/").maxMessageBytes(8 * 1024 * 1024)
                .outboxMaxBytes(64L * 1024 * 1024).build();
        assertEquals(8 * 1024 * 1024, big.outbox().maxResumeBytes(), "follows a larger maxMessageBytes");
        RelayConfig set = RelayConfig.custom().addRelay("wss://a.b/").maxResumeBytes(2 * 1024 * 1024).build();
        assertEquals(2 * 1024 * 1024, set.outbox().maxResumeBytes());
        assertEquals(set, RelayConfig.from(set).build(), "kept by from()");
        assertEquals(8 * 1024 * 1024, RelayConfig.from(RelayConfig.custom().addRelay("wss://a.b/").build())
                .maxMessageBytes(8 * 1024 * 1024).outboxMaxBytes(64L * 1024 * 1024).build().outbox().maxResumeBytes(),
                "a default copied by from() still follows maxMessageBytes");
        assertStartsWith("outbox.maxResumeBytes must be at least outbox.maxMessageBytes", error(() -> RelayConfig.custom()
                .addRelay("wss://a.b/").maxMessageBytes(2 * 1024 * 1024).maxResumeBytes(1024 * 1024).build()));
        assertStartsWith("outbox.maxResumeBytes ", error(() -> RelayConfig.custom().maxResumeBytes(512 * 1024 * 1024)));
        assertStartsWith("outbox.maxResumeBytes ", error(() -> new OutboxConfig(10, 1L << 30, 1024 * 1024, 1024)));
    }

    @Test
    void recordsValidateInTheirConstructors() {
        assertStartsWith("failover.backoffMax ", error(() -> new FailoverConfig(1, 3, Duration.ofSeconds(2),
                Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(10))));
        assertStartsWith("outbox.maxBytes ", error(() -> new OutboxConfig(10, 1024, 2048)));
        assertStartsWith("dedup.maxEntries ", error(() -> new DedupConfig(Duration.ofMinutes(1), 1)));
        assertStartsWith("liveness.pingTimeout ", error(() -> new LivenessConfig(Duration.ofMillis(10),
                Duration.ZERO, Duration.ofSeconds(1))));
        assertStartsWith("selection.failoverThreshold ", error(() -> new SelectionConfig(
                LoadBalancingStrategy.ofDefaults(), 2, Duration.ofSeconds(1), "")));
        assertThrows(NullPointerException.class, () -> new LivenessConfig(null, Duration.ofMillis(1),
                Duration.ofSeconds(1)));
    }

    @Test
    void groupsCanBeSetWhole() {
        FailoverConfig f = new FailoverConfig(2, 5, Duration.ofMillis(10), Duration.ofSeconds(1),
                Duration.ofSeconds(2), Duration.ofSeconds(3));
        RelayConfig c = RelayConfig.custom().addRelay("wss://a.b/").failover(f).build();
        assertEquals(f, c.failover());
        assertEquals(LivenessConfig.ofDefaults(), c.liveness());
        assertEquals(3, RelayConfig.from(c).standbyCount(3).build().failover().standbyCount());
    }

    @Test
    void idlePingIntervalDefaultsToFiveSecondsOrThePingIntervalWhenLonger() {
        RelayConfig c = RelayConfig.custom().addRelay("wss://a.b/").build();
        assertEquals(Duration.ofSeconds(5), c.liveness().idlePingInterval());
        RelayConfig slow = RelayConfig.from(c).pingInterval(Duration.ofSeconds(8)).build();
        assertEquals(Duration.ofSeconds(8), slow.liveness().idlePingInterval(), "the default follows pingInterval");
        assertEquals(Duration.ofSeconds(8), new LivenessConfig(Duration.ofSeconds(8), Duration.ofSeconds(1),
                Duration.ofSeconds(5)).idlePingInterval());
        RelayConfig set = RelayConfig.from(c).idlePingInterval(Duration.ofSeconds(30)).build();
        assertEquals(Duration.ofSeconds(30), RelayConfig.from(set).build().liveness().idlePingInterval());
    }

    @Test
    void idlePingIntervalMustNotBeShorterThanThePingInterval() {
        RelayConfig.Builder b = RelayConfig.custom().addRelay("wss://a.b/")
                .idlePingInterval(Duration.ofMillis(100)); // setters in any order: checked by build()
        assertEquals("liveness.idlePingInterval must be at least liveness.pingInterval (150 ms), was PT0.1S",
                error(b::build));
        assertEquals(Duration.ofMillis(100), b.pingInterval(Duration.ofMillis(100)).build().liveness().idlePingInterval());
        assertStartsWith("liveness.idlePingInterval must be at least 10 ms",
                error(() -> RelayConfig.custom().idlePingInterval(Duration.ofMillis(5))));
        assertStartsWith("liveness.idlePingInterval must be positive",
                error(() -> new LivenessConfig(Duration.ofMillis(150), Duration.ofMillis(250), Duration.ofSeconds(5),
                        Duration.ZERO)));
    }

    @Test
    void plainWsPolicy() {
        RelayConfig c = RelayConfig.custom().addRelay("ws://127.0.0.1:9/").build();
        assertTrue(c.schemeAllowed(RelayEndpoint.of("ws://localhost/")));
        assertFalse(c.schemeAllowed(RelayEndpoint.of("ws://10.0.0.1/")));
        RelayConfig open = RelayConfig.from(c).allowedSchemes(Set.of("ws", "WSS")).addRelay("ws://relay.example.org/").build();
        assertEquals(Set.of("ws", "wss"), open.security().allowedSchemes());
        assertTrue(open.schemeAllowed(RelayEndpoint.of("ws://10.0.0.1/")));
        RelayConfig wsOnly = RelayConfig.from(c).allowedSchemes(Set.of("ws")).build();
        assertFalse(wsOnly.schemeAllowed(RelayEndpoint.of("wss://a.b/")));
    }

    @Test
    void strategyValidation() {
        assertTrue(error(() -> new LoadBalancingStrategy("Round Robin", Map.of(), true, 0.5, Map.of())).startsWith("algorithm "));
        assertTrue(error(() -> new LoadBalancingStrategy("x", Map.of("r", -1.0), true, 0.5, Map.of())).startsWith("weights.r "));
        assertTrue(error(() -> new LoadBalancingStrategy("x", Map.of(), true, 1.5, Map.of())).startsWith("healthWeight "));
        LoadBalancingStrategy s = new LoadBalancingStrategy("x", Map.of("wss://a.b/", 4.0), true, 0.5, Map.of());
        assertEquals(4.0, s.weightOf(RelayEndpoint.of("wss://a.b")));
        assertEquals(1.0, s.weightOf(RelayEndpoint.of("wss://c.d")));
    }
}
