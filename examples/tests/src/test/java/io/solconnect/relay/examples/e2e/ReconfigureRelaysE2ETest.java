package io.solconnect.relay.examples.e2e;

import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.SessionState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client created from configuration (its relays come from the {@code static} discovery source)
 * takes a new relay list at run time at once: added relays are discovered, removed ones lost and
 * drained, and messages keep flowing on the relay that remains.
 */
class ReconfigureRelaysE2ETest {

    private static final String ROOM = "reconfigure-room";

    @Test
    void aNewRelayListReachesTheRunningClientThroughTheStaticSource() throws Exception {
        try (Relays relays = new Relays(2)) {
            String first = relays.get(0).uri().toString();
            String second = relays.get(1).uri().toString();
            // Relays set at run time pass the address rules: loopback ones need allowPrivateAddresses.
            RelayConfig config = E2EClient.config(relays.get(0).uri()).allowPrivateAddresses(true).build();
            try (E2EClient receiver = new E2EClient(E2EClient.config(relays.uris()).build());
                 E2EClient client = new E2EClient(config)) {
                receiver.start(ROOM);
                client.start(ROOM);
                client.await("connected to the only relay", () -> client.manager().status().state() == SessionState.CONNECTED);

                int mark = client.eventCount();
                Result<Result.Done> added = client.manager().reconfigure(RelayConfig.from(config)
                        .relays(List.of(RelayEndpoint.of(first), RelayEndpoint.of(second))).build());
                assertTrue(added.isOk(), added.toString());
                RelayEvent.RelayDiscovered found = client.awaitEvent(RelayEvent.RelayDiscovered.class, mark,
                        d -> URIs.samePort(d.relay().id(), second));
                assertEquals("static", found.source());

                mark = client.eventCount();
                Result<Result.Done> moved = client.manager().reconfigure(RelayConfig.from(config)
                        .relays(List.of(RelayEndpoint.of(second))).build());
                assertTrue(moved.isOk(), moved.toString());
                client.awaitEvent(RelayEvent.RelayLost.class, mark, l -> URIs.samePort(l.relay(), first));
                client.await("moved to the remaining relay", () -> client.manager().status().primary()
                        .map(p -> URIs.samePort(p, second)).orElse(false));

                receiver.await("receiver connected", () -> receiver.manager().status().state() == SessionState.CONNECTED);
                for (int i = 1; i <= 10; i++) {
                    client.send(ROOM, Relays.payload(i));
                }
                assertEquals(0, client.awaitSends(), "every send must be acknowledged");
                receiver.awaitReceived(10);
                Relays.assertExactlyOnceInOrder(receiver.received(), 10);
            }
        }
    }
}
