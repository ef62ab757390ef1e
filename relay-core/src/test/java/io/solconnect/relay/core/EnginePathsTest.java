package io.solconnect.relay.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solconnect.relay.api.Delivery;
import io.solconnect.relay.api.InboundMessage;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.SessionState;
import io.solconnect.relay.core.internal.protocol.Protocols;
import io.solconnect.relay.core.sim.Clients;
import io.solconnect.relay.core.sim.Clients.Client;
import io.solconnect.relay.core.sim.MemStore;
import io.solconnect.relay.core.sim.RendezvousBalancer;
import io.solconnect.relay.core.sim.SimNetwork;
import io.solconnect.relay.core.sim.SimRelay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One deterministic scenario per engine path that the black-box scenarios would let pass if it
 * broke: the ack timer writing again, re-publication to a relay without a standby, recovery from
 * DEGRADED, the connect guard timer and late connections (also after stop), promotion among
 * several standbys, the
 * non-sticky ranking, and the resume position after a relay restart. Each was checked by breaking
 * the code it guards.
 */
class EnginePathsTest {

    static final String ROOM = "room-1";

    VirtualScheduler vs;
    SimNetwork net;

    @BeforeEach
    void setUp() {
        vs = new VirtualScheduler();
        net = new SimNetwork(vs);
    }

    Client client(RelayConfig cfg, long seed, SimNetwork.Port port) {
        RelayManager m = RelayManager.builder(cfg)
                .transport(net.transport(port))
                .protocol(Protocols.create(false, cfg))
                .loadBalancer(new RendezvousBalancer())
                .store(new MemStore())
                .scheduler(vs)
                .executor(vs::execute)
                .random(new Random(seed))
                .build();
        Client c = new Client(m, null);
        m.join(ROOM);
        m.start();
        return c;
    }

    Client connected(RelayConfig cfg, long seed) {
        Client c = client(cfg, seed, new SimNetwork.Port());
        vs.advanceUntil(() -> c.manager.status().state() == SessionState.CONNECTED
                && c.manager.status().standby().size() == cfg.failover().standbyCount(), Duration.ofSeconds(1));
        vs.advance(Duration.ofMillis(5));
        return c;
    }

    static RelayConfig.Builder on(SimRelay... relays) {
        List<RelayEndpoint> eps = new ArrayList<>();
        for (SimRelay r : relays) {
            eps.add(r.endpoint);
        }
        return RelayConfig.custom().relays(eps);
    }

    /** The test's messages a relay stored (join frames store an empty payload). */
    static List<String> messages(SimRelay r) {
        return r.payloads(ROOM).stream().filter(p -> !p.isEmpty()).toList();
    }

    static List<String> payloads(Client c) {
        return c.inbox.stream().map(InboundMessage::payload).toList();
    }

    static List<String> states(Client c) {
        return c.events(RelayEvent.StateChanged.class).stream().map(e -> e.from() + "->" + e.to()).toList();
    }

    @Test
    void theAckTimerWritesAgainWhatThePrimaryLeftUnacknowledgedAndItIsAcknowledgedOnce() {
        SimRelay a = net.relay("ws://127.0.0.1:9401/");
        RelayConfig cfg = on(a).standbyCount(0).build();
        Client receiver = connected(cfg, 1);
        Client sender = connected(RelayConfig.from(cfg).sender("s").build(), 2);
        a.dropAcks = true;
        CompletableFuture<Result<Delivery>> f = sender.manager.send(ROOM, "m0").toCompletableFuture();
        vs.advance(Duration.ofMillis(100));
        assertEquals(List.of("m0"), messages(a));
        Duration ackTimeout = Duration.ofMillis(1600); // four detection times: 4 x (150 + 250) ms
        vs.advance(ackTimeout.plus(ackTimeout.dividedBy(4)));
        assertEquals(List.of("m0", "m0"), messages(a), "written again after the ack timeout");
        assertEquals(null, f.getNow(null));
        a.dropAcks = false;
        vs.advance(ackTimeout.multipliedBy(2));
        Delivery d = f.getNow(null).orElseThrow();
        assertTrue(d.attempts() >= 2, "attempts " + d.attempts());
        assertEquals(1, sender.events(RelayEvent.MessageAcknowledged.class).size());
        assertEquals(0, sender.manager.status().outboxDepth());
        assertEquals(List.of("m0"), payloads(receiver), "the copy is dropped by the receiver");
    }

