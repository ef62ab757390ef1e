package io.solconnect.relay.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solconnect.relay.api.Delivery;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.SessionState;
import io.solconnect.relay.core.sim.Clients;
import io.solconnect.relay.core.sim.Clients.Client;
import io.solconnect.relay.core.sim.MemStore;
import io.solconnect.relay.core.sim.SimNetwork;
import io.solconnect.relay.core.sim.SimRelay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What liveness costs on idle links and what it still catches (defaults: ping interval 150 ms,
 * ping timeout 250 ms, idle ping interval 5 s, active window two ack timeouts = 3.2 s), in virtual
 * time over the simulated network (1 ms one way).
 */
class IdleProbingTest {

    VirtualScheduler vs;
    SimNetwork net;
    List<SimRelay> relays;

    @BeforeEach
    void setUp() {
        vs = new VirtualScheduler();
        net = new SimNetwork(vs);
        relays = List.of(net.relay("ws://127.0.0.1:9001/"), net.relay("ws://127.0.0.1:9002/"),
                net.relay("ws://127.0.0.1:9003/"));
    }

    Client connected(RelayConfig cfg, long seed, String room) {
        Client cl = Clients.client(net, vs, cfg, seed, new MemStore(), null);
        cl.manager.join(room);
        assertTrue(cl.manager.start().isOk());
        vs.advanceUntil(() -> cl.manager.status().state() == SessionState.CONNECTED
                && cl.manager.status().standby().size() == cfg.failover().standbyCount(), Duration.ofSeconds(1));
        return cl;
    }

    int pings() {
        return relays.stream().mapToInt(r -> r.pingsReceived).sum();
    }

    SimRelay relayOf(String id) {
        return net.relayById(id);
    }

    @Test
    void idleSessionsCostOnePingPerLinkPerIdlePingInterval() {
        int sessions = 20;
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            clients.add(connected(Clients.config(net).build(), i, "room-" + i)); // a primary and a standby each
        }
        vs.advance(Duration.ofSeconds(10)); // joins, resumes and catch-ups done; active windows over
        int before = pings();
        vs.advance(Duration.ofMinutes(1));
        int perMinute = pings() - before;
        int links = 2 * sessions;
        // one ping per link every 5 s (plus the 2 ms the pong takes): 11 or 12 per link in a minute;
        // at the ping interval it would be about 240
        assertTrue(perMinute >= links * 11 && perMinute <= links * 12,
                perMinute + " pings in a minute for " + links + " idle links");
        for (Client c : clients) {
            assertEquals(SessionState.CONNECTED, c.manager.status().state());
            assertTrue(c.events(RelayEvent.Failover.class).isEmpty(), "an idle link answering its pings stays up");
        }
    }

    @Test
    void aLinkWithAMessageInFlightIsWatchedAtThePingIntervalAndItsBlackholeCaughtWithinIntervalPlusTimeout() {
        Client cl = connected(Clients.config(net).build(), 1, "room-1");
        SimRelay primary = relayOf(cl.manager.status().primary().orElseThrow());
        String standby = cl.manager.status().standby().get(0);
        vs.advance(Duration.ofSeconds(10)); // idle
        relays.forEach(r -> r.dropAcks = true); // the message stays in flight: written again every ack timeout
        CompletionStage<Result<Delivery>> sent = cl.manager.send("room-1", "in flight");
        vs.advance(Duration.ofSeconds(10)); // three active windows: only the message in flight keeps the link active
        int before = primary.pingsReceived;
        vs.advance(Duration.ofSeconds(2));
        assertTrue(primary.pingsReceived - before >= 6,
                (primary.pingsReceived - before) + " pings in 2 s on a link with a message in flight");
        cl.events.clear();
        long start = vs.nanoTime();
        relays.forEach(r -> r.dropAcks = false);
        primary.blackhole = true;
        vs.advanceUntil(() -> !cl.events(RelayEvent.Failover.class).isEmpty(), Duration.ofSeconds(6));
        long detectedAfterMs = (vs.nanoTime() - start) / 1_000_000;
        RelayEvent.Failover f = cl.events(RelayEvent.Failover.class).get(0);
        assertTrue(f.reason().startsWith("missed pong"), f.reason());
        assertTrue(detectedAfterMs <= 400, "detected after " + detectedAfterMs + " ms");
        vs.advance(Duration.ofMillis(20));
        Result<Delivery> r = sent.toCompletableFuture().getNow(null);
        assertTrue(r != null && r.isOk(), String.valueOf(r));
        assertEquals(standby, r.orElseThrow().relay());
    }

    @Test
    void aSendOnAnIdleSilentLinkFindsItDeadWithinThePingTimeoutAndGoesThroughAnotherRelay() {
        Client cl = connected(Clients.config(net).build(), 2, "room-1");
        SimRelay primary = relayOf(cl.manager.status().primary().orElseThrow());
        String standby = cl.manager.status().standby().get(0);
        vs.advance(Duration.ofSeconds(20));
        int idlePings = primary.pingsReceived;
        vs.advance(Duration.ofMillis(1000)); // the last pong is at least 150 ms old now
        assertTrue(primary.pingsReceived - idlePings <= 1, "an idle link is pinged every 5 s");
        cl.events.clear();
        primary.blackhole = true; // silent from now on; nothing tells the client
        long sendAt = vs.nanoTime();
        CompletionStage<Result<Delivery>> sent = cl.manager.send("room-1", "after a quiet spell");
        vs.advanceUntil(() -> !cl.events(RelayEvent.Failover.class).isEmpty(), Duration.ofSeconds(6));
        long detectedAfterMs = (vs.nanoTime() - sendAt) / 1_000_000;
        RelayEvent.Failover f = cl.events(RelayEvent.Failover.class).get(0);
        assertTrue(f.reason().startsWith("missed pong"), f.reason());
        // the send pinged the stale link at once: dead one ping timeout (250 ms) later
        assertTrue(detectedAfterMs <= 251, "detected " + detectedAfterMs + " ms after the send");
        vs.advance(Duration.ofMillis(20));
        Result<Delivery> r = sent.toCompletableFuture().getNow(null);
        assertTrue(r != null && r.isOk(), String.valueOf(r));
        assertEquals(standby, r.orElseThrow().relay());
        assertEquals(1, relayOf(standby).payloads("room-1").stream().filter("after a quiet spell"::equals).count());
    }

    @Test
    void ourOwnNetworkGoingDownUnderIdleLinksIsStillALocalOutage() {
        Client cl = connected(Clients.config(net).maxRetries(1).build(), 3, "room-1");
        vs.advance(Duration.ofSeconds(20)); // idle
        net.localDown = true; // nothing in or out, no close: every link goes silent at once
        cl.manager.send("room-1", "into the void");
        vs.advanceUntil(() -> cl.manager.status().state() == SessionState.OFFLINE, Duration.ofSeconds(2));
        RelayEvent.Offline off = cl.events(RelayEvent.Offline.class).get(0);
        assertTrue(off.reason().contains("local network"), off.reason());
        assertTrue(cl.events(RelayEvent.Ejected.class).isEmpty(), "nobody is ejected for our own outage");
        net.localDown = false;
        vs.advanceUntil(() -> cl.manager.status().state() == SessionState.CONNECTED, Duration.ofSeconds(60));
    }
}
