package io.solconnect.relay.examples.e2e;

import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.SessionState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A preferred relay that fails the WebSocket handshake (closes mid-handshake, answers with a
 * subprotocol nobody offered, answers an HTTP error, redirects): the connect fails cleanly, the
 * client never counts it as connected, and it uses the other relay, where messages flow.
 */
class HandshakeE2ETest {

    private static final String ROOM = "handshake-room";

    @ParameterizedTest
    @EnumSource(HostileServer.Mode.class)
    void aRelayThatFailsTheHandshakeIsPassedOver(HostileServer.Mode mode) throws Exception {
        try (Relays good = new Relays(1);
             HostileServer hostile = new HostileServer(mode, good.get(0).uri().toString())) {
            String hostileId = hostile.uri().toString();
            String goodId = good.get(0).uri().toString();
            RelayConfig config = E2EClient.config()
                    .relays(List.of(RelayEndpoint.builder(hostileId).priority(0).build(),
                            RelayEndpoint.builder(goodId).priority(1).build()))
                    .build();
            try (E2EClient receiver = new E2EClient(E2EClient.config(good.uris()).build());
                 E2EClient client = new E2EClient(config)) {
                receiver.start(ROOM);
                client.start(ROOM);
                client.await("the preferred, hostile relay to be tried", () -> !hostile.requests().isEmpty());
                client.await("connected to the good relay", () -> client.manager().status().state() == SessionState.CONNECTED
                        && client.manager().status().primary().map(p -> URIs.samePort(p, goodId)).orElse(false));
                receiver.await("receiver connected", () -> receiver.manager().status().state() == SessionState.CONNECTED);

                for (int i = 1; i <= 20; i++) {
                    client.send(ROOM, Relays.payload(i));
                }
                assertEquals(0, client.awaitSends(), "every send must be acknowledged");
                receiver.awaitReceived(20);
                Relays.assertExactlyOnceInOrder(receiver.received(), 20);

                assertTrue(hostile.requests().get(0).startsWith("GET "), hostile.requests().get(0));
                assertFalse(client.events(RelayEvent.Connected.class).stream().anyMatch(c -> URIs.samePort(c.relay(), hostileId)),
                        () -> mode + ": the hostile relay must never count as connected: " + client.events());
                if (mode == HostileServer.Mode.REDIRECT) {
                    // not followed: the good relay saw only the connections the clients opened themselves
                    assertTrue(client.events(RelayEvent.Connected.class).stream().allMatch(c -> URIs.samePort(c.relay(), goodId)));
                }
            }
        }
    }
}
