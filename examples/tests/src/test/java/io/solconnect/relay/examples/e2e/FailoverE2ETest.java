package io.solconnect.relay.examples.e2e;

import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.SessionState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end: two {@code RelayManager}s on the {@code tyrus} transport (a sender and a receiver,
 * same room, default sticky selection) and three example relays; the primary relay is crashed,
 * blackholed or slowed (relays in this JVM, over loopback) or partitioned or rate-limited by the
 * kernel (relay processes in their own network namespaces, see {@link NamespacedRelays}) while
 * messages flow.
 */
class FailoverE2ETest {

    private static final String ROOM = "e2e-room";
    private static final int BATCH = 100;

    /** The rate of the rate-limit scenario, bit/s each way: a 100-message batch needs seconds. */
    private static final long LIMIT_BITS_PER_SECOND = 8_000;

    @Test
    void killOfThePrimaryLosesAndDuplicatesNothing() throws Exception {
        try (Relays relays = new Relays(3)) {
            runFault("kill", E2EClient.config(relays.uris()), id -> relays.byId(id).kill(), id -> relays.byId(id).heal());
        }
    }

    @Test
    void blackholeOfThePrimaryLosesAndDuplicatesNothing() throws Exception {
        try (Relays relays = new Relays(3)) {
            runFault("blackhole", E2EClient.config(relays.uris()), id -> relays.byId(id).blackhole(), id -> relays.byId(id).heal());
        }
    }

    @Test
    void slowPrimaryLosesAndDuplicatesNothing() throws Exception {
        try (Relays relays = new Relays(3)) {
            runFault("slow", E2EClient.config(relays.uris()), id -> relays.byId(id).slow(Duration.ofSeconds(3)), id -> relays.byId(id).heal());
        }
    }

    /**
     * A real partition: the relays run as processes in their own network namespaces and the
     * primary's link is set down, so the kernel drops everything (no reset, no close, the clients'
     * writes are buffered and never acknowledged). Skipped where namespaces cannot be made.
     */
    @Test
    void partitionOfThePrimaryLosesAndDuplicatesNothing() throws Exception {
        try (NamespacedRelays relays = NamespacedRelays.startOrSkip(3)) {
            runFault("partition", relays.config(), id -> relays.byId(id).partition(), id -> relays.byId(id).reconnect());
        }
    }

    /**
     * The primary's link limited by the kernel ({@code tbf}, {@value #LIMIT_BITS_PER_SECOND} bit/s
     * each way): acknowledgements and pongs fall behind the stream. Skipped where namespaces
     * cannot be made.
     */
    @Test
    void rateLimitedPrimaryLosesAndDuplicatesNothing() throws Exception {
        try (NamespacedRelays relays = NamespacedRelays.startOrSkip(3)) {
            runFault("rate-limit", relays.config(), id -> relays.byId(id).rateLimit(LIMIT_BITS_PER_SECOND),
                    id -> relays.byId(id).clearRateLimit());
        }
    }

    /** Something done to the relay a relay id names. */
    @FunctionalInterface
    private interface RelayAction {
        void apply(String relayId) throws Exception;
    }

