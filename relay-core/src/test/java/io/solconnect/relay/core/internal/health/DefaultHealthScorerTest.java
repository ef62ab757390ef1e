package io.solconnect.relay.core.internal.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solconnect.relay.api.QualityMetrics;
import io.solconnect.relay.api.RelayEndpoint;
import java.time.Duration;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class DefaultHealthScorerTest {

    final DefaultHealthScorer s = new DefaultHealthScorer();
    final RelayEndpoint e = RelayEndpoint.builder("wss://r.example/").maxConnections(100).build();

    QualityMetrics m(OptionalDouble rtt, OptionalDouble err, int disconnects, Duration connected, int active,
                     OptionalDouble load) {
        return new QualityMetrics(e.id(), rtt, rtt, rtt, 0, 0, 0, 0, err, disconnects, connected, active, load,
                Duration.ofSeconds(10));
    }

    @Test
    void unknownIsHalfNotPerfect() {
        assertEquals(0.5, s.score(e, QualityMetrics.unknown(e.id(), Duration.ofSeconds(10))), 1e-9);
    }

    @Test
    void formulaAsDocumented() {
        // rtt 100 ms -> 0.5; error 10 % -> 0.8; one disconnect -> 0.5; load 0.2 -> 0.8
        double v = s.score(e, m(OptionalDouble.of(100), OptionalDouble.of(0.1), 1, Duration.ofSeconds(5), 1,
                OptionalDouble.of(0.2)));
        assertEquals(0.4 * 0.5 + 0.3 * 0.8 + 0.2 * 0.5 + 0.1 * 0.8, v, 1e-9);
        // healthy, fast, no reported load: load from our connection count (1 of 100)
        double good = s.score(e, m(OptionalDouble.of(10), OptionalDouble.of(0), 0, Duration.ofSeconds(5), 1,
                OptionalDouble.empty()));
        assertEquals(0.4 / 1.1 + 0.3 + 0.2 + 0.1 * 0.99, good, 1e-9);
    }

    @Test
    void badRelaysFallBelowTheDefaultThreshold() {
        double bad = s.score(e, m(OptionalDouble.of(900), OptionalDouble.of(0.6), 3, Duration.ZERO, 0, OptionalDouble.empty()));
        assertTrue(bad < 0.3, "score " + bad);
        double nan = s.score(e, m(OptionalDouble.of(Double.NaN), OptionalDouble.empty(), 0, Duration.ZERO, 0, OptionalDouble.empty()));
        assertTrue(nan >= 0 && nan <= 1);
    }
}
