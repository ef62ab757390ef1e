package io.solconnect.relay.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solconnect.relay.api.ClientStatus;
import io.solconnect.relay.api.Delivery;
import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.SessionState;
import io.solconnect.relay.api.spi.RelayProtocol;
import io.solconnect.relay.core.sim.Clients;
import io.solconnect.relay.core.sim.Clients.Client;
import io.solconnect.relay.core.sim.MemStore;
import io.solconnect.relay.core.sim.SimNetwork;
import io.solconnect.relay.core.sim.SimRelay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Failover on each trigger, with the event sequence and the virtual switch time. */
class FailoverTest {

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

    /**
     * The protocol the scenario's clients use; null for the built-in one the configuration names.
     * {@code ThirdPartyProtocolFailoverTest} runs every scenario with a plugin written against the
     * public SPI only.
     */
    RelayProtocol protocol(RelayConfig cfg) {
        return null;
    }

    Client client(RelayConfig cfg, long seed) {
        return Clients.client(net, vs, cfg, seed, new MemStore(), protocol(cfg));
    }

    Client connected(RelayConfig cfg, long seed) {
        Client cl = client(cfg, seed);
        cl.manager.join("room-1");
        assertTrue(cl.manager.start().isOk());
        vs.advanceUntil(() -> cl.manager.status().state() == SessionState.CONNECTED
                && cl.manager.status().standby().size() == cfg.failover().standbyCount(), Duration.ofSeconds(1));
        vs.advance(Duration.ofMillis(5)); // join and resume frames reach the relays
        return cl;
    }

    /** A client of {@code room-1} that knows one relay and keeps no standby, started and joined. */
    Client memberOnlyOn(String relay, String sender, long seed) {
        Client m = client(Clients.config(net).relays(List.of(
                io.solconnect.relay.api.RelayEndpoint.of(relay))).standbyCount(0).sender(sender).build(), seed);
        m.manager.join("room-1");
        m.manager.start();
        vs.advance(Duration.ofMillis(20));
        return m;
    }

    /** The relay that is neither the client's primary nor its standby. */
    SimRelay thirdRelay(Client cl) {
        List<String> used = new ArrayList<>(cl.manager.status().standby());
        used.add(cl.manager.status().primary().orElseThrow());
        return List.of(a, b, c).stream().filter(r -> !used.contains(r.id())).findFirst().orElseThrow();
    }

    /** How many of the test's messages ({@code m0}, {@code m1}, ...) a relay holds. */
    static long sent(SimRelay relay) {
        return relay.payloads("room-1").stream().filter(p -> p.startsWith("m")).count();
    }

    SimRelay relayOf(String id) {
        return net.relayById(id);
    }

    static List<String> stateSequence(Client cl) {
        List<String> out = new ArrayList<>();
        for (RelayEvent.StateChanged e : cl.events(RelayEvent.StateChanged.class)) {
            out.add(e.from() + "->" + e.to());
        }
        return out;
    }

    @Test
    void connectsWithAWarmStandbyJoinedToTheRooms() {
        Client cl = connected(Clients.config(net).build(), 1);
        ClientStatus s = cl.manager.status();
        String primary = s.primary().orElseThrow();
        String standby = s.standby().get(0);
        assertFalse(primary.equals(standby));
        assertEquals(1, relayOf(primary).members("room-1"));
        assertEquals(1, relayOf(standby).members("room-1"));
        assertEquals(List.of("CONNECTING->CONNECTED"), stateSequence(cl));
        List<RelayEvent.Connected> connected = cl.events(RelayEvent.Connected.class);
        assertEquals(2, connected.size());
    }

