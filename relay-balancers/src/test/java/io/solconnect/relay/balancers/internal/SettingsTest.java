package io.solconnect.relay.balancers.internal;

import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.LoadBalancingStrategy;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.RelayError;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.Scheduler;
import io.solconnect.relay.api.spi.LoadBalancer;
import io.solconnect.relay.api.spi.PluginContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parsing and checking of the strategy options. */
class SettingsTest {

    private static BalancerSettings parse(Map<String, String> settings) {
        return BalancerSettings.parse("p2c-ewma", LoadBalancingStrategy.ofDefaults(), settings, "").orElseThrow();
    }

    private static RelayError error(Map<String, String> settings) {
        Result<BalancerSettings> r = BalancerSettings.parse("p2c-ewma", LoadBalancingStrategy.ofDefaults(), settings, "");
        assertFalse(r.isOk(), "should be rejected: " + settings);
        return r.failure().orElseThrow();
    }

    @Test
    void defaults() {
        BalancerSettings s = parse(Map.of());
        assertEquals(0.5, s.panicThreshold());
        assertEquals(Duration.ofSeconds(30).toNanos(), s.slowStartNanos());
        assertEquals(0.1, s.slowStartMinWeight());
        assertEquals(1, s.slowStartAggression());
        assertEquals(10, s.errorPenalty());
        assertEquals(0.9, s.fullLoad());
        assertTrue(s.seed().isEmpty());
        assertTrue(s.sticky());
        assertEquals(0.5, s.healthWeight());
    }

    @Test
    void values() {
        BalancerSettings s = parse(Map.of("panicThreshold", "25", "slowStartWindow", "1500ms", "slowStartMinWeight",
                "0.2", "slowStartAggression", "2", "errorPenalty", "0", "fullLoad", "1.5", "seed", "-7"));
        assertEquals(0.25, s.panicThreshold());
        assertEquals(1_500_000_000L, s.slowStartNanos());
        assertEquals(0.2, s.slowStartMinWeight());
        assertEquals(2, s.slowStartAggression());
        assertEquals(0, s.errorPenalty());
        assertEquals(1.5, s.fullLoad());
        assertEquals(-7L, s.seed().orElseThrow());
        assertEquals(0, parse(Map.of("slowStartWindow", "off")).slowStartNanos());
        assertEquals(30_000_000_000L, parse(Map.of("slowStartWindow", "PT30S")).slowStartNanos());
    }

    @Test
    void badValuesAreErrorsNamingTheKey() {
        Map<String, String[]> bad = Map.of(
                "panicThreshold", new String[] {"-1", "101", "NaN", "half", ""},
                "slowStartWindow", new String[] {"-5s", "soon", "2d", "10"},
                "slowStartMinWeight", new String[] {"0", "1.5", "Infinity"},
                "slowStartAggression", new String[] {"0", "11"},
                "errorPenalty", new String[] {"-1", "1e9"},
                "fullLoad", new String[] {"0", "-0.5", "11"},
                "seed", new String[] {"1.5", "99999999999999999999", "x"});
        for (Map.Entry<String, String[]> e : bad.entrySet()) {
            for (String v : e.getValue()) {
                RelayError err = error(Map.of(e.getKey(), v));
                assertEquals(ErrorCode.INVALID_CONFIG, err.code());
                assertTrue(err.message().contains("p2c-ewma." + e.getKey()), err.message());
                assertTrue(err.message().contains("'" + v + "'"), err.message());
            }
        }
    }

    @Test
    void unknownKeysAreRejectedWithTheKnownOnes() {
        RelayError err = error(Map.of("panicTreshold", "20"));
        assertEquals(ErrorCode.INVALID_CONFIG, err.code());
        assertTrue(err.message().contains("panicTreshold") && err.message().contains("panicThreshold"), err.message());
    }

    @Test
    void providerReadsTheStrategyAndContextSettings() {
        LoadBalancingStrategy strategy = new LoadBalancingStrategy("p2c-ewma", Map.of(), false, 0.2,
                Map.of("panicThreshold", "10", "seed", "5"));
        RelayConfig config = RelayConfig.custom().addRelay(RelayEndpoint.of("wss://a.example.org/"))
                .selectionStrategy(strategy).region("eu").build();
        PluginContext ctx = new PluginContext("p2c-ewma", Map.of("panicThreshold", "20"), config, new NoScheduler(),
                e -> { });
        BalancerSettings s = BalancerSettings.from("p2c-ewma", ctx).orElseThrow();
        assertEquals(0.2, s.panicThreshold(), "context settings win");
        assertEquals(5L, s.seed().orElseThrow());
        assertFalse(s.sticky());
        assertEquals(0.2, s.healthWeight());
        assertEquals("eu", s.region());

        Result<LoadBalancer> bad = new P2cEwmaProvider().create(new PluginContext("p2c-ewma",
                Map.of("fullLoad", "lots"), config, new NoScheduler(), e -> { }));
        assertEquals(ErrorCode.INVALID_CONFIG, bad.failure().orElseThrow().code());
    }

    /** Balancers never use the scheduler; this one fails loudly if they do. */
    static final class NoScheduler implements Scheduler {
        @Override
        public Instant now() {
            throw new AssertionError("balancers must not read the clock");
        }

        @Override
        public long nanoTime() {
            throw new AssertionError("balancers must not read the clock");
        }

        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
            throw new AssertionError("balancers must not schedule");
        }

        @Override
        public void execute(Runnable task) {
            throw new AssertionError("balancers must not schedule");
        }
    }
}
