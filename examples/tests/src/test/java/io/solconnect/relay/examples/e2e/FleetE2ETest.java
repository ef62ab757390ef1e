package io.solconnect.relay.examples.e2e;

import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.SessionState;
import io.solconnect.relay.examples.server.JetStreamOptions;
import io.solconnect.relay.examples.server.RelayServer;
import io.solconnect.relay.examples.server.nats.NatsCluster;
import io.solconnect.relay.examples.server.nats.NatsServerProcess;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * End to end on a relay fleet: real {@code nats-server} JetStream (one node, or three with an R3
 * stream) started here, example relays with the JetStream backplane over loopback, and two real
 * {@code RelayManager}s (a sender and a receiver in one room). A relay crashes, a NATS node is
 * SIGKILLed, a relay comes back with empty memory, while messages flow: nothing is lost or
 * delivered twice.
 */
class FleetE2ETest {

    private static final String ROOM = "fleet-room";
    private static final int BATCH = 100;

    @BeforeEach
    void requireNatsServer() {
        NatsServerRequired.check();
    }

    @Test
    void killOfTheRelayBothClientsAreOnLosesAndDuplicatesNothing() throws Exception {
        try (NatsServerProcess nats = NatsServerProcess.startSingle();
             Relays fleet = new Relays(3, JetStreamOptions.of(List.of(nats.uri())));
             E2EClient receiver = new E2EClient(E2EClient.config(fleet.uris()).build());
             E2EClient sender = new E2EClient(E2EClient.config(fleet.uris()).build())) {
            receiver.start(ROOM);
            sender.start(ROOM);
            sendBatch(sender, 1);
            receiver.awaitReceived(BATCH);
            fleet.byId(awaitSharedPrimary(sender, receiver)).kill();
            sendBatch(sender, BATCH + 1); // in flight while the crash is detected
            sendBatch(sender, 2 * BATCH + 1);
            assertEquals(0, sender.awaitSends(), "every send must be acknowledged");
            receiver.awaitReceived(3 * BATCH);
            Relays.assertNothingLate(sender, receiver, ROOM, 3 * BATCH, Duration.ofSeconds(3));
        }
    }

    @Test
    void killOfOneNatsNodeOfThreeLosesNothing() throws Exception {
        try (NatsCluster nats = NatsCluster.start(3);
             Relays fleet = new Relays(2, JetStreamOptions.of(nats.uris()).withReplicas(3));
             E2EClient receiver = new E2EClient(E2EClient.config(fleet.uris()).build());
             E2EClient sender = new E2EClient(E2EClient.config(fleet.uris()).build())) {
            receiver.start(ROOM);
            sender.start(ROOM);
            sendBatch(sender, 1);
            receiver.awaitReceived(BATCH);
            NatsServerProcess leader = nats.leaderOf("SOLCONNECT")
                    .orElseThrow(() -> new AssertionError("the R3 stream has no leader"));
            leader.kill(); // SIGKILL of the node leading the stream: the other two elect a new leader
            sendBatch(sender, BATCH + 1);
            sendBatch(sender, 2 * BATCH + 1);
            assertEquals(0, sender.awaitSends(), "every send must be acknowledged");
            receiver.awaitReceived(3 * BATCH);
            Relays.assertNothingLate(sender, receiver, ROOM, 3 * BATCH, Duration.ofSeconds(3));
        }
    }

    @Test
    void aMemberComingBackToARelayRestartedWithEmptyMemoryGetsWhatItMissed() throws Exception {
        try (NatsServerProcess nats = NatsServerProcess.startSingle();
             Relays fleet = new Relays(2, JetStreamOptions.of(List.of(nats.uri())))) {
            RelayServer home = fleet.get(0);
            RelayConfig receiverConfig = E2EClient.config(home.uri()).build(); // this relay only
            RelayConfig senderConfig = E2EClient.config(fleet.get(1).uri()).build();
            try (E2EClient receiver = new E2EClient(receiverConfig);
                 E2EClient sender = new E2EClient(senderConfig)) {
                receiver.start(ROOM);
                sender.start(ROOM);
                receiver.await("receiver connected", () -> receiver.manager().status().state() == SessionState.CONNECTED);
                sendBatch(sender, 1);
                receiver.awaitReceived(BATCH);
                home.kill();
                receiver.await("receiver lost its relay", () -> receiver.manager().status().state() != SessionState.CONNECTED);
                sendBatch(sender, BATCH + 1); // stored by the fleet while the receiver's relay is down
                assertEquals(0, sender.awaitSends(), "every send must be acknowledged");
                home.restart(); // empty memory: what the receiver missed is only in the stream
                receiver.awaitReceived(2 * BATCH);
                Relays.assertNothingLate(sender, receiver, ROOM, 2 * BATCH, Duration.ofSeconds(3));
            }
        }
    }

    private static void sendBatch(E2EClient sender, int first) {
        for (int i = first; i < first + BATCH; i++) {
            sender.send(ROOM, Relays.payload(i));
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
}