    @Test
    void transportCloseFailsOverToTheStandbyWithoutAHandshake() {
        Client cl = connected(Clients.config(net).build(), 2);
        String primary = cl.manager.status().primary().orElseThrow();
        String standby = cl.manager.status().standby().get(0);
        cl.events.clear();
        relayOf(primary).closeAll(1001, "going away");
        CompletionStage<Result<Delivery>> sent = cl.manager.send("room-1", "during failover");
        vs.advance(Duration.ofMillis(20));

        assertEquals(standby, cl.manager.status().primary().orElseThrow());
        assertEquals(List.of("CONNECTED->FAILING_OVER", "FAILING_OVER->CONNECTED"), stateSequence(cl));
        RelayEvent.Failover f = cl.events(RelayEvent.Failover.class).get(0);
        assertEquals(primary, f.from().orElseThrow());
        assertEquals(standby, f.to());
        assertTrue(f.reason().contains("1001"), f.reason());
        // promotion needs no handshake: zero virtual time from detection to carrying traffic
        assertEquals(Duration.ZERO, f.duration());
        Result<Delivery> r = sent.toCompletableFuture().getNow(null);
        assertTrue(r != null && r.isOk(), String.valueOf(r));
        assertEquals(standby, r.orElseThrow().relay());
        assertTrue(r.orElseThrow().confirmed());
        // a new standby is opened on the third relay
        vs.advance(Duration.ofMillis(50));
        assertEquals(1, cl.manager.status().standby().size());
    }

    @Test
    void transportErrorFailsOver() {
        Client cl = connected(Clients.config(net).build(), 3);
        String primary = cl.manager.status().primary().orElseThrow();
        cl.events.clear();
        relayOf(primary).crashConnections();
        vs.advance(Duration.ofMillis(10));
        assertEquals(List.of("CONNECTED->FAILING_OVER", "FAILING_OVER->CONNECTED"), stateSequence(cl));
        RelayEvent.Failover f = cl.events(RelayEvent.Failover.class).get(0);
        assertTrue(f.reason().contains("1006"), f.reason());
        assertEquals(Duration.ZERO, f.duration());
    }

    @Test
    void silentBlackholeIsDetectedByMissedPongWithinIntervalPlusTimeout() {
        Client cl = connected(Clients.config(net).build(), 4);
        String primary = cl.manager.status().primary().orElseThrow();
        cl.events.clear();
        long start = vs.nanoTime();
        relayOf(primary).blackhole = true;
        vs.advanceUntil(() -> !cl.events(RelayEvent.Failover.class).isEmpty(), Duration.ofSeconds(2));
        RelayEvent.Failover f = cl.events(RelayEvent.Failover.class).get(0);
        long detectedAfterMs = (vs.nanoTime() - start) / 1_000_000;
        assertTrue(f.reason().startsWith("missed pong"), f.reason());
        // pingInterval 150 ms + pingTimeout 250 ms bound detection after the last frame
        assertTrue(detectedAfterMs <= 400, "detected after " + detectedAfterMs + " ms");
        assertEquals(Duration.ZERO, f.duration());
        assertEquals(List.of("CONNECTED->FAILING_OVER", "FAILING_OVER->CONNECTED"), stateSequence(cl));
    }

    @Test
    void poorQualityDegradesThenSwitchesToAHealthyStandby() {
        RelayConfig cfg = Clients.config(net).failoverThreshold(0.8).build();
        Client cl = connected(cfg, 5);
        String primary = cl.manager.status().primary().orElseThrow();
        String standby = cl.manager.status().standby().get(0);
        cl.events.clear();
        relayOf(primary).pongDelay = Duration.ofMillis(200);
        vs.advanceUntil(() -> !cl.events(RelayEvent.Failover.class).isEmpty(), Duration.ofSeconds(10));
        assertEquals(List.of("CONNECTED->DEGRADED", "DEGRADED->FAILING_OVER", "FAILING_OVER->CONNECTED"),
                stateSequence(cl));
        RelayEvent.Failover f = cl.events(RelayEvent.Failover.class).get(0);
        assertTrue(f.reason().startsWith("quality"), f.reason());
        assertEquals(standby, f.to());
        assertEquals(Duration.ZERO, f.duration());
    }

