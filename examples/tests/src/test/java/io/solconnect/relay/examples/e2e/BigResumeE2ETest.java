package io.solconnect.relay.examples.e2e;

import io.solconnect.relay.api.InboundMessage;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.SessionState;
import io.solconnect.relay.examples.server.RelayServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A new member joins a busy room: 1,000 messages of 1.5 KB in its history, about 1.6 MB in one
 * {@code sync_response} on the original relay ({@link OriginalSyncRelay}), in parts on the bundled
 * one. Before resume replies had their own limit, the client closed the link with 1009 on every
 * connect and never delivered anything.
 */
class BigResumeE2ETest {

    private static final String ROOM = "busy-room";
    private static final int HISTORY = 1000;
    private static final int NEW = 100;
    private static final int MIB = 1024 * 1024;
    private static final String PAD = "p".repeat(1500);

    private static String old(int i) {
        return "h-" + i + "-" + PAD;
    }

    private static String fresh(int i) {
        return "n-" + i + "-" + PAD;
    }

    /** The sender joins the room and puts {@code count} messages of 1.5 KB in it, all acknowledged. */
    private static void fill(E2EClient sender, int count) throws Exception {
        sender.start(ROOM);
        sender.await("sender connected", () -> sender.manager().status().state() == SessionState.CONNECTED);
        for (int i = 1; i <= count; i++) {
            sender.send(ROOM, old(i));
        }
        assertEquals(0, sender.awaitSends(), "the room's history is stored");
    }

    /** Sends {@link #NEW} new messages and waits until the receiver has every one of them. */
    private static void newMessagesReachTheReceiver(E2EClient sender, E2EClient receiver) throws Exception {
        for (int i = 1; i <= NEW; i++) {
            sender.send(ROOM, fresh(i));
        }
        assertEquals(0, sender.awaitSends());
        Set<String> want = IntStream.rangeClosed(1, NEW).mapToObj(BigResumeE2ETest::fresh).collect(Collectors.toSet());
        receiver.await("every new message delivered", () -> payloads(receiver).containsAll(want));
    }

    private static Set<String> payloads(E2EClient c) {
        return c.received().stream().map(InboundMessage::payload).collect(Collectors.toCollection(HashSet::new));
    }

    private static E2EClient receiver(URI relay, int maxResumeBytes) {
        return new E2EClient(E2EClient.config(relay).maxMessageBytes(MIB).maxResumeBytes(maxResumeBytes).build());
    }

    @Test
    void aNewMemberOfABusyRoomOnTheOriginalRelayStaysConnectedAndGetsItsHistoryAndEveryNewMessage() throws Exception {
        try (OriginalSyncRelay relay = new OriginalSyncRelay();
             E2EClient sender = new E2EClient(E2EClient.config(relay.uri()).build())) {
            fill(sender, HISTORY);
            try (E2EClient receiver = receiver(relay.uri(), 4 * MIB)) { // the default maxResumeBytes, stated
                receiver.start(ROOM);
                receiver.await("receiver connected", () -> receiver.manager().status().state() == SessionState.CONNECTED);
                // what the relay's one answer held (1,000 entries: a sender that reconnected meanwhile
                // re-published a few, and the relay, storing them again, let as many old ones go)
                receiver.await("the history answer sent", () -> relay.lastResumePayloads().size() > HISTORY * 9 / 10);
                Set<String> history = relay.lastResumePayloads();
                receiver.await("the room's history delivered", () -> payloads(receiver).containsAll(history));
                assertTrue(relay.largestResumeReply() > 3 * MIB / 2,
                        "the history came in one frame over maxMessageBytes: " + relay.largestResumeReply() + " bytes");

                newMessagesReachTheReceiver(sender, receiver);

                assertEquals(List.of(), receiver.events(RelayEvent.Disconnected.class), "the link stayed up");
                assertEquals(1, receiver.events(RelayEvent.Connected.class).size(), "no reconnect");
                assertEquals(0, receiver.manager().status().counters().malformedFrames(),
                        "the stored join frames (no ciphertext) in the history are not malformed");
                assertEquals(payloads(receiver).size(), receiver.received().size(), "each message once");
            }
        }
    }

    @Test
    void aResumeAnswerOverMaxResumeBytesClosesOnceThenTheRoomIsJoinedWithoutItsHistory() throws Exception {
        try (OriginalSyncRelay relay = new OriginalSyncRelay();
             E2EClient sender = new E2EClient(E2EClient.config(relay.uri()).build())) {
            fill(sender, HISTORY);
            try (E2EClient receiver = receiver(relay.uri(), MIB)) { // cannot read the 1.6 MB answer
                receiver.start(ROOM);
                RelayEvent.FrameRejected tooLarge = receiver.awaitEvent(RelayEvent.FrameRejected.class, 0,
                        r -> r.reason().contains("maxResumeBytes"));
                assertTrue(tooLarge.reason().contains(ROOM), tooLarge::toString);
                receiver.await("a second connect", () -> receiver.events(RelayEvent.Connected.class).size() >= 2);
                receiver.await("receiver connected again", () -> receiver.manager().status().state() == SessionState.CONNECTED);
                // the room is joined without its history, so what the relay broadcast before it took the
                // join is not for this member: send only once the relay has it (sender, first and second link)
                receiver.await("the relay took the second join", () -> relay.memberships() >= 3);

                newMessagesReachTheReceiver(sender, receiver);

                List<RelayEvent.Disconnected> closes = receiver.events(RelayEvent.Disconnected.class);
                assertEquals(1, closes.size(), "one close for the answer it could not read, no loop: " + closes);
                assertEquals(1009, closes.get(0).closeCode());
                assertEquals(2, receiver.events(RelayEvent.Connected.class).size());
                assertEquals(1, receiver.events(RelayEvent.FrameRejected.class).stream()
                        .filter(r -> r.reason().contains("maxResumeBytes")).count());
            }
        }
    }

    @Test
    void theBundledRelaySplitsABigHistoryAndTheClientGetsAllOfIt() throws Exception {
        try (RelayServer relay = RelayServer.start();
             E2EClient sender = new E2EClient(E2EClient.config(relay.uri()).build())) {
            fill(sender, HISTORY);
            // maxResumeBytes = maxMessageBytes: one frame of the whole 1.6 MB history would close with 1009
            try (E2EClient receiver = receiver(relay.uri(), MIB)) {
                receiver.start(ROOM);
                Set<String> history = IntStream.rangeClosed(1, HISTORY).mapToObj(BigResumeE2ETest::old).collect(Collectors.toSet());
                receiver.await("the whole history delivered", () -> payloads(receiver).containsAll(history));
                newMessagesReachTheReceiver(sender, receiver);
                assertEquals(List.of(), receiver.events(RelayEvent.Disconnected.class), "the link stayed up");
                assertEquals(payloads(receiver).size(), receiver.received().size(), "each message once");
                assertEquals(0, receiver.manager().status().counters().malformedFrames());
            } finally {
                relay.kill();
            }
        }
    }
}
