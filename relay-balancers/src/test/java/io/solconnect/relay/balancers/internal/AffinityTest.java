package io.solconnect.relay.balancers.internal;

import io.solconnect.relay.api.RelayCandidate;
import io.solconnect.relay.api.spi.LoadBalancer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.solconnect.relay.balancers.internal.Fixtures.balancer;
import static io.solconnect.relay.balancers.internal.Fixtures.chiSquare;
import static io.solconnect.relay.balancers.internal.Fixtures.id;
import static io.solconnect.relay.balancers.internal.Fixtures.list;
import static io.solconnect.relay.balancers.internal.Fixtures.relay;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Session affinity by rendezvous hashing: agreement across clients, stability, ~1/N movement. */
class AffinityTest {

    private static final int KEYS = 20_000;

    private static List<RelayCandidate> fleet(int n, int down) {
        List<RelayCandidate> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Fixtures.C c = relay("r" + i);
            out.add((i == down ? c.unhealthy() : c).build());
        }
        return List.copyOf(out);
    }

    @Test
    void clientsWithDifferentMetricsAndOrderAgreeOnEveryRoom() {
        // Two clients see the same relays but measured different RTT, load, scores, slow start,
        // and list them in another order; each strategy must still put each room on one relay.
        List<RelayCandidate> mine = list(relay("a").rtt(10).load(0.1), relay("b").rtt(200).score(0.4),
                relay("c").rtt(50).healthyFor(Duration.ofSeconds(1)), relay("d").errors(0.3));
        List<RelayCandidate> theirs = new ArrayList<>(list(relay("a").rtt(300).load(0.9), relay("b").rtt(5),
                relay("c").rtt(5).errors(0.5), relay("d").rtt(1).healthyFor(Duration.ofSeconds(2))));
        Collections.reverse(theirs);
        for (String name : BalancerFactory.NAMES) {
            LoadBalancer one = balancer(name, true, Map.of("seed", "1"), "eu");
            LoadBalancer two = balancer(name, true, Map.of("seed", "2"), "us");
            for (int k = 0; k < 2000; k++) {
                String room = "room-" + k;
                assertEquals(one.pick(mine, room).orElseThrow().id(), two.pick(theirs, room).orElseThrow().id(),
                        name + " " + room);
            }
        }
    }

    @Test
    void onlyTheFailedRelaysSessionsMoveAndTheyMoveTogether() {
        int n = 10;
        List<RelayCandidate> all = fleet(n, -1);
        List<RelayCandidate> r3down = fleet(n, 3);
        for (String name : BalancerFactory.NAMES) {
            LoadBalancer client = balancer(name, true, Map.of("panicThreshold", "0"));
            LoadBalancer other = balancer(name, true, Map.of("seed", "99", "panicThreshold", "0"));
            int moved = 0;
            for (int k = 0; k < KEYS; k++) {
                String room = "room-" + k;
                String before = client.pick(all, room).orElseThrow().id();
                String after = client.pick(r3down, room).orElseThrow().id();
                if (!before.equals(after)) {
                    moved++;
                    assertEquals(id("r3"), before, name + ": a room of a healthy relay moved");
                }
                assertEquals(after, other.pick(r3down, room).orElseThrow().id(), name + ": clients disagree on the next");
            }
            double fraction = moved / (double) KEYS;
            assertEquals(1.0 / n, fraction, 0.01, name + " moved fraction");
        }
    }

    @Test
    void movedRoomsReturnWhenTheRelayRecovers() {
        LoadBalancer b = balancer("p2c-ewma", true, Map.of());
        List<RelayCandidate> all = fleet(5, -1);
        List<RelayCandidate> down = fleet(5, 0);
        for (int k = 0; k < 1000; k++) {
            String room = "room-" + k;
            String first = b.pick(all, room).orElseThrow().id();
            b.pick(down, room);
            assertEquals(first, b.pick(all, room).orElseThrow().id());
        }
    }

    @Test
    void weightedRendezvousSpreadsRoomsByCapacity() {
        List<RelayCandidate> c = list(relay("a").capacity(1000), relay("b").capacity(2000), relay("c").capacity(5000));
        LoadBalancer b = balancer("p2c-ewma", true, Map.of());
        Map<String, Integer> n = new HashMap<>();
        for (int k = 0; k < KEYS; k++) {
            n.merge(b.pick(c, "room-" + k).orElseThrow().id(), 1, Integer::sum);
        }
        double chi = chiSquare(n, Map.of(id("a"), 1 / 8.0, id("b"), 2 / 8.0, id("c"), 5 / 8.0), KEYS);
        assertTrue(chi < 13.82, "chi-square " + chi + " " + n);
        // Round-robin's rendezvous is unweighted.
        LoadBalancer rr = balancer("round-robin", true, Map.of());
        n.clear();
        for (int k = 0; k < KEYS; k++) {
            n.merge(rr.pick(c, "room-" + k).orElseThrow().id(), 1, Integer::sum);
        }
        chi = chiSquare(n, Map.of(id("a"), 1 / 3.0, id("b"), 1 / 3.0, id("c"), 1 / 3.0), KEYS);
        assertTrue(chi < 13.82, "chi-square " + chi + " " + n);
    }

    @Test
    void stickyOffOrEmptyKeyUsesTheStrategy() {
        List<RelayCandidate> c = fleet(4, -1);
        LoadBalancer off = balancer("round-robin", false, Map.of());
        String a = off.pick(c, "room").orElseThrow().id();
        String b = off.pick(c, "room").orElseThrow().id();
        assertNotEquals(a, b, "with stickySession off round-robin rotates even with a key");
        LoadBalancer on = balancer("round-robin", true, Map.of());
        assertNotEquals(on.pick(c, "").orElseThrow().id(), on.pick(c, "").orElseThrow().id(), "empty key rotates");
        assertEquals(on.pick(c, "room").orElseThrow().id(), on.pick(c, "room").orElseThrow().id());
    }

    @Test
    void affinityDependsOnTheRoomKey() {
        List<RelayCandidate> c = fleet(8, -1);
        LoadBalancer b = balancer("weighted-random", true, Map.of());
        java.util.Set<String> used = new java.util.HashSet<>();
        Random r = new Random(7);
        for (int k = 0; k < 200; k++) {
            used.add(b.pick(c, Long.toHexString(r.nextLong())).orElseThrow().id());
        }
        assertEquals(8, used.size());
    }

    @Test
    void hashIsStableAcrossReleases() {
        // Pinned values: changing the hash would split rooms between clients of two versions.
        assertEquals(Hashing.hash("wss://a.example.org/ws"), Hashing.hash(new String("wss://a.example.org/ws")));
        assertEquals(PINNED_ROOM_1, Hashing.hash("room-1"));
    }

    // Computed once by a separate implementation of the definition in Hashing's javadoc, and pinned.
    private static final long PINNED_ROOM_1 = 0x656bb5e56c350c3fL;
}
