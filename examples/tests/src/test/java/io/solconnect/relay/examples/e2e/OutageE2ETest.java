package io.solconnect.relay.examples.e2e;

import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.SessionState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end over loopback: every relay down (OFFLINE, then recovery drains the outbox in order),
 * and a relay that sends an inbound message over the client's {@code maxMessageBytes}.
 */
class OutageE2ETest {

    private static final String ROOM = "outage-room";

    @Test
    void offlineWhenEveryRelayIsDownThenRecoveryDrainsInOrder() throws Exception {
        try (Relays relays = new Relays(2);
             E2EClient receiver = new E2EClient(E2EClient.config(relays.uris()).build());
             E2EClient sender = new E2EClient(E2EClient.config(relays.uris()).build())) {
            receiver.start(ROOM);
            sender.start(ROOM);
            awaitSamePrimary(sender, receiver);
            int senderMark = sender.eventCount();
            int receiverMark = receiver.eventCount();

            relays.get(0).kill();
            relays.get(1).kill();
            sender.await("sender offline", () -> sender.manager().status().state() == SessionState.OFFLINE);
            receiver.await("receiver offline", () -> receiver.manager().status().state() == SessionState.OFFLINE);
            sender.awaitEvent(RelayEvent.Offline.class, senderMark, o -> !o.reason().isBlank());
            receiver.awaitEvent(RelayEvent.Offline.class, receiverMark, o -> !o.reason().isBlank());

            int count = 60;
            for (int i = 1; i <= count; i++) {
                sender.send(ROOM, Relays.payload(i));
            }
            assertEquals(count, sender.manager().status().outboxDepth(), "held while offline");
            assertEquals(SessionState.OFFLINE, sender.manager().status().state());
            assertTrue(receiver.received().isEmpty());

            relays.get(0).restart();
            relays.get(1).restart();
            assertEquals(0, sender.awaitSends(), "every message held offline must be acknowledged after recovery");
            receiver.awaitReceived(count);
            Relays.assertExactlyOnceInOrder(receiver.received(), count);
            assertEquals(0, sender.manager().status().outboxDepth());
            Relays.assertNothingLate(sender, receiver, ROOM, count, Duration.ofSeconds(5));

            for (E2EClient c : List.of(sender, receiver)) {
                int mark = c == sender ? senderMark : receiverMark;
                RelayEvent.Online online = c.awaitEvent(RelayEvent.Online.class, mark, o -> true);
                RelayEvent.Failover back = c.awaitEvent(RelayEvent.Failover.class, mark, f -> f.from().isEmpty());
                assertFalse(online.offline().isNegative());
                assertFalse(back.reason().isBlank());
                List<RelayEvent> all = c.events(); // one snapshot: events keep arriving meanwhile
                List<RelayEvent> after = all.subList(mark, all.size());
                int offlineAt = firstState(after, SessionState.OFFLINE);
                int onlineAt = after.indexOf(online);
                assertTrue(offlineAt >= 0 && offlineAt < onlineAt, () -> "OFFLINE then Online expected: " + after);
                assertTrue(after.stream().anyMatch(e -> e instanceof RelayEvent.StateChanged s
                        && s.from() == SessionState.OFFLINE && s.to() == SessionState.CONNECTED), after::toString);
            }
        }
    }

    @Test
    void anOversizedInboundMessageClosesWith1009AndTheClientFailsOverLosingNothing() throws Exception {
        int limit = 16 * 1024;
        try (Relays relays = new Relays(2);
             // maxResumeBytes too: only a frame over it closes the link (a smaller one is refused as malformed)
             E2EClient receiver = new E2EClient(E2EClient.config(relays.uris()).maxMessageBytes(limit)
                     .maxResumeBytes(limit).build());
             E2EClient sender = new E2EClient(E2EClient.config(relays.uris()).maxMessageBytes(limit)
                     .maxResumeBytes(limit).build())) {
            receiver.start(ROOM);
            sender.start(ROOM);
            String primary = awaitSamePrimary(sender, receiver);
            for (int i = 1; i <= 50; i++) {
                sender.send(ROOM, Relays.payload(i));
            }
            receiver.awaitReceived(50);
            int receiverMark = receiver.eventCount();

            // another member of the room, on the primary only, posts a message over the limit;
            // the relay (limit 1 MiB) accepts it and sends it to everyone in the room
            try (E2EClient big = new E2EClient(E2EClient.config(relays.byId(primary).uri()).build())) {
                big.start(ROOM);
                assertTrue(big.send(ROOM, "x".repeat(4 * limit)).get().isOk());
                RelayEvent.Disconnected closed = receiver.awaitEvent(RelayEvent.Disconnected.class, receiverMark,
                        d -> URIs.samePort(d.relay(), primary) && d.closeCode() == 1009);
                assertEquals(1009, closed.closeCode());
                RelayEvent.Failover failover = receiver.awaitEvent(RelayEvent.Failover.class, receiverMark,
                        f -> f.from().equals(Optional.of(primary)));
                assertNotEquals(primary, failover.to());

                for (int i = 51; i <= 100; i++) {
                    sender.send(ROOM, Relays.payload(i));
                }
                assertEquals(0, sender.awaitSends(), "every send must be acknowledged");
                receiver.awaitReceived(100);
                Relays.assertExactlyOnceInOrder(receiver.received(), 100); // and the oversized one never delivered
                Relays.assertNothingLate(sender, receiver, ROOM, 100, Duration.ofSeconds(5));
            }
        }
    }

    private static String awaitSamePrimary(E2EClient sender, E2EClient receiver) throws InterruptedException {
        receiver.await("receiver connected", () -> receiver.manager().status().state() == SessionState.CONNECTED);
        sender.await("sender and receiver on the same primary", () -> {
            Optional<String> p = sender.manager().status().primary();
            return sender.manager().status().state() == SessionState.CONNECTED && p.isPresent()
                    && p.equals(receiver.manager().status().primary());
        });
        return sender.manager().status().primary().orElseThrow();
    }

    private static int firstState(List<RelayEvent> events, SessionState to) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i) instanceof RelayEvent.StateChanged s && s.to() == to) {
                return i;
            }
        }
        return -1;
    }
}
