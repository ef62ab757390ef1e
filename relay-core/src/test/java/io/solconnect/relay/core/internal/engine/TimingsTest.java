package io.solconnect.relay.core.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.solconnect.relay.api.RelayConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TimingsTest {

    static RelayConfig.Builder base() {
        return RelayConfig.custom().addRelay("ws://127.0.0.1:9001/");
    }

    @Test
    void ackTimeoutIsFourDetectionTimesAtLeastOneSecond() {
        assertEquals(Duration.ofSeconds(8), Timings.ackTimeoutFor(base().pingInterval(Duration.ofSeconds(1))
                .pingTimeout(Duration.ofSeconds(1)).build()));
        assertEquals(Duration.ofSeconds(1), Timings.ackTimeoutFor(base().pingInterval(Duration.ofMillis(50))
                .pingTimeout(Duration.ofMillis(50)).build()));
    }

    @Test
    void outageWindowIsOneDetectionTimeAtLeastHalfASecond() {
        assertEquals(Duration.ofMillis(500), Timings.outageWindowFor(base().pingInterval(Duration.ofMillis(100))
                .pingTimeout(Duration.ofMillis(100)).build()));
        assertEquals(Duration.ofMillis(3000), Timings.outageWindowFor(base().pingInterval(Duration.ofSeconds(2))
                .pingTimeout(Duration.ofSeconds(1)).build()));
    }

    @Test
    void convergenceWaitsTheStablePeriodAtMostFiveHealthChecks() {
        RelayConfig shortStable = base().stablePeriod(Duration.ofSeconds(2)).healthCheckInterval(Duration.ofSeconds(1)).build();
        assertEquals(Duration.ofSeconds(2), Timings.convergeAfterFor(shortStable));
        RelayConfig longStable = base().stablePeriod(Duration.ofSeconds(60)).healthCheckInterval(Duration.ofSeconds(1)).build();
        assertEquals(Duration.ofSeconds(5), Timings.convergeAfterFor(longStable));
    }

    @Test
    void republicationReachesAtMostHalfTheDedupWindow() {
        RelayConfig c = base().pingInterval(Duration.ofSeconds(1)).pingTimeout(Duration.ofSeconds(1))
                .dedupWindow(Duration.ofSeconds(10)).build();
        assertEquals(Duration.ofSeconds(5), Timings.republishWindowFor(c), "8 s ack timeout + 2 s, capped at 5 s");
        RelayConfig d = RelayConfig.from(c).dedupWindow(Duration.ofMinutes(10)).build();
        assertEquals(Duration.ofSeconds(10), Timings.republishWindowFor(d));
    }

    @Test
    void theOrderHoldIsAtLeastTenSeconds() {
        assertEquals(Duration.ofSeconds(10), Timings.orderHoldFor(base().pingInterval(Duration.ofMillis(100))
                .pingTimeout(Duration.ofMillis(100)).stablePeriod(Duration.ofSeconds(1)).build()));
    }

    @Test
    void retuneChangesTheDerivedTimings() {
        Timings t = new Timings(base().pingInterval(Duration.ofSeconds(1)).pingTimeout(Duration.ofSeconds(1)).build());
        assertEquals(Duration.ofSeconds(8), t.ackTimeout());
        assertEquals(Duration.ofSeconds(2), t.detection());
        t.retune(base().pingInterval(Duration.ofSeconds(2)).pingTimeout(Duration.ofSeconds(1)).build());
        assertEquals(Duration.ofSeconds(12), t.ackTimeout());
        assertEquals(Duration.ofSeconds(3), t.outageWindow());
    }
}