    @Test
    void withoutAStandbyTheNewPrimaryGetsWhatTheOldOneAcknowledgedForAMemberOnlyThere() {
        SimRelay a = net.relay("ws://127.0.0.1:9411/");
        SimRelay b = net.relay("ws://127.0.0.1:9412/");
        Client sender = connected(on(a, b).standbyCount(0).sender("s").build(), 3);
        SimRelay first = net.relayById(sender.manager.status().primary().orElseThrow());
        SimRelay other = first == a ? b : a;
        Client member = connected(on(other).standbyCount(0).sender("m").build(), 4);
        List<CompletableFuture<Result<Delivery>>> sends = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sends.add(sender.manager.send(ROOM, "m" + i).toCompletableFuture());
        }
        vs.advance(Duration.ofMillis(50));
        assertTrue(sends.stream().allMatch(s -> s.getNow(null) != null && s.getNow(null).isOk()));
        assertEquals(List.of(), payloads(member), "the member's relay never saw them");
        first.down = true;
        first.crashConnections();
        vs.advanceUntil(() -> sender.manager.status().primary().orElse("").equals(other.id()), Duration.ofSeconds(2));
        vs.advance(Duration.ofMillis(50));
        assertEquals(List.of("m0", "m1", "m2", "m3", "m4"), payloads(member));
        vs.advance(Duration.ofSeconds(30));
        assertEquals(List.of("m0", "m1", "m2", "m3", "m4"), payloads(member), "and nothing twice later");
    }

    @Test
    void aDegradedPrimaryThatRecoversMakesTheSessionConnectedAgain() {
        SimRelay a = net.relay("ws://127.0.0.1:9421/");
        Client c = connected(on(a).standbyCount(0).failoverThreshold(0.8).build(), 5);
        a.pongDelay = Duration.ofMillis(200);
        vs.advanceUntil(() -> c.manager.status().state() == SessionState.DEGRADED, Duration.ofSeconds(20));
        a.pongDelay = Duration.ZERO;
        vs.advanceUntil(() -> c.manager.status().state() == SessionState.CONNECTED, Duration.ofSeconds(60));
        assertEquals(List.of("CONNECTING->CONNECTED", "CONNECTED->DEGRADED", "DEGRADED->CONNECTED"), states(c));
        assertEquals(a.id(), c.manager.status().primary().orElseThrow());
    }

    @Test
    void aConnectThatNeverCompletesIsGivenUpByTheGuardTimerAndTheNextOneConnects() {
        SimRelay a = net.relay("ws://127.0.0.1:9431/");
        RelayConfig cfg = on(a).standbyCount(0).build();
        SimNetwork.Port port = new SimNetwork.Port();
        port.connectHangs = true;
        Client c = client(cfg, 6, port);
        vs.advance(cfg.liveness().connectTimeout().plusMillis(500));
        assertEquals(SessionState.CONNECTING, c.manager.status().state(), "still waiting for the hung connect");
        port.connectHangs = false;
        // the guard fires at connect timeout + 1 s, then the next attempt connects at once
        vs.advanceUntil(() -> c.manager.status().state() == SessionState.CONNECTED, Duration.ofSeconds(3));
        assertEquals(1, a.connections());
    }

    @Test
    void aConnectionThatCompletesAfterTheGuardGaveUpIsClosed() {
        SimRelay a = net.relay("ws://127.0.0.1:9441/");
        RelayConfig cfg = on(a).standbyCount(0).build();
        SimNetwork.Port port = new SimNetwork.Port();
        port.connectDelay = cfg.liveness().connectTimeout().plusSeconds(3); // past the guard
        Client c = client(cfg, 7, port);
        vs.advance(cfg.liveness().connectTimeout().plusMillis(999)); // the guard fires at connect timeout + 1 s
        port.connectDelay = null;
        vs.advanceUntil(() -> c.manager.status().state() == SessionState.CONNECTED, Duration.ofSeconds(2));
        vs.advance(Duration.ofSeconds(3)); // the first connect completes now
        assertEquals(2, a.acceptedAt.size(), "the late connect did complete");
        assertEquals(1, a.connections(), "and was closed: only the primary is left");
        assertEquals(SessionState.CONNECTED, c.manager.status().state());
    }

    @Test
    void aConnectionThatCompletesAfterStopIsClosed() {
        SimRelay a = net.relay("ws://127.0.0.1:9451/");
        SimNetwork.Port port = new SimNetwork.Port();
        port.connectDelay = Duration.ofMillis(300);
        Client c = client(on(a).standbyCount(0).build(), 8, port);
        vs.advance(Duration.ofMillis(100));
        c.manager.stop();
        vs.advance(Duration.ofSeconds(1));
        assertEquals(1, a.acceptedAt.size(), "the connect completed after stop");
        assertEquals(0, a.connections(), "and was closed");
    }

    @Test
    void withTwoStandbysTheRoomsNextChoiceIsPromotedWhicheverOpenedFirst() {
        List<SimRelay> all = List.of(net.relay("ws://127.0.0.1:9461/"), net.relay("ws://127.0.0.1:9462/"),
                net.relay("ws://127.0.0.1:9463/"), net.relay("ws://127.0.0.1:9464/"));
        // the room's ranking of the relays, as the balancer gives it: ask with one relay fewer each time
        List<SimRelay> left = new ArrayList<>(all);
        List<SimRelay> ranking = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Client probe = connected(on(left.toArray(SimRelay[]::new)).standbyCount(0).build(), 90 + i);
            SimRelay top = net.relayById(probe.manager.status().primary().orElseThrow());
            probe.manager.stop();
            vs.advance(Duration.ofMillis(10));
            ranking.add(top);
            left.remove(top);
        }
        SimRelay second = ranking.get(1);
        SimRelay third = ranking.get(2);
        second.latency = Duration.ofMillis(5); // the room's next choice opens last
        Client c = connected(on(all.toArray(SimRelay[]::new)).standbyCount(2).build(), 9);
        assertEquals(ranking.get(0).id(), c.manager.status().primary().orElseThrow());
        assertEquals(List.of(third.id(), second.id()), c.manager.status().standby(), "in the order they opened");
        c.events.clear();
        ranking.get(0).crashConnections();
        vs.advance(Duration.ofMillis(30));
        RelayEvent.Failover f = c.events(RelayEvent.Failover.class).get(0);
        assertEquals(second.id(), f.to(), "the room's next choice, where the other members go too");
        assertEquals(Duration.ZERO, f.duration(), "a standby, no handshake");
        vs.advance(Duration.ofMillis(100));
        assertEquals(2, c.manager.status().standby().size(), "a second standby again");
        assertTrue(c.manager.status().standby().contains(third.id()));
    }

    @Test
    void withoutStickySessionsTheClientStaysOnAWorkingPrimaryOfTheBestPriority() {
        SimRelay a = net.relay("ws://127.0.0.1:9471/");
        SimRelay b = net.relay("ws://127.0.0.1:9472/");
        RelayConfig.Builder cb = on(a, b).standbyCount(1).stablePeriod(Duration.ofSeconds(2));
        RelayConfig cfg = cb.selectionStrategy(cb.build().selection().strategy().withStickySession(false)).build();
        Client c = connected(cfg, 10);
        assertEquals(a.id(), c.manager.status().primary().orElseThrow(), "the first of the best priority");
        a.down = true;
        a.crashConnections();
        vs.advance(Duration.ofMillis(20));
        assertEquals(b.id(), c.manager.status().primary().orElseThrow());
        a.down = false;
        vs.advance(Duration.ofSeconds(60));
        assertEquals(b.id(), c.manager.status().primary().orElseThrow(), "no move back to an equal relay");
        assertEquals(List.of(a.id()), c.manager.status().standby());
        assertEquals(1, c.events(RelayEvent.Failover.class).size());
    }

    @Test
    void aRelayRestartMakesTheNextResumeStartFromTheBeginning() {
        SimRelay a = net.relay("ws://127.0.0.1:9481/");
        RelayConfig cfg = on(a).standbyCount(0).build();
        SimNetwork.Port slow = new SimNetwork.Port();
        Client receiver = client(RelayConfig.from(cfg).sender("r").build(), 11, slow);
        Client sender = connected(RelayConfig.from(cfg).sender("s").build(), 12);
        vs.advance(Duration.ofMillis(20));
        for (int i = 0; i < 5; i++) {
            sender.manager.send(ROOM, "m" + i);
        }
        vs.advance(Duration.ofMillis(50));
        assertEquals(List.of("m0", "m1", "m2", "m3", "m4"), payloads(receiver));
        slow.connectDelay = Duration.ofSeconds(1); // the receiver comes back after the sender
        a.restart(); // empty history, sequence numbers from 1 again
        vs.advanceUntil(() -> sender.manager.status().state() == SessionState.CONNECTED
                && a.members(ROOM) == 1, Duration.ofSeconds(1));
        sender.manager.send(ROOM, "m5");
        sender.manager.send(ROOM, "m6");
        vs.advance(Duration.ofMillis(50));
        assertNotEquals(SessionState.CONNECTED, receiver.manager.status().state(), "the receiver is still away");
        vs.advanceUntil(() -> receiver.manager.status().state() == SessionState.CONNECTED, Duration.ofSeconds(3));
        vs.advance(Duration.ofMillis(100));
        // resuming from its old position (5) would skip the restarted relay's 1 and 2
        assertEquals(List.of("m0", "m1", "m2", "m3", "m4", "m5", "m6"), payloads(receiver));
    }
}
