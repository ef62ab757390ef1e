package io.solconnect.relay.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solconnect.relay.api.ClientStatus;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.SessionState;
import io.solconnect.relay.core.sim.Clients;
import io.solconnect.relay.core.sim.Clients.Client;
import io.solconnect.relay.core.sim.SimNetwork;
import io.solconnect.relay.core.sim.SimRelay;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Relays of one fleet (one shared log and sequence, as on a NATS JetStream backplane) that say so:
 * a move within the fleet resumes by sequence and needs no re-publication, standby copies or
 * resend requests; claims that are malformed or change are ignored; relays that claim one fleet
 * but keep separate logs are caught and the session falls back to sharing nothing.
 */
class FleetFailoverTest {

    VirtualScheduler vs;
    SimNetwork net;
    SimRelay a;
    SimRelay b;
    SimRelay c;

    @BeforeEach
    void setUp() {
        vs = new VirtualScheduler();
        net = new SimNetwork(vs);
        a = net.relay("ws://127.0.0.1:9001/");
        b = net.relay("ws://127.0.0.1:9002/");
        c = net.relay("ws://127.0.0.1:9003/");
    }

    /** All three relays on one log, each reporting fleet {@code f1}. */
    void oneFleet() {
        a.shareLogWith(b, c);
        for (SimRelay r : List.of(a, b, c)) {
            r.fleetId = "f1";
        }
    }

    Client connected(RelayConfig cfg, long seed) {
        Client cl = Clients.client(net, vs, cfg, seed);
        cl.manager.join("room-1");
        assertTrue(cl.manager.start().isOk());
        vs.advanceUntil(() -> cl.manager.status().state() == SessionState.CONNECTED
                && cl.manager.status().standby().size() == cfg.failover().standbyCount(), Duration.ofSeconds(1));
        vs.advance(Duration.ofMillis(5));
        return cl;
    }

    Client memberOnlyOn(SimRelay relay, String sender, long seed) {
        Client m = Clients.client(net, vs, Clients.config(net).relays(List.of(relay.endpoint)).standbyCount(0)
                .sender(sender).build(), seed);
        m.manager.join("room-1");
        m.manager.start();
        vs.advance(Duration.ofMillis(20));
        return m;
    }

    SimRelay primaryOf(Client cl) {
        return net.relayById(cl.manager.status().primary().orElseThrow());
    }

    static List<String> payloads(Client cl, String prefix) {
        return cl.inbox.stream().map(m -> m.payload()).filter(p -> p.startsWith(prefix)).toList();
    }

    static List<String> expected(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(i -> prefix + i).toList();
    }

    /** Sends m{from}..m{to-1}, one every 2 ms; crashes the given relays' connections after m{crashAfter}. */
    void sendFlowing(Client sender, int from, int to, int crashAfter, SimRelay... crash) {
        for (int i = from; i < to; i++) {
            sender.manager.send("room-1", "m" + i);
            vs.advance(Duration.ofMillis(2));
            if (i == crashAfter) {
                for (SimRelay r : crash) {
                    r.crashConnections();
                }
            }
        }
    }

    /** The sender's and the receiver's primaries die while messages flow (a SIGKILL of a relay). */
    void scenario(Client sender, Client receiver) {
        sendFlowing(sender, 0, 10, -1);
        sendFlowing(sender, 10, 40, 19, primaryOf(sender));
        sendFlowing(sender, 40, 60, 49, primaryOf(receiver));
        vs.advance(Duration.ofSeconds(3));
    }

    @Test
    void aMoveWithinAFleetNeedsNoRepublicationCopiesOrResendsAndLosesNothing() {
        oneFleet();
        Client sender = connected(Clients.config(net).build(), 1);
        Client receiver = connected(Clients.config(net).sender("r").build(), 2);
        scenario(sender, receiver);

        assertEquals(expected("m", 60), payloads(receiver, "m"), "every message once, in order");
        ClientStatus.Counters s = sender.manager.status().counters();
        assertTrue(s.failovers() >= 1, "the sender moved: " + s);
        assertEquals(0, s.republished(), "no re-publication counted: " + s);
        assertEquals(0, s.resent(), s.toString());
        assertEquals(0, receiver.manager.status().counters().resendsRequested());
        assertEquals(0, a.resendRequests + b.resendRequests + c.resendRequests);
        assertEquals(60, a.payloads("room-1").stream().filter(p -> p.startsWith("m")).count(),
                "the log holds each message once: no standby copy, no re-publication stored twice");
    }

    @Test
    void relaysThatShareNothingStillGetRepublicationAndCopies() {
        Client sender = connected(Clients.config(net).build(), 1);
        Client receiver = connected(Clients.config(net).sender("r").build(), 2);
        scenario(sender, receiver);

        assertEquals(expected("m", 60), payloads(receiver, "m"));
        assertTrue(sender.manager.status().counters().republished() > 0,
                "a move between relays that share nothing re-publishes: " + sender.manager.status().counters());
    }

