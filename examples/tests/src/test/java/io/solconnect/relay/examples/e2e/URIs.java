package io.solconnect.relay.examples.e2e;

import java.net.URI;

/** Relay ids are URLs; the tests' relays all sit on loopback and differ by port. */
final class URIs {

    private URIs() {
    }

    static boolean samePort(String relayId, String other) {
        return URI.create(relayId).getPort() == URI.create(other).getPort();
    }
}
