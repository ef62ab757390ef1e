package io.solconnect.relay.examples.e2e;

import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.examples.server.netns.NamespacedRelay;
import io.solconnect.relay.examples.server.netns.NetNs;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Relay processes for one test, each in its own network namespace reached over a veth pair
 * ({@link NamespacedRelay}), closed together: processes stopped, namespaces and links removed.
 * The clients' traffic goes only to the namespaces' addresses.
 */
final class NamespacedRelays implements AutoCloseable {

    private final List<NamespacedRelay> relays = new ArrayList<>();

    private NamespacedRelays() {
    }

    /**
     * Starts {@code count} relays, or skips the calling test (a JUnit assumption naming the
     * reason) where network namespaces cannot be made, e.g. when not root.
     */
    static NamespacedRelays startOrSkip(int count) throws IOException {
        String why = NetNs.unavailableReason().orElse("");
        assumeTrue(why.isEmpty(), () -> "skipped, no network namespaces here: " + why);
        assumeTrue(System.getProperty("jdk.module.path") != null,
                "skipped: the relay processes run on this JVM's module path, and this run is on the class path");
        NamespacedRelays all = new NamespacedRelays();
        try {
            for (int i = 0; i < count; i++) {
                all.relays.add(NamespacedRelay.start());
            }
        } catch (IOException | RuntimeException e) {
            all.close();
            throw e;
        }
        return all;
    }

    URI[] uris() {
        return relays.stream().map(NamespacedRelay::uri).toArray(URI[]::new);
    }

    /**
     * {@link E2EClient#config} for these relays: plain {@code ws} to their private addresses is
     * allowed (they are not loopback, and there is no TLS in these tests).
     */
    RelayConfig.Builder config() {
        return E2EClient.config(uris()).allowedSchemes(Set.of("ws", "wss")).allowPrivateAddresses(true);
    }

    /** The relay a relay id (its URL) names. */
    NamespacedRelay byId(String relayId) {
        URI id = URI.create(relayId);
        return relays.stream()
                .filter(r -> r.uri().getHost().equals(id.getHost()) && r.uri().getPort() == id.getPort())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no relay of ours is " + relayId));
    }

    @Override
    public void close() {
        for (NamespacedRelay r : relays) {
            r.close();
        }
    }
}
