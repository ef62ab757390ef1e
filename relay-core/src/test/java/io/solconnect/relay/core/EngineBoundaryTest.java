package io.solconnect.relay.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solconnect.relay.api.ClientStatus;
import io.solconnect.relay.api.Delivery;
import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.InboundMessage;
import io.solconnect.relay.api.OutboundMessage;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.RelayError;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.SessionState;
import io.solconnect.relay.core.sim.Clients;
import io.solconnect.relay.core.sim.Clients.Client;
import io.solconnect.relay.core.sim.MemStore;
import io.solconnect.relay.core.sim.SimNetwork;
import io.solconnect.relay.core.sim.SimRelay;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Hostile frames, the legacy protocol, durability across restarts, drained relays, provider selection. */
class EngineBoundaryTest {

    final VirtualScheduler vs = new VirtualScheduler();
    final SimNetwork net = new SimNetwork(vs);

    Client started(RelayConfig cfg, long seed) {
        return Clients.started(net, vs, cfg, seed);
    }

    @Test
    void hostileFramesChangeNothingButCountersAndEvents() {
        SimRelay a = net.relay("ws://127.0.0.1:9301/");
        Client c = started(Clients.config(net).standbyCount(0).build(), 1);
        CompletableFuture<Result<Delivery>> ok = c.manager.send("room", "real").toCompletableFuture();
        vs.advance(Duration.ofMillis(10));
        String realId = ok.getNow(null).orElseThrow().messageId();
        ClientStatus before = c.manager.status();
        List<String> malformed = List.of(
                "not json at all",
                "{\"a\":" + "[".repeat(3000) + "]".repeat(3000) + "}",
                "{\"roomId\":\"room\",\"message\":\"m\",\"sequenceNumber\":1" + "0".repeat(400) + "}",
                "{\"roomId\":[],\"message\":\"m\"}",
                "{\"type\":\"sync_ack\",\"acknowledgedMessageIds\":{\"x\":1}}",
                "{\"roomId\":\"room\",\"message\":\"" + "x".repeat(1024 * 1024 + 10) + "\"}");
        List<String> harmless = List.of(
                "{\"type\":\"sync_ack\",\"acknowledgedMessageIds\":[\"unknown-id\"]}",
                "{\"type\":\"sync_ack\",\"acknowledgedMessageIds\":[\"" + realId + "\"]}",
                "{\"type\":\"sync_status\",\"status\":\"completed\"}",
                "{\"error\":\"Invalid message\"}");
        malformed.forEach(a::broadcastRaw);
        harmless.forEach(a::broadcastRaw);
        vs.advance(Duration.ofMillis(10));
        ClientStatus after = c.manager.status();
        assertEquals(SessionState.CONNECTED, after.state());
        assertEquals(before.primary(), after.primary());
        assertEquals(before.counters().malformedFrames() + malformed.size(), after.counters().malformedFrames());
        assertEquals(before.counters().delivered(), after.counters().delivered());
        assertEquals(before.counters().acknowledged(), after.counters().acknowledged());
        assertEquals(0, after.counters().failovers());
        assertEquals(1, c.events(RelayEvent.FrameRejected.class).size(), "the first is reported, the rest counted");
        assertTrue(c.inbox.isEmpty());
        assertEquals(2, ((RelayManager) c.manager).engineUnknownAcks());
        vs.advance(Duration.ofSeconds(12)); // the count is reported once the interval is over
        List<RelayEvent.FrameRejected> rejected = c.events(RelayEvent.FrameRejected.class);
        assertEquals(2, rejected.size(), rejected::toString);
        assertTrue(rejected.get(1).reason().startsWith((malformed.size() - 1) + " more malformed frames"), rejected::toString);
    }

    /** A relay sending 10,000 malformed frames over 30 s: all counted, a handful of log lines, the session works. */
    @Test
    void aFloodOfMalformedFramesIsCountedAndLoggedInAFewLines() {
        SimRelay a = net.relay("ws://127.0.0.1:9309/");
        Client c = started(Clients.config(net).standbyCount(0).build(), 1);
        vs.advance(Duration.ofMillis(10));
        try (LogCapture logs = new LogCapture()) {
            for (int i = 0; i < 10_000; i++) {
                a.broadcastRaw("not json " + i);
                if (i % 100 == 99) {
                    vs.advance(Duration.ofMillis(300));
                }
            }
            vs.advance(Duration.ofSeconds(15)); // pongs from the idle link bring the last count due
            List<String> lines = logs.events().stream()
                    .filter(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN && e.getFormattedMessage().contains("malformed"))
                    .map(e -> e.getFormattedMessage()).toList();
            assertEquals(10_000, c.manager.status().counters().malformedFrames());
            assertTrue(lines.size() >= 2 && lines.size() <= 6, "the first, then one line per 10 s: " + lines);
            long reported = 1 + lines.stream().skip(1).mapToLong(l -> Long.parseLong(l.substring(0, l.indexOf(' ')))).sum();
            assertEquals(10_000, reported, "the lines account for every frame: " + lines);
            assertEquals(lines.size(), c.events(RelayEvent.FrameRejected.class).size(), "events as the lines, not per frame");
        }
        assertEquals(SessionState.CONNECTED, c.manager.status().state());
        CompletableFuture<Result<Delivery>> sent = c.manager.send("room", "still works").toCompletableFuture();
        vs.advance(Duration.ofMillis(10));
        assertTrue(sent.getNow(null).isOk(), "the session still works");
    }

