package io.solconnect.relay.examples.e2e;

import io.solconnect.relay.api.ProviderChoice;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.SessionState;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code wss} end to end: a TLS-terminating proxy on loopback in front of an example relay, with
 * self-signed certificates made by the test. A certificate for another host name is refused even
 * when it is trusted (host name verification), an untrusted one is refused, and the right one with
 * the {@code truststore} setting of the {@code tyrus} transport is accepted.
 */
class TlsE2ETest {

    private static final String ROOM = "tls-room";

    @TempDir
    static Path dir;
    private static List<Path> wrongHost;
    private static List<Path> rightHost;

    @BeforeAll
    static void certificates() throws Exception {
        wrongHost = TlsProxy.makeCertificate(dir, "wrong", "wrong.example");
        rightHost = TlsProxy.makeCertificate(dir, "right", "localhost");
    }

    private static ProviderChoice trusting(Path truststore) {
        return ProviderChoice.of("tyrus", Map.of("truststore", truststore.toString(),
                "truststorePassword", TlsProxy.PASSWORD));
    }

    @Test
    void aTrustedCertificateForTheWrongHostIsRefusedAndTheClientUsesAnotherRelay() throws Exception {
        assertRefusedAndPassedOver(wrongHost.get(0), trusting(wrongHost.get(1)));
    }

    @Test
    void anUntrustedCertificateIsRefused() throws Exception {
        assertRefusedAndPassedOver(rightHost.get(0), ProviderChoice.of("tyrus"));
    }

    private void assertRefusedAndPassedOver(Path keystore, ProviderChoice transport) throws Exception {
        try (Relays relays = new Relays(2);
             TlsProxy proxy = new TlsProxy(keystore, relays.get(0).uri())) {
            String secureId = proxy.uri().toString();
            String plainId = relays.get(1).uri().toString();
            RelayConfig config = E2EClient.config()
                    .relays(List.of(RelayEndpoint.builder(secureId).priority(0).build(),
                            RelayEndpoint.builder(plainId).priority(1).build()))
                    .transport(transport)
                    .build();
            try (E2EClient client = new E2EClient(config)) {
                client.start(ROOM);
                client.await("the preferred wss relay to be tried and refused", () -> proxy.refused() > 0);
                client.await("connected to the other relay", () -> client.manager().status().state() == SessionState.CONNECTED
                        && client.manager().status().primary().map(p -> URIs.samePort(p, plainId)).orElse(false));
                for (int i = 1; i <= 10; i++) {
                    client.send(ROOM, Relays.payload(i));
                }
                assertEquals(0, client.awaitSends());
                assertEquals(0, proxy.handshakes(), "no TLS session may be established with that certificate");
                assertFalse(client.events(RelayEvent.Connected.class).stream().anyMatch(c -> URIs.samePort(c.relay(), secureId)),
                        () -> "the refused relay must never count as connected: " + client.events());
            }
        }
    }

    @Test
    void theRightHostWithTheTruststoreSettingIsAccepted() throws Exception {
        try (Relays relays = new Relays(1);
             TlsProxy proxy = new TlsProxy(rightHost.get(0), relays.get(0).uri())) {
            String secureId = proxy.uri().toString();
            RelayConfig config = E2EClient.config(proxy.uri()).transport(trusting(rightHost.get(1))).build();
            try (E2EClient receiver = new E2EClient(E2EClient.config(relays.uris()).build());
                 E2EClient client = new E2EClient(config)) {
                receiver.start(ROOM);
                client.start(ROOM);
                receiver.await("receiver connected", () -> receiver.manager().status().state() == SessionState.CONNECTED);
                client.await("connected over wss", () -> client.manager().status().state() == SessionState.CONNECTED
                        && client.manager().status().primary().equals(java.util.Optional.of(secureId)));
                for (int i = 1; i <= 10; i++) {
                    client.send(ROOM, Relays.payload(i));
                }
                assertEquals(0, client.awaitSends());
                receiver.awaitReceived(10);
                Relays.assertExactlyOnceInOrder(receiver.received(), 10);
                assertTrue(proxy.handshakes() >= 1);
                assertEquals(0, proxy.refused());
            }
        }
    }
}
