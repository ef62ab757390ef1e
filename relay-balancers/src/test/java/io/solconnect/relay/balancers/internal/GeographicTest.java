package io.solconnect.relay.balancers.internal;

import io.solconnect.relay.api.RelayCandidate;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.solconnect.relay.balancers.internal.Fixtures.balancer;
import static io.solconnect.relay.balancers.internal.Fixtures.counts;
import static io.solconnect.relay.balancers.internal.Fixtures.id;
import static io.solconnect.relay.balancers.internal.Fixtures.list;
import static io.solconnect.relay.balancers.internal.Fixtures.relay;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Region preference, spill-over and region inference. */
class GeographicTest {

    @Test
    void prefersTheConfiguredRegion() {
        List<RelayCandidate> c = list(relay("eu1").region("eu").rtt(80), relay("eu2").region("eu").rtt(90),
                relay("us1").region("us").rtt(5), relay("us2").region("us").rtt(6));
        Map<String, Integer> n = counts(balancer("geographic", false, Map.of(), "eu"), c, "", 2000);
        // Two local relays: both are always compared, so the lower-cost one always wins.
        assertEquals(Map.of(id("eu1"), 2000), n);
        List<RelayCandidate> three = list(relay("eu1").region("eu").rtt(80), relay("eu2").region("eu").rtt(90),
                relay("eu3").region("eu").rtt(95), relay("us1").region("us").rtt(5));
        n = counts(balancer("geographic", false, Map.of(), "eu"), three, "", 3000);
        assertEquals(Set.of(id("eu1"), id("eu2")), n.keySet(), "p2c among the three local ones");
    }

    @Test
    void spillsWhenTheLocalRelaysAreUnhealthyOrFull() {
        List<RelayCandidate> down = list(relay("eu1").region("eu").unhealthy(), relay("eu2").region("eu").unhealthy(),
                relay("us1").region("us"), relay("us2").region("us"), relay("ap1").region("ap"), relay("ap2").region("ap"));
        Map<String, Integer> n = counts(balancer("geographic", false, Map.of(), "eu"), down, "", 2000);
        assertEquals(Set.of(id("us1"), id("us2"), id("ap1"), id("ap2")), n.keySet());

        List<RelayCandidate> full = list(relay("eu1").region("eu").load(0.95), relay("eu2").region("eu").load(0.97),
                relay("us1").region("us").load(0.5));
        n = counts(balancer("geographic", false, Map.of(), "eu"), full, "", 500);
        assertEquals(Map.of(id("us1"), 500), n);
        n = counts(balancer("geographic", false, Map.of("fullLoad", "0.99"), "eu"), full, "", 500);
        assertTrue(Set.of(id("eu1"), id("eu2")).containsAll(n.keySet()), "fullLoad raised: local again " + n);

        List<RelayCandidate> allFull = list(relay("eu1").region("eu").load(0.95), relay("us1").region("us").load(0.96),
                relay("ap1").region("ap").load(0.97));
        n = counts(balancer("geographic", false, Map.of(), "eu"), allFull, "", 1000);
        assertEquals(Set.of(id("eu1"), id("us1")), n.keySet(), "everyone full: p2c over all gated relays");
    }

    @Test
    void aLoneReturningLocalRelayCountsAsFullEarlierDuringSlowStart() {
        // eu1 came back 3 s ago (slow-start factor 0.1): at 20 % load it counts as full (0.9 * 0.1)
        // so eu clients spill instead of all landing on it; later in the ramp it is local again.
        List<RelayCandidate> early = list(relay("eu1").region("eu").load(0.2).healthyFor(java.time.Duration.ofSeconds(3)),
                relay("us1").region("us").load(0.5), relay("us2").region("us").load(0.5));
        Map<String, Integer> n = counts(balancer("geographic", false, Map.of(), "eu"), early, "", 1000);
        assertEquals(Set.of(id("us1"), id("us2")), n.keySet());
        List<RelayCandidate> later = list(relay("eu1").region("eu").load(0.2).healthyFor(java.time.Duration.ofSeconds(27)),
                relay("us1").region("us").load(0.5), relay("us2").region("us").load(0.5));
        n = counts(balancer("geographic", false, Map.of(), "eu"), later, "", 1000);
        assertEquals(Map.of(id("eu1"), 1000), n);
    }

    @Test
    void infersTheRegionFromTheLowestMeasuredRtt() {
        List<RelayCandidate> c = list(relay("eu1").region("eu").rtt(90), relay("us1").region("us").rtt(8),
                relay("us2").region("us"), relay("ap1").region("ap").rtt(200));
        Map<String, Integer> n = counts(balancer("geographic", false, Map.of(), ""), c, "", 2000);
        // us2's unknown RTT counts as its region's median (us1's 8 ms): both local relays share.
        assertEquals(Set.of(id("us1"), id("us2")), n.keySet());
        // Nothing measured: no preference.
        List<RelayCandidate> unknown = list(relay("eu1").region("eu"), relay("us1").region("us"));
        n = counts(balancer("geographic", false, Map.of(), ""), unknown, "", 2000);
        assertEquals(2, n.size());
    }
}