    private void runFault(String fault, RelayConfig.Builder config, RelayAction inject, RelayAction heal)
            throws Exception {
        try (E2EClient receiver = new E2EClient(config.build());
             E2EClient sender = new E2EClient(config.build())) {
            receiver.start(ROOM);
            sender.start(ROOM);
            receiver.await("receiver connected", () -> receiver.manager().status().state() == SessionState.CONNECTED);
            awaitSharedPrimary(sender, receiver);
            for (int i = 1; i <= BATCH; i++) {
                sender.send(ROOM, Relays.payload(i));
            }
            receiver.awaitReceived(BATCH); // the stream flows
            // Read the primary again right before the fault: on a loaded machine a late pong may have
            // moved a client meanwhile, and the fault must hit the relay both are on now.
            String primary = awaitSharedPrimary(sender, receiver);
            int senderMark = sender.eventCount();
            int receiverMark = receiver.eventCount();

            inject.apply(primary);
            for (int i = BATCH + 1; i <= 2 * BATCH; i++) { // in flight while the fault is detected
                sender.send(ROOM, Relays.payload(i));
            }
            RelayEvent.Failover senderFailover = assertFailedOverFrom(sender, senderMark, primary, fault);
            RelayEvent.Failover receiverFailover = assertFailedOverFrom(receiver, receiverMark, primary, fault);
            for (int i = 2 * BATCH + 1; i <= 3 * BATCH; i++) {
                sender.send(ROOM, Relays.payload(i));
            }

            assertEquals(0, sender.awaitSends(), "every send must be acknowledged");
            receiver.awaitReceived(3 * BATCH);
            heal.apply(primary); // no effect after a kill
            Relays.assertExactlyOnceInOrder(receiver.received(), 3 * BATCH);
            assertNotEquals(primary, senderFailover.to());
            assertNotEquals(primary, receiverFailover.to());
            assertTrue(receiver.received().stream().skip(2 * BATCH).noneMatch(m -> m.relay().equals(primary)),
                    "messages sent after the failover must not come from the failed relay");
            Relays.assertNothingLate(sender, receiver, ROOM, 3 * BATCH, Duration.ofSeconds(5));
        }
    }

    /** Waits until both clients are CONNECTED to one primary, and returns it. */
    private static String awaitSharedPrimary(E2EClient sender, E2EClient receiver) throws InterruptedException {
        String[] shared = new String[1];
        sender.await("sender and receiver on the same primary", () -> {
            Optional<String> p = sender.manager().status().primary();
            boolean same = sender.manager().status().state() == SessionState.CONNECTED
                    && receiver.manager().status().state() == SessionState.CONNECTED && p.isPresent()
                    && p.equals(receiver.manager().status().primary());
            shared[0] = same ? p.get() : null;
            return same;
        });
        return Objects.requireNonNull(shared[0]);
    }

    /**
     * Asserts the event sequence of one client after the fault: the session leaves CONNECTED for
     * FAILING_OVER, a Failover names the failed primary as {@code from} and another relay as
     * {@code to} with a reason, and the session is CONNECTED again.
     */
    private static RelayEvent.Failover assertFailedOverFrom(E2EClient client, int mark, String primary, String fault)
            throws InterruptedException {
        RelayEvent.Failover failover = client.awaitEvent(RelayEvent.Failover.class, mark, f -> true);
        client.awaitEvent(RelayEvent.StateChanged.class, mark,
                s -> s.from() == SessionState.FAILING_OVER && s.to() == SessionState.CONNECTED);
        List<RelayEvent> all = client.events(); // one snapshot: events keep arriving meanwhile
        List<RelayEvent> after = all.subList(mark, all.size());
        int failingOver = indexOf(after, e -> e instanceof RelayEvent.StateChanged s && s.to() == SessionState.FAILING_OVER);
        int failoverAt = after.indexOf(failover);
        int connected = indexOf(after, e -> e instanceof RelayEvent.StateChanged s
                && s.from() == SessionState.FAILING_OVER && s.to() == SessionState.CONNECTED);
        String context = fault + ": events after the fault: " + after;
        assertTrue(failingOver >= 0, context);
        assertTrue(failingOver < failoverAt && failingOver < connected, context);
        RelayEvent.StateChanged leaving = (RelayEvent.StateChanged) after.get(failingOver);
        assertTrue(leaving.from() == SessionState.CONNECTED || leaving.from() == SessionState.DEGRADED, context);
        assertFalse(leaving.reason().isBlank(), context);
        assertEquals(Optional.of(primary), failover.from(), context);
        assertNotEquals(primary, failover.to(), context);
        assertFalse(failover.reason().isBlank(), context);
        assertFalse(failover.duration().isNegative(), context);
        assertTrue(after.stream().noneMatch(e -> e instanceof RelayEvent.Offline), context);
        return Objects.requireNonNull(failover);
    }

    private static int indexOf(List<RelayEvent> events, java.util.function.Predicate<RelayEvent> match) {
        for (int i = 0; i < events.size(); i++) {
            if (match.test(events.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