    @Test
    void aReconnectWithinTheFleetResumesAfterTheFleetsSequenceNotFromZero() {
        oneFleet();
        Client sender = connected(Clients.config(net).standbyCount(0).build(), 3);
        // the receiver knows two relays of the fleet: after its primary drops it reconnects there
        Client receiver = connected(Clients.config(net).relays(List.of(a.endpoint, b.endpoint)).sender("r").build(), 4);
        SimRelay first = primaryOf(receiver);
        sendFlowing(sender, 0, 20, -1);
        int resumesBefore = first.resumedAfter.size();
        first.crashConnectionsOf("r");
        sendFlowing(sender, 20, 40, -1);
        vs.advanceUntil(() -> receiver.manager.status().standby().contains(first.id()), Duration.ofSeconds(10));
        vs.advance(Duration.ofMillis(50));

        List<Long> again = first.resumedAfter.subList(resumesBefore, first.resumedAfter.size());
        assertFalse(again.isEmpty(), "the receiver linked to " + first.id() + " again");
        // by then it had seen the fleet's sequence well past 20 through the other relay
        assertTrue(again.get(0) > 20, "resumed after " + again + ", not from 0");
        assertEquals(expected("m", 40), payloads(receiver, "m"));
        assertEquals(0, receiver.manager.status().counters().resendsRequested());
    }

    @Test
    void aFleetClaimThatChangesOnAConnectionIsIgnored() {
        oneFleet();
        b.greet.add("{\"type\":\"relay_info\",\"fleetId\":\"f2\"}"); // a second, different claim
        assertStandbyTreatedAsSharingNothing(b, 5);
    }

    @Test
    void aMalformedFleetClaimIsIgnored() {
        oneFleet();
        for (SimRelay r : List.of(a, b, c)) {
            r.fleetId = "bad id!"; // one log, but an id that is not [A-Za-z0-9._:-]
        }
        assertStandbyTreatedAsSharingNothing(b, 6);
    }

    @Test
    void anHonestFleetStandbyGetsNoCopies() {
        oneFleet();
        Client sender = connected(Clients.config(net).relays(List.of(a.endpoint, b.endpoint)).build(), 7);
        SimRelay standby = net.relayById(sender.manager.status().standby().get(0));
        int before = standby.framesReceived;
        sendFlowing(sender, 0, 10, -1);
        assertEquals(0, standby.framesReceived - before, "the standby reads the primary's log");
    }

    /** A sender on a (primary) and {@code standby}: copies of each message go to the standby, and a move re-publishes. */
    void assertStandbyTreatedAsSharingNothing(SimRelay standbyRelay, long seed) {
        Client sender = connected(Clients.config(net).relays(List.of(a.endpoint, standbyRelay.endpoint)).build(), seed);
        Client receiver = connected(Clients.config(net).sender("r").build(), seed + 100);
        SimRelay standby = net.relayById(sender.manager.status().standby().get(0));
        assertEquals(standbyRelay, standby);
        int before = standby.framesReceived;
        sendFlowing(sender, 0, 10, -1);
        assertEquals(10, standby.framesReceived - before, "a copy of each message: the claim is not trusted");
        primaryOf(sender).crashConnections();
        sendFlowing(sender, 10, 20, -1);
        vs.advance(Duration.ofSeconds(1));
        assertEquals(standby.id(), sender.manager.status().primary().orElseThrow());
        assertEquals(expected("m", 20), payloads(receiver, "m"));
    }

    @Test
    void relaysClaimingOneFleetWithSeparateLogsAreCaughtAndTheirMembersGetEverything() {
        // a and b share a log; c claims the same fleet but keeps its own (misconfigured or lying)
        a.shareLogWith(b);
        for (SimRelay r : List.of(a, b, c)) {
            r.fleetId = "f1";
        }
        RelayEndpoint cLater = RelayEndpoint.builder(c.endpoint.url().toString()).priority(2).build();
        Client sender = connected(Clients.config(net).relays(List.of(a.endpoint, cLater)).build(), 7);
        assertEquals(a.id(), sender.manager.status().primary().orElseThrow());
        Client onB = memberOnlyOn(b, "mb", 8);
        Client onC = memberOnlyOn(c, "mc", 9);
        sendFlowing(sender, 0, 10, -1);
        assertEquals(expected("m", 10), payloads(onB, "m"), "the honest fleet member gets them from the log");
        // trusting c's claim, the sender wrote no copies to its standby c: c's members miss them for now
        assertEquals(List.of(), payloads(onC, "m"));

        // both relays carry traffic of their own; the sender hears it numbered by both logs
        for (int i = 0; i < 20; i++) {
            onC.manager.send("room-1", "x" + i);
            if (i < 10) {
                onB.manager.send("room-1", "y" + i);
            }
            vs.advance(Duration.ofMillis(2));
        }
        vs.advance(Duration.ofSeconds(1));

        // the first sequence numbered differently exposed c: the sender re-published to it
        assertEquals(expected("m", 10), payloads(onC, "m"), "c's members get every message, once, in order");
        assertTrue(sender.manager.status().counters().republished() >= 10, sender.manager.status().counters().toString());
        sendFlowing(sender, 10, 20, -1);
        vs.advance(Duration.ofSeconds(1));
        assertEquals(expected("m", 20), payloads(onC, "m"), "and from then on standby copies");
        assertEquals(expected("m", 20), payloads(onB, "m"));
    }
}