    @Test
    void legacyDeliveriesAreUnconfirmedAndReachTheOtherClient() {
        net.relay("ws://127.0.0.1:9311/", true);
        RelayConfig cfg = Clients.config(net).protocol("solconnect-legacy").standbyCount(0).build();
        Client s = started(cfg, 2);
        Client r = started(cfg, 3);
        CompletableFuture<Result<Delivery>> f = s.manager.send("room", "hello legacy").toCompletableFuture();
        vs.advance(Duration.ofMillis(10));
        Delivery d = f.getNow(null).orElseThrow();
        assertFalse(d.confirmed());
        assertEquals(List.of("hello legacy"), r.inbox.stream().map(InboundMessage::payload).toList());
        assertTrue(r.inbox.get(0).messageId().isPresent(), "relay.js forwards the client id unchanged");
        assertFalse(s.events(RelayEvent.MessageAcknowledged.class).get(0).confirmed());
    }

    @Test
    void badSendsFailWithClearErrors() {
        net.relay("ws://127.0.0.1:9321/");
        RelayConfig cfg = Clients.config(net).maxMessageBytes(1024).outboxLimits(10, 4096).build();
        Client c = started(cfg, 4);
        assertEquals(ErrorCode.TOO_LARGE, c.manager.send("room", "x".repeat(1025)).toCompletableFuture().getNow(null)
                .failure().orElseThrow().code());
        assertEquals(ErrorCode.BAD_INPUT, c.manager.send("", "x").toCompletableFuture().getNow(null)
                .failure().orElseThrow().code());
        assertEquals(ErrorCode.BAD_INPUT, c.manager.send("room", "").toCompletableFuture().getNow(null)
                .failure().orElseThrow().code());
        c.store.refuseWrites = true;
        Result<Delivery> r = c.manager.send("room", "x").toCompletableFuture().getNow(null);
        assertEquals(ErrorCode.IO, r.failure().orElseThrow().code());
        assertEquals(0, c.manager.status().outboxDepth(), "a refused message is not held");
        assertEquals(4, c.manager.status().counters().failed());
    }

    @Test
    void theDurableOutboxIsReplayedAtTheNextStart() {
        net.relay("ws://127.0.0.1:9331/");
        RelayConfig cfg = Clients.config(net).standbyCount(0).build();
        MemStore store = new MemStore();
        store.outbox.put("0190a0a0-0000-7000-8000-000000000001", new OutboundMessage("0190a0a0-0000-7000-8000-000000000001",
                "room", "me", "left over", Instant.parse("2025-12-31T23:59:00Z")));
        Client receiver = started(cfg, 5);
        Client c = Clients.client(net, vs, cfg, 6, store);
        c.manager.start();
        assertEquals(1, c.manager.status().outboxDepth());
        vs.advance(Duration.ofMillis(50));
        assertEquals(0, c.manager.status().outboxDepth());
        assertTrue(store.outbox.isEmpty(), "removed from the store on ack");
        assertEquals(List.of("left over"), receiver.inbox.stream().map(InboundMessage::payload).toList());
        assertTrue(store.history.isEmpty());
        c.manager.stop();
        vs.advance(Duration.ofMillis(10));
        assertEquals(1, store.history.size(), "the connection was recorded in the history");
    }

    @Test
    void aRelayThatLeavesDiscoveryIsDrainedNotCut() {
        net.relay("ws://127.0.0.1:9341/");
        net.relay("ws://127.0.0.1:9342/");
        net.relay("ws://127.0.0.1:9343/");
        RelayConfig cfg = Clients.config(net).build();
        Client c = started(cfg, 7);
        String primary = c.manager.status().primary().orElseThrow();
        List<RelayEndpoint> rest = cfg.relays().stream().filter(r -> !r.id().equals(primary)).toList();
        Result<Result.Done> applied = c.manager.reconfigure(RelayConfig.from(cfg).relays(rest).build());
        assertTrue(applied.isOk(), applied.toString());
        vs.advanceUntil(() -> !c.events(RelayEvent.Failover.class).isEmpty(), Duration.ofSeconds(5));
        RelayEvent.Failover f = c.events(RelayEvent.Failover.class).get(0);
        assertTrue(f.reason().contains("left discovery"), f.reason());
        assertEquals(1, c.events(RelayEvent.RelayLost.class).size());
        vs.advance(Duration.ofSeconds(2));
        // the old primary was closed by us, gracefully, after the switch
        assertTrue(c.events(RelayEvent.Disconnected.class).stream().anyMatch(d -> d.relay().equals(primary)
                && d.closeCode() == 1000));
        assertEquals(2, c.manager.status().relays().size());
    }