    @Test
    void withoutStandbyTheSwitchTimeIncludesTheConnect() {
        RelayConfig cfg = Clients.config(net).standbyCount(0).build();
        Client cl = connected(cfg, 6);
        String primary = cl.manager.status().primary().orElseThrow();
        cl.events.clear();
        relayOf(primary).closeAll(1001, "bye");
        vs.advanceUntil(() -> !cl.events(RelayEvent.Failover.class).isEmpty(), Duration.ofSeconds(1));
        RelayEvent.Failover f = cl.events(RelayEvent.Failover.class).get(0);
        // one connect = 2 ms of simulated handshake latency
        assertEquals(Duration.ofMillis(2), f.duration());
    }

    @Test
    void unackedMessagesAreReplayedInOrderOnTheNewPrimary() {
        Client sender = connected(Clients.config(net).build(), 7);
        Client receiver = connected(Clients.config(net).build(), 8);
        String primary = sender.manager.status().primary().orElseThrow();
        assertEquals(primary, receiver.manager.status().primary().orElseThrow(), "affinity puts both on one relay");
        for (SimRelay r : List.of(a, b, c)) {
            r.dropAcks = true; // the standby gets a copy of each message too: no ack from anyone
        }
        List<CompletableFuture<Result<Delivery>>> sends = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sends.add(sender.manager.send("room-1", "m" + i).toCompletableFuture());
        }
        vs.advance(Duration.ofMillis(10));
        assertEquals(5, sender.manager.status().outboxDepth());
        for (SimRelay r : List.of(a, b, c)) {
            r.dropAcks = false;
        }
        relayOf(primary).closeAll(1001, "bye");
        vs.advance(Duration.ofMillis(50));
        assertEquals(0, sender.manager.status().outboxDepth());
        RelayEvent.Failover f = sender.events(RelayEvent.Failover.class).get(0);
        assertEquals(5, f.replayed());
        for (CompletableFuture<Result<Delivery>> s : sends) {
            assertEquals(2, s.getNow(null).orElseThrow().attempts());
        }
        List<String> got = receiver.inbox.stream().map(m -> m.payload()).toList();
        assertEquals(List.of("m0", "m1", "m2", "m3", "m4"), got);
        assertTrue(receiver.manager.status().counters().duplicatesSuppressed() >= 5);
    }

    @Test
    void stopFailsPendingSendsWithClosed() {
        Client cl = connected(Clients.config(net).build(), 9);
        for (SimRelay r : List.of(a, b, c)) {
            r.dropAcks = true;
        }
        CompletableFuture<Result<Delivery>> s = cl.manager.send("room-1", "x").toCompletableFuture();
        vs.advance(Duration.ofMillis(5));
        cl.manager.stop();
        vs.runUntilIdle();
        assertEquals(ErrorCode.CLOSED, s.getNow(null).failure().orElseThrow().code());
        assertEquals(SessionState.CLOSED, cl.manager.status().state());
        assertEquals(ErrorCode.CLOSED, cl.manager.send("room-1", "y").toCompletableFuture().getNow(null)
                .failure().orElseThrow().code());
        assertTrue(cl.store.closed);
    }

    @Test
    void goesBackToARecoveredHigherPriorityRelayOnlyAfterItWasStable() {
        VirtualScheduler v = vs;
        SimNetwork n = new SimNetwork(v);
        SimRelay high = n.relay("ws://127.0.0.1:9501/");
        SimRelay low = n.relay("ws://127.0.0.1:9502/");
        RelayConfig cfg = RelayConfig.custom().relays(List.of(
                io.solconnect.relay.api.RelayEndpoint.builder(high.id()).priority(0).build(),
                io.solconnect.relay.api.RelayEndpoint.builder(low.id()).priority(10).build()))
                .stablePeriod(Duration.ofSeconds(5)).build();
        Client cl = Clients.client(n, v, cfg, 11);
        cl.manager.join("room-1");
        cl.manager.start();
        v.advance(Duration.ofMillis(20));
        assertEquals(high.id(), cl.manager.status().primary().orElseThrow());
        high.down = true;
        high.crashConnections();
        v.advance(Duration.ofMillis(20));
        assertEquals(low.id(), cl.manager.status().primary().orElseThrow());
        high.down = false;
        // the recovered relay comes back as a standby first; no switch before it was stable
        v.advanceUntil(() -> cl.manager.status().standby().contains(high.id()), Duration.ofSeconds(5));
        v.advance(Duration.ofSeconds(3));
        assertEquals(low.id(), cl.manager.status().primary().orElseThrow());
        v.advanceUntil(() -> cl.manager.status().primary().orElseThrow().equals(high.id()), Duration.ofSeconds(5));
        List<RelayEvent.Failover> fs = cl.events(RelayEvent.Failover.class);
        RelayEvent.Failover back = fs.get(fs.size() - 1);
        assertTrue(back.reason().startsWith("back to preferred relay"), back.reason());
        assertEquals(Duration.ZERO, back.duration());
        // and it stays there
        v.advance(Duration.ofSeconds(30));
        assertEquals(fs.size(), cl.events(RelayEvent.Failover.class).size());
    }
    @Test
    void convergingOnAPreferredRelayThatDoesNotAnswerKeepsTheStandbyItHearsTheRoomThrough() {
        // relays keep little history, so a link closed for seconds cannot be made good by a resume
        for (SimRelay r : List.of(a, b, c)) {
            r.historyLimit = 5;
        }
        Client cl = connected(Clients.config(net).build(), 12);
        SimRelay preferred = relayOf(cl.manager.status().primary().orElseThrow());
        preferred.blackhole = true;  // silent: the failover needs a missed pong, connects hang
        preferred.crashConnections();
        vs.advanceUntil(() -> cl.manager.status().standby().size() == 1
                && !cl.manager.status().primary().orElseThrow().equals(preferred.id()), Duration.ofSeconds(2));
        String standby = cl.manager.status().standby().get(0);
        // a member that only knows the standby's relay keeps talking in the room
        Client other = memberOnlyOn(standby, "other", 13);
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String p = "m" + i;
            other.manager.send("room-1", p);
            sent.add(p);
            vs.advance(Duration.ofMillis(100));
            // the preferred relay's backoff ends within this time and the client tries to converge on
            // it; its connect hangs until the timeout, and the standby must stay meanwhile
            assertTrue(cl.manager.status().standby().contains(standby), "standby dropped at " + i + ": "
                    + cl.manager.status());
        }
        vs.advance(Duration.ofSeconds(1));
        assertEquals(sent, cl.inbox.stream().filter(m -> m.sender().equals("other")).map(m -> m.payload()).toList());
        // once the preferred relay answers, the extra link opens, the weaker standby goes, and the
        // session moves back: never more than standbyCount standbys in the status
        preferred.blackhole = false;
        vs.advanceUntil(() -> {
            assertTrue(cl.manager.status().standby().size() <= 1, cl.manager.status().toString());
            return cl.manager.status().primary().orElseThrow().equals(preferred.id());
        }, Duration.ofSeconds(30));
        vs.advanceUntil(() -> cl.manager.status().standby().size() == 1, Duration.ofSeconds(1));
    }
    @Test
    void aMemberWhoJoinsLateGetsTheNextMessageAtOnceNotAfterTheOrderHold() {
        for (SimRelay r : List.of(a, b, c)) {
            r.historyLimit = 2; // the resume returns the sender's serials 4 and 5 only
        }
        Client early = connected(Clients.config(net).sender("early").build(), 14);
        for (int i = 0; i < 5; i++) {
            early.manager.send("room-1", "before-" + i);
        }
        vs.advance(Duration.ofMillis(50));
        Client late = connected(Clients.config(net).sender("late").build(), 15);
        late.inbox.clear(); // whatever the resume returned
        early.manager.send("room-1", "after");
        vs.advance(Duration.ofMillis(50));
        assertEquals(List.of("after"), late.inbox.stream().map(m -> m.payload()).filter(p -> p.equals("after")).toList());
    }
    @Test
    void aMemberMissingMessagesBeyondTheRelaysHistoryGetsThemFromTheSender() {
        for (SimRelay r : List.of(a, b, c)) {
            r.historyLimit = 5;
        }
        Client sender = connected(Clients.config(net).build(), 40);
        SimRelay primary = relayOf(sender.manager.status().primary().orElseThrow());
        Client member = memberOnlyOn(primary.id(), "member", 41);
        for (int i = 0; i < 5; i++) {
            sender.manager.send("room-1", "m" + i);
        }
        vs.advance(Duration.ofMillis(20));
        assertEquals(5, member.inbox.size());
        // the member's link drops; the sender goes on, and by the time the member is back the
        // relay's history holds only the last five entries, its own join frame and m26..m29
        primary.crashConnectionsOf("member");
        for (int i = 5; i < 30; i++) {
            sender.manager.send("room-1", "m" + i);
        }
        vs.advanceUntil(() -> member.inbox.size() == 30, Duration.ofSeconds(2)); // the order hold is 10 s
        assertEquals(IntStream.range(0, 30).mapToObj(i -> "m" + i).toList(),
                member.inbox.stream().map(m -> m.payload()).toList(), "all of them, in the sender's order");
        assertEquals(1, member.manager.status().counters().resendsRequested());
        assertEquals(1, primary.resendRequests);
        assertEquals(21, sender.manager.status().counters().resent(), "m5..m25, each once");
        vs.advance(Duration.ofSeconds(5));
        assertEquals(30, member.inbox.size());
        assertEquals(1, member.manager.status().counters().resendsRequested(), "no gap left to ask about");
    }

    @Test
    void liveMessagesForwardedBeforeTheResumeAnswerWaitForItsOlderHistory() {
        Client sender = connected(Clients.config(net).build(), 44);
        SimRelay primary = relayOf(sender.manager.status().primary().orElseThrow());
        for (int i = 0; i < 5; i++) {
            sender.manager.send("room-1", "m" + i);
        }
        vs.advance(Duration.ofMillis(20));
        // the relay forwards live messages at once but answers the resume 50 ms after the join
        primary.resumeDelay = Duration.ofMillis(50);
        Client member = memberOnlyOn(primary.id(), "member", 45);
        sender.manager.send("room-1", "m5"); // reaches the member before the history of m0..m4
        vs.advance(Duration.ofMillis(100));
        assertEquals(List.of("m0", "m1", "m2", "m3", "m4", "m5"), member.inbox.stream().map(m -> m.payload()).toList());
    }

    @Test
    void aResumeThatIsNeverAnsweredHoldsLiveMessagesForAnAckTimeoutAtMost() {
        Client sender = connected(Clients.config(net).build(), 46);
        SimRelay primary = relayOf(sender.manager.status().primary().orElseThrow());
        primary.resumeDelay = Duration.ofHours(1);
        Client member = memberOnlyOn(primary.id(), "member", 47);
        sender.manager.send("room-1", "m0");
        vs.advance(Duration.ofMillis(100));
        assertTrue(member.inbox.isEmpty(), "held while the resume is pending");
        vs.advanceUntil(() -> member.inbox.size() == 1, Duration.ofSeconds(5));
        assertEquals("m0", member.inbox.get(0).payload());
    }

    @Test
    void aResendRequestForAnotherSenderOrUnknownSerialsWritesNothing() {
        Client sender = connected(Clients.config(net).build(), 42);
        SimRelay primary = relayOf(sender.manager.status().primary().orElseThrow());
        sender.manager.send("room-1", "m0");
        vs.advance(Duration.ofMillis(20));
        int before = primary.framesReceived;
        for (String origin : List.of("someone-else/s1", "nobody")) {
            primary.broadcastRaw("{\"type\":\"resend\",\"roomId\":\"room-1\",\"message\":\"\",\"sender\":\"x\","
                    + "\"timestamp\":\"1970-01-01T00:00:00Z\",\"origin\":\"" + origin + "\",\"from\":1,\"to\":1}");
        }
        vs.advance(Duration.ofMillis(20));
        assertEquals(before, primary.framesReceived);
        assertEquals(0, sender.manager.status().counters().resent());
        assertEquals(0, sender.manager.status().counters().malformedFrames());
    }

    @Test
    void aMemberOnlyOnTheSendersStandbyRelayHearsEveryMessageLive() {
        Client sender = connected(Clients.config(net).build(), 16);
        String standby = sender.manager.status().standby().get(0);
        Client member = memberOnlyOn(standby, "member", 17);
        for (int i = 0; i < 5; i++) {
            sender.manager.send("room-1", "m" + i);
        }
        vs.advance(Duration.ofMillis(20));
        assertEquals(List.of("m0", "m1", "m2", "m3", "m4"), member.inbox.stream().map(m -> m.payload()).toList());
        assertEquals(0, sender.manager.status().outboxDepth());
    }
    @Test
    void aResumeReturningHistoryOlderThanTheDedupCacheDeliversNothingTwice() {
        Client sender = connected(Clients.config(net).build(), 18);
        // the smallest dedup cache: 1,000 keys per message id and content key
        Client receiver = connected(Clients.config(net).dedupMaxEntries(1000).sender("r").build(), 19);
        for (int i = 0; i < 1500; i++) {
            sender.manager.send("room-1", "m" + i);
            if (i % 100 == 99) {
                vs.advance(Duration.ofMillis(5));
            }
        }
        vs.advance(Duration.ofMillis(50));
        assertEquals(1500, receiver.inbox.size());
        // the receiver's standby drops and comes back: its resume from 0 returns the relay's whole
        // history, whose first keys the cache has forgotten
        String standby = receiver.manager.status().standby().get(0);
        String primary = receiver.manager.status().primary().orElseThrow();
        for (SimRelay r : List.of(a, b, c)) {
            r.down = !r.id().equals(standby) && !r.id().equals(primary); // it comes back to the same relay
        }
        long dups = receiver.manager.status().counters().duplicatesSuppressed();
        relayOf(standby).crashConnections();
        vs.advanceUntil(() -> receiver.manager.status().standby().contains(standby)
                && relayOf(standby).members("room-1") == 2, Duration.ofSeconds(5));
        vs.advance(Duration.ofMillis(50));
        assertEquals(1500, receiver.inbox.size(), "no message delivered twice");
        assertTrue(receiver.manager.status().counters().duplicatesSuppressed() >= dups + 1500);
    }
    @Test
    void aPromotedStandbyIsNotSentAgainWhatItGotAsCopies() {
        Client sender = connected(Clients.config(net).build(), 24);
        Client receiver = connected(Clients.config(net).sender("r").build(), 25);
        String primary = sender.manager.status().primary().orElseThrow();
        SimRelay standby = relayOf(sender.manager.status().standby().get(0));
        for (int i = 0; i < 50; i++) {
            sender.manager.send("room-1", "m" + i);
        }
        vs.advance(Duration.ofMillis(20));
        assertEquals(0, sender.manager.status().outboxDepth());
        int before = standby.framesReceived;
        relayOf(primary).crashConnections();
        vs.advanceUntil(() -> sender.manager.status().primary().equals(Optional.of(standby.id())), Duration.ofSeconds(1));
        vs.advance(Duration.ofMillis(20));
        // every message went to the standby as a copy: re-publishing them would be 50 frames
        assertTrue(standby.framesReceived - before < 10, "frames after the switch: " + (standby.framesReceived - before));
        assertEquals(50, receiver.inbox.size());
    }

    @Test
    void aNewStandbyGetsTheLatestMessagesForMembersWhoMovedThereFirst() {
        Client sender = connected(Clients.config(net).build(), 20);
        String standby = sender.manager.status().standby().get(0);
        SimRelay third = thirdRelay(sender);
        // a member who is only on the third relay (it failed over there from a relay that died)
        Client member = memberOnlyOn(third.id(), "member", 21);
        for (int i = 0; i < 10; i++) {
            sender.manager.send("room-1", "m" + i);
        }
        vs.advance(Duration.ofMillis(20));
        assertTrue(member.inbox.isEmpty(), "the third relay had none of them");
        // the sender's standby relay dies: its new standby is the third relay
        relayOf(standby).down = true;
        relayOf(standby).crashConnections();
        vs.advanceUntil(() -> sender.manager.status().standby().contains(third.id()), Duration.ofSeconds(2));
        vs.advance(Duration.ofMillis(20));
        assertEquals(List.of("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9"),
                member.inbox.stream().map(m -> m.payload()).toList());
    }
    @Test
    void aLargeCatchUpIsWrittenInBatchesAndLiveMessagesDoNotWaitForIt() {
        Client sender = connected(Clients.config(net).build(), 26);
        Client receiver = connected(Clients.config(net).sender("r").build(), 30);
        String standby = sender.manager.status().standby().get(0);
        SimRelay third = thirdRelay(sender);
        Client member = memberOnlyOn(third.id(), "member", 27);
        int n = 1000;
        for (int i = 0; i < n; i++) {
            sender.manager.send("room-1", "m" + i);
            if (i % 100 == 99) {
                vs.advance(Duration.ofMillis(5));
            }
        }
        vs.advance(Duration.ofMillis(20));
        assertEquals(0, sender.manager.status().outboxDepth());
        relayOf(standby).down = true;
        relayOf(standby).crashConnections();
        vs.advanceUntil(() -> sender.manager.status().standby().contains(third.id()), Duration.ofSeconds(2));
        int atOpen = third.framesReceived;
        vs.advance(Duration.ofMillis(5)); // less than one batch interval: the first batch only
        int firstBatch = third.framesReceived - atOpen;
        // one batch (Pacer.BATCH = 128 messages, joined into fewer frames where the protocol can)
        // and a few control frames, not the 1,000
        assertTrue(firstBatch > 0 && firstBatch <= 128 + 8, "frames in the first 5 ms: " + firstBatch);
        int before = receiver.inbox.size();
        for (int i = n; i < n + 5; i++) {
            sender.manager.send("room-1", "m" + i); // live messages while the catch-up runs
        }
        vs.advance(Duration.ofMillis(5));
        assertEquals(before + 5, receiver.inbox.size(), "a member who has the older ones gets the new ones at once");
        assertTrue(third.payloads("room-1").contains("m" + n) && !third.payloads("room-1").contains("m" + (n - 1)),
                "the live copy reached the new standby's relay ahead of the rest of the catch-up");
        vs.advance(Duration.ofSeconds(1)); // 1,000 messages, 128 per ack
        List<String> want = new ArrayList<>();
        for (int i = 0; i < n + 5; i++) {
            want.add("m" + i);
        }
        assertEquals(want, member.inbox.stream().map(m -> m.payload()).toList(), "the member gets all, in order");
    }

    @Test
    void aCatchUpBatchWaitsForTheRelaysAckOfTheOneBefore() {
        Client sender = connected(Clients.config(net).build(), 33);
        String standby = sender.manager.status().standby().get(0);
        SimRelay third = thirdRelay(sender);
        Client member = memberOnlyOn(third.id(), "member", 34);
        int n = 200;
        for (int i = 0; i < n; i++) {
            sender.manager.send("room-1", "m" + i);
        }
        vs.advance(Duration.ofMillis(20));
        assertEquals(0, sender.manager.status().outboxDepth());
        third.dropAcks = true; // a relay that has not answered for the last batch yet
        relayOf(standby).down = true;
        relayOf(standby).crashConnections();
        vs.advanceUntil(() -> sender.manager.status().standby().contains(third.id()), Duration.ofSeconds(2));
        vs.advance(Duration.ofMillis(5));
        long firstBatch = sent(third);
        assertEquals(128, firstBatch, "the first batch (Pacer.BATCH)");
        vs.advance(Duration.ofMillis(450)); // less than Pacer.ACK_WAIT_MS
        assertEquals(firstBatch, sent(third), "no second batch without the ack of the first");
        third.dropAcks = false;
        vs.advance(Duration.ofMillis(100)); // the wait for the lost ack ends; later batches are acknowledged
        long later = sent(third);
        assertTrue(later > 128, "the catch-up went on after the wait: " + later);
        vs.advance(Duration.ofSeconds(1));
        List<String> want = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            want.add("m" + i);
        }
        assertEquals(want, member.inbox.stream().map(m -> m.payload()).toList(), "the member gets all, in order");
    }

    @Test
    void membersWhoseStandbysDifferConvergeOnTheRoomsNextChoice() {
        Client first = connected(Clients.config(net).build(), 28);
        String primary = first.manager.status().primary().orElseThrow();
        SimRelay next = relayOf(first.manager.status().standby().get(0));
        next.down = true; // the room's second choice is down while the second member connects
        Client second = connected(Clients.config(net).sender("second").build(), 29);
        assertEquals(Optional.of(primary), second.manager.status().primary());
        assertTrue(!second.manager.status().standby().contains(next.id()), "its standby is the third relay");
        next.down = false;
        vs.advanceUntil(() -> second.manager.status().standby().equals(List.of(next.id())), Duration.ofSeconds(30));
        assertEquals(List.of(next.id()), first.manager.status().standby());
        assertEquals(Optional.of(primary), second.manager.status().primary());
    }

    @Test
    void standbysConvergeOnlyAfterAStablePeriodWithoutFailover() {
        SimRelay d = net.relay("ws://127.0.0.1:9004/");
        RelayConfig cfg = Clients.config(net).stablePeriod(Duration.ofSeconds(5)).build();
        Client cl = connected(cfg, 31);
        SimRelay primary = relayOf(cl.manager.status().primary().orElseThrow());
        SimRelay second = relayOf(cl.manager.status().standby().get(0));
        // the room's third choice: where a client goes when the first two are down
        primary.down = true;
        second.down = true;
        Client probe = connected(Clients.config(net).sender("probe").build(), 32);
        SimRelay third = relayOf(probe.manager.status().primary().orElseThrow());
        probe.manager.stop();
        second.down = false;
        // the primary dies while the third choice is down too: the new standby is the fourth
        third.down = true;
        primary.crashConnections();
        vs.advanceUntil(() -> cl.manager.status().primary().equals(Optional.of(second.id()))
                && cl.manager.status().standby().size() == 1, Duration.ofSeconds(2));
        SimRelay fourth = relayOf(cl.manager.status().standby().get(0));
        assertTrue(fourth != third && fourth != primary && fourth != second, "the fourth relay: " + fourth.id());
        assertTrue(List.of(a, b, c, d).contains(fourth));
        third.down = false;
        vs.advance(Duration.ofSeconds(3)); // health checks, but within the stable period after the failover
        assertEquals(List.of(fourth.id()), cl.manager.status().standby(), "no standby churn right after a failover");
        vs.advanceUntil(() -> cl.manager.status().standby().equals(List.of(third.id())), Duration.ofSeconds(10));
    }

    @Test
    void aStandbyConnectThatHangsDoesNotHoldTheSlotAgainstAnotherRelay() {
        Client cl = connected(Clients.config(net).build(), 22);
        String primary = cl.manager.status().primary().orElseThrow();
        SimRelay standby = relayOf(cl.manager.status().standby().get(0));
        SimRelay third = List.of(a, b, c).stream().filter(r -> !r.id().equals(primary) && r != standby)
                .findFirst().orElseThrow();
        third.blackhole = true; // a connect to it hangs for the 5 s connect timeout
        standby.down = true;
        standby.crashConnections();
        vs.advance(Duration.ofMillis(50)); // the slot goes to the third relay, the only one not backing off
        standby.down = false;
        // within a detection time (400 ms) plus backoff the slot is tried again, beside the hanging connect
        vs.advanceUntil(() -> cl.manager.status().standby().contains(standby.id()), Duration.ofSeconds(2));
        assertEquals(primary, cl.manager.status().primary().orElseThrow());
    }
}
