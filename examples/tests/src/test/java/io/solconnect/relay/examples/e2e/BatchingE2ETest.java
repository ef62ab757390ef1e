package io.solconnect.relay.examples.e2e;

import io.solconnect.relay.api.Delivery;
import io.solconnect.relay.api.InboundMessage;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.SessionState;
import io.solconnect.relay.examples.server.RelayServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Batching on the wire, end to end over loopback: a sender with a backlog writes several messages
 * per {@code sync_update}, relays acknowledge them together, and receivers get every message once,
 * in order: with the bundled relay, with a relay that acknowledges only half of each batch, and
 * with one that behaves like {@code relay-sync.js} on a bad entry in the middle of a batch.
 */
class BatchingE2ETest {

    private static final String ROOM = "batch-room";

    /** Sends {@code count} messages {@code m-1..m-count} without waiting for any. */
    private static List<CompletableFuture<Result<Delivery>>> sendBacklog(E2EClient sender, int count) {
        List<CompletableFuture<Result<Delivery>>> sends = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            sends.add(sender.send(ROOM, Relays.payload(i)));
        }
        return sends;
    }

    private static E2EClient started(java.net.URI relay) {
        E2EClient c = new E2EClient(E2EClient.config(relay).build());
        c.start(ROOM);
        return c;
    }

    @Test
    void aBacklogGoesOutInBatchesThroughTheBundledRelayWithNothingLostOrDuplicated() throws Exception {
        int count = 3000;
        try (RelayServer relay = RelayServer.start(); E2EClient receiver = started(relay.uri());
             E2EClient sender = started(relay.uri())) {
            receiver.await("receiver connected", () -> receiver.manager().status().state() == SessionState.CONNECTED);
            sender.await("sender connected", () -> sender.manager().status().state() == SessionState.CONNECTED);
            sendBacklog(sender, count);
            assertEquals(0, sender.awaitSends(), "every message acknowledged by the relay");
            receiver.awaitReceived(count);
            Relays.assertExactlyOnceInOrder(receiver.listenForMoreThan(count, Duration.ofMillis(300)), count);
        }
    }

    @Test
    void framesCarrySeveralMessagesUnderABacklogAndOneWhenIdle() throws Exception {
        int count = 3000;
        try (ScriptedSyncRelay relay = new ScriptedSyncRelay(ScriptedSyncRelay.Mode.ACK_ALL);
             E2EClient receiver = started(relay.uri()); E2EClient sender = started(relay.uri())) {
            receiver.await("receiver connected", () -> receiver.manager().status().state() == SessionState.CONNECTED);
            sender.await("sender connected", () -> sender.manager().status().state() == SessionState.CONNECTED);
            // idle: one message, acknowledged before the next, travels alone
            for (int i = 1; i <= 5; i++) {
                assertTrue(sender.send(ROOM, Relays.payload(i)).get().isOk());
            }
            assertEquals(5, relay.updateFrames());
            assertEquals(0, relay.batchFrames(), "no batch without a backlog");
            List<CompletableFuture<Result<Delivery>>> sends = new ArrayList<>();
            for (int i = 6; i <= count; i++) {
                sends.add(sender.send(ROOM, Relays.payload(i)));
            }
            assertEquals(0, sender.awaitSends());
            receiver.awaitReceived(count);
            Relays.assertExactlyOnceInOrder(receiver.listenForMoreThan(count, Duration.ofMillis(300)), count);
            long frames = relay.updateFrames();
            assertEquals(count, relay.updateEntries(), "every message written once");
            assertTrue(frames * 4 <= count, "3000 messages in " + frames + " frames (" + relay.batchFrames() + " batches)");
            System.out.printf("batching: %d messages in %d sync_update frames (%d batches)%n", count, frames,
                    relay.batchFrames());
        }
    }

    @Test
    void whatARelayLeavesUnacknowledgedInABatchIsWrittenAgainAndNothingIsLostOrDuplicated() throws Exception {
        int count = 1000;
        try (ScriptedSyncRelay relay = new ScriptedSyncRelay(ScriptedSyncRelay.Mode.ACK_HALF);
             E2EClient receiver = started(relay.uri()); E2EClient sender = started(relay.uri())) {
            receiver.await("receiver connected", () -> receiver.manager().status().state() == SessionState.CONNECTED);
            sender.await("sender connected", () -> sender.manager().status().state() == SessionState.CONNECTED);
            sendBacklog(sender, count);
            assertEquals(0, sender.awaitSends(), "the unacknowledged halves were written again until acknowledged");
            assertTrue(relay.batchFrames() > 0, "batches were written");
            assertTrue(relay.updateEntries() > count, "some messages went twice: " + relay.updateEntries());
            receiver.awaitReceived(count);
            // the relay broadcast the retried ones again: the receiver drops the copies
            Relays.assertExactlyOnceInOrder(receiver.listenForMoreThan(count, Duration.ofMillis(500)), count);
        }
    }

    @Test
    void aBadEntryInTheMiddleOfABatchLosesNoneOfTheOthers() throws Exception {
        int count = 1000;
        int bad = 500;
        try (ScriptedSyncRelay relay = new ScriptedSyncRelay(ScriptedSyncRelay.Mode.RELAY_SYNC_JS_BAD_ENTRY);
             E2EClient receiver = started(relay.uri()); E2EClient sender = started(relay.uri())) {
            receiver.await("receiver connected", () -> receiver.manager().status().state() == SessionState.CONNECTED);
            sender.await("sender connected", () -> sender.manager().status().state() == SessionState.CONNECTED);
            List<CompletableFuture<Result<Delivery>>> sends = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                sends.add(sender.send(ROOM, i == bad ? ScriptedSyncRelay.BAD + "-" + i : Relays.payload(i)));
            }
            for (int i = 0; i < count; i++) {
                if (i != bad - 1) {
                    assertTrue(sends.get(i).get(E2EClient.PATIENCE.toSeconds() * 2, java.util.concurrent.TimeUnit.SECONDS)
                            .isOk(), "message " + (i + 1));
                }
            }
            assertFalse(sends.get(bad - 1).isDone(), "the refused message stays in the outbox, not lost");
            assertTrue(relay.batchFrames() > 0, "batches were written");
            receiver.awaitReceived(count - 1);
            List<InboundMessage> got = receiver.listenForMoreThan(count - 1, Duration.ofMillis(500));
            List<InboundMessage> good = got.stream().filter(m -> m.payload().startsWith("m-")).toList();
            assertEquals(got.size(), good.size(), "the refused message was never delivered");
            assertEquals(count - 1, good.size(), "the others were delivered once each");
            List<Integer> seqs = good.stream().map(m -> Integer.parseInt(m.payload().substring(2))).toList();
            for (int i = 1; i < seqs.size(); i++) {
                assertTrue(seqs.get(i - 1) < seqs.get(i), "order at " + i + ": " + seqs.get(i - 1) + " then " + seqs.get(i));
            }
        }
    }
}
