package io.solconnect.relay.api;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RelayConfigTest {

    private static String error(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
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
        assertEquals(c, RelayConfig.from(c).build());
    }

    @Test
    void errorsStartWithTheFieldName() {
        RelayConfig.Builder b = RelayConfig.custom().addRelay("wss://a.b/");
        assertTrue(error(() -> RelayConfig.from(b.build()).failoverThreshold(-0.1).build()).startsWith("failoverThreshold "));
        assertTrue(error(() -> RelayConfig.from(b.build()).failoverThreshold(Double.NaN).build()).startsWith("failoverThreshold "));
        assertTrue(error(() -> RelayConfig.from(b.build()).pingInterval(Duration.ZERO).build()).startsWith("pingInterval "));
        assertTrue(error(() -> RelayConfig.from(b.build()).standbyCount(5).build()).startsWith("standbyCount "));
        assertTrue(error(() -> RelayConfig.from(b.build()).outboxLimits(10, 10).build()).startsWith("outboxMaxBytes "));
        assertTrue(error(() -> RelayConfig.from(b.build()).allowedSchemes(Set.of("http")).build()).startsWith("allowedSchemes "));
        assertTrue(error(() -> RelayConfig.from(b.build()).discovery(List.of()).build()).startsWith("discovery "));
        assertTrue(error(() -> RelayConfig.from(b.build()).discovery(List.of(ProviderChoice.of("dns"), ProviderChoice.of("dns"))).build())
                .startsWith("discovery "));
        assertTrue(error(() -> RelayConfig.custom().build()).startsWith("relays "));
        assertTrue(error(() -> RelayConfig.custom().addRelay("ws://relay.example.org/").build()).startsWith("relays[0].url "));
    }

    @Test
    void plainWsPolicy() {
        RelayConfig c = RelayConfig.custom().addRelay("ws://127.0.0.1:9/").build();
        assertTrue(c.schemeAllowed(RelayEndpoint.of("ws://localhost/")));
        assertTrue(!c.schemeAllowed(RelayEndpoint.of("ws://10.0.0.1/")));
        RelayConfig open = RelayConfig.from(c).allowedSchemes(Set.of("ws", "WSS")).addRelay("ws://relay.example.org/").build();
        assertEquals(Set.of("ws", "wss"), open.security().allowedSchemes());
        assertTrue(open.schemeAllowed(RelayEndpoint.of("ws://10.0.0.1/")));
        RelayConfig wsOnly = RelayConfig.from(c).allowedSchemes(Set.of("ws")).build();
        assertTrue(!wsOnly.schemeAllowed(RelayEndpoint.of("wss://a.b/")));
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
