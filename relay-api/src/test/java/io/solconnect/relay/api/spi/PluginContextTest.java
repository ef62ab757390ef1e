package io.solconnect.relay.api.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PluginContextTest {

    private static PluginContext context(Map<String, String> settings) {
        Scheduler idle = new Scheduler() {
            @Override
            public Instant now() {
                return Instant.EPOCH;
            }

            @Override
            public long nanoTime() {
                return 0;
            }

            @Override
            public Cancellable schedule(Duration delay, Runnable task) {
                throw new UnsupportedOperationException("not used by settings");
            }

            @Override
            public void execute(Runnable task) {
                throw new UnsupportedOperationException("not used by settings");
            }
        };
        return new PluginContext("p", settings, RelayConfig.of(RelayEndpoint.of("wss://a.b/")), idle, e -> { });
    }

    @Test
    void durationSettingsAreAtMostMaxDuration() {
        PluginContext c = context(Map.of("ok", "PT8760H", "long", "PT8761H", "overflowing", "9999999999999999m"));
        assertEquals(Result.ok(RelayConfig.MAX_DURATION), c.durationSetting("ok", Duration.ofSeconds(1)));
        assertEquals("p.long must be at most 365 days, was 'PT8761H'",
                c.durationSetting("long", Duration.ofSeconds(1)).failure().orElseThrow().message());
        assertEquals("p.overflowing must be at most 365 days, was '9999999999999999m'",
                c.durationSetting("overflowing", Duration.ofSeconds(1)).failure().orElseThrow().message());
    }
}
