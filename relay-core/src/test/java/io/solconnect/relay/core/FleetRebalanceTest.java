package io.solconnect.relay.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.solconnect.relay.api.RelayCandidate;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.spi.LoadBalancer;
import io.solconnect.relay.core.internal.protocol.Protocols;
import io.solconnect.relay.core.sim.Clients;
import io.solconnect.relay.core.sim.Clients.Client;
import io.solconnect.relay.core.sim.MemStore;
import io.solconnect.relay.core.sim.SimNetwork;
import io.solconnect.relay.core.sim.SimRelay;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Within a relay fleet a balancer that ranks on measurements is asked again at health checks: a
 * session that started on a slow relay (nothing was measured yet) moves to a faster open standby,
 * losing nothing. Balancers that do not ask for it, and relays that share nothing, keep today's
 * behaviour (the primary stays).
 */
class FleetRebalanceTest {

    VirtualScheduler vs;
    SimNetwork net;
    SimRelay slow;
    SimRelay b;
    SimRelay c;

    @BeforeEach
    void setUp() {
        vs = new VirtualScheduler();
        net = new SimNetwork(vs);
        slow = net.relay("ws://127.0.0.1:9101/");
        b = net.relay("ws://127.0.0.1:9102/");
        c = net.relay("ws://127.0.0.1:9103/");
        slow.latency = Duration.ofMillis(40);
    }

    void oneFleet() {
        slow.shareLogWith(b, c);
        for (SimRelay r : List.of(slow, b, c)) {
            r.fleetId = "f1";
        }
    }

    /**
     * Lowest RTT EWMA first; an unmeasured relay counts as 0 ms; ties by id (so the slow relay, 9101,
     * first). With an affinity key (relays that share nothing) by id alone, the same on every client.
     */
    record LowestRtt(boolean rebalances) implements LoadBalancer {
        @Override
        public Optional<RelayCandidate> pick(List<RelayCandidate> candidates, String affinityKey) {
            if (!affinityKey.isEmpty()) {
                return candidates.stream().min(Comparator.comparing(RelayCandidate::id));
            }
            return candidates.stream().min(Comparator
                    .comparingDouble((RelayCandidate x) -> x.metrics().rttEwmaMillis().orElse(0))
                    .thenComparing(RelayCandidate::id));
        }
    }

    Client client(LoadBalancer balancer, String sender, long seed) {
        RelayConfig cfg = Clients.config(net).sender(sender).build();
        MemStore store = new MemStore();
        RelayManager m = RelayManager.builder(cfg).transport(net.transport()).protocol(Protocols.create(false, cfg))
                .loadBalancer(balancer).store(store).scheduler(vs).executor(vs::execute)
                .random(new Random(seed)).build();
        Client cl = new Client(m, store);
        m.join("room-1");
        m.start();
        vs.advance(Duration.ofMillis(300));
        return cl;
    }

    String primary(Client cl) {
        return cl.manager.status().primary().orElseThrow();
    }

    /** Sends n messages, one every 20 ms, and waits until the receiver has them all. */
    void flow(Client sender, Client receiver, String prefix, int n) {
        for (int i = 0; i < n; i++) {
            sender.manager.send("room-1", prefix + i);
            vs.advance(Duration.ofMillis(20));
        }
        vs.advanceUntil(() -> receiver.inbox.stream().filter(m -> m.payload().startsWith(prefix)).count() >= n,
                Duration.ofSeconds(10));
        vs.advance(Duration.ofSeconds(1));
    }

    static List<String> payloads(Client cl, String prefix) {
        return cl.inbox.stream().map(m -> m.payload()).filter(p -> p.startsWith(prefix)).toList();
    }

    @Test
    void aSessionOnASlowFleetRelayMovesToAFasterStandbyAndLosesNothing() {
        oneFleet();
        Client sender = client(new LowestRtt(true), "s", 1);
        Client receiver = client(new LowestRtt(true), "r", 2);
        assertEquals(slow.id(), primary(sender), "nothing measured yet: the first pick is the slow relay");
        flow(sender, receiver, "m", 500); // 10 s of traffic: health checks, RTT samples
        assertEquals(b.id(), primary(sender), "moved off the slow relay");
        assertEquals(b.id(), primary(receiver), "moved off the slow relay");
        assertEquals(java.util.stream.IntStream.range(0, 500).mapToObj(i -> "m" + i).toList(), payloads(receiver, "m"),
                "every message once, in order, across the move");
    }

    @Test
    void aBalancerThatDoesNotRebalanceKeepsThePrimary() {
        oneFleet();
        Client sender = client(new LowestRtt(false), "s", 1);
        Client receiver = client(new LowestRtt(false), "r", 2);
        flow(sender, receiver, "m", 500);
        assertEquals(slow.id(), primary(sender));
    }

    @Test
    void relaysThatShareNothingKeepThePrimary() {
        Client sender = client(new LowestRtt(true), "s", 1);
        Client receiver = client(new LowestRtt(true), "r", 2);
        flow(sender, receiver, "m", 500);
        assertEquals(slow.id(), primary(sender), "no moves on measurements where a move needs re-publication");
    }
}