    @Test
    void reconfigureRetunesTheRunningSessionAndRefusesRestartOnlyFields() {
        net.relay("ws://127.0.0.1:9351/");
        net.relay("ws://127.0.0.1:9352/");
        net.relay("ws://127.0.0.1:9353/");
        RelayConfig cfg = Clients.config(net).build();
        Client c = started(cfg, 8);
        assertEquals(1, c.manager.status().standby().size());

        RelayConfig more = RelayConfig.from(cfg).standbyCount(2).failoverThreshold(0.2)
                .pingInterval(Duration.ofMillis(300)).build();
        Result<Result.Done> applied = c.manager.reconfigure(more);
        assertTrue(applied.isOk(), applied.toString());
        assertEquals(more, c.manager.config());
        vs.advanceUntil(() -> c.manager.status().standby().size() == 2, Duration.ofSeconds(5));
        assertEquals(2, c.manager.status().standby().size(), "a second standby was opened");

        RelayError refused = c.manager.reconfigure(RelayConfig.from(more).protocol("solconnect-legacy")
                .maxMessageBytes(4096).build()).failure().orElseThrow();
        assertEquals(ErrorCode.INVALID_CONFIG, refused.code());
        assertTrue(refused.message().contains("outbox.maxMessageBytes, plugins.protocol"), refused.message());
        assertEquals(more, c.manager.config(), "a refused change leaves the configuration as it was");

        RelayError noRegistry = c.manager.reconfigure(RelayConfig.from(more)
                .selectionStrategy(more.selection().strategy().withAlgorithm("round-robin")).build()).failure().orElseThrow();
        assertTrue(noRegistry.message().contains("RelayManager.create"), noRegistry.message());
    }

    /** What the settings page sends goes through reconfigure: new relays pass the discovery address rules. */
    @Test
    void relaysAddedAtRunTimePassTheAddressRules() {
        net.relay("ws://127.0.0.1:9361/");
        net.relay("ws://127.0.0.1:9362/");
        RelayConfig cfg = Clients.config(net).build();
        Client c = started(cfg, 9);
        List<RelayEndpoint> more = new java.util.ArrayList<>(cfg.relays());
        more.add(RelayEndpoint.of("ws://127.0.0.1:9363/"));
        RelayError loopback = c.manager.reconfigure(RelayConfig.from(cfg).relays(more).build()).failure().orElseThrow();
        assertEquals(ErrorCode.FORBIDDEN, loopback.code());
        assertTrue(loopback.message().contains("ws://127.0.0.1:9363/") && loopback.message().contains("loopback"),
                loopback.message());
        assertEquals(cfg, c.manager.config(), "a refused change leaves the configuration as it was");

        net.relay("ws://127.0.0.1:9364/");
        RelayConfig lax = Clients.config(net).allowPrivateAddresses(true).build();
        Client d = started(RelayConfig.from(lax).relays(lax.relays().subList(0, 2)).build(), 10);
        List<RelayEndpoint> metadata = new java.util.ArrayList<>(d.manager.config().relays());
        metadata.add(RelayEndpoint.of("ws://127.0.0.1:9364/"));
        assertTrue(d.manager.reconfigure(RelayConfig.from(d.manager.config()).relays(metadata).build()).isOk(),
                "loopback is allowed with allowPrivateAddresses");
        metadata.add(RelayEndpoint.of("wss://169.254.169.254/"));
        RelayError cloud = d.manager.reconfigure(RelayConfig.from(d.manager.config()).relays(metadata).build())
                .failure().orElseThrow();
        assertTrue(cloud.message().contains("metadata"), cloud.message());
    }

    @Test
    void createSelectsProvidersByNameAndReportsUnknownOnes() {
        RelayConfig cfg = RelayConfig.custom().relays(List.of(RelayEndpoint.of("wss://r.example/"))).store(
                io.solconnect.relay.api.ProviderChoice.of("no-such-store")).build();
        Result<RelayManager> r = RelayManager.create(cfg, ProviderRegistry.load(), vs);
        assertEquals(ErrorCode.UNKNOWN_PROVIDER, r.failure().orElseThrow().code());
        assertTrue(r.failure().orElseThrow().message().contains("no-such-store"));
        ProviderRegistry reg = ProviderRegistry.load();
        assertTrue(reg.names(io.solconnect.relay.api.spi.ProtocolProvider.class).containsAll(
                List.of("solconnect-sync", "solconnect-legacy")));
        assertTrue(reg.names(io.solconnect.relay.api.spi.HealthScorerProvider.class).contains("default"));
    }
}
