package io.solconnect.relay.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RelayEndpointTest {

    @Test
    void normalisesSchemeHostAndPath() {
        RelayEndpoint e = RelayEndpoint.of("  WSS://Relay.Example.ORG:8443  ");
        assertEquals("wss://relay.example.org:8443/", e.id());
        assertTrue(e.secure());
        assertEquals(8443, e.effectivePort());
        assertEquals(80, RelayEndpoint.of("ws://127.0.0.1").effectivePort());
        assertEquals(443, RelayEndpoint.of("wss://a.b/x?y=1").effectivePort());
        assertEquals("wss://a.b/x?y=1", RelayEndpoint.of("wss://a.b/x?y=1").id());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://a.b/", "https://a.b/", "file:///etc/passwd", "javascript:alert(1)", "a.b:80",
            "wss://user:pw@a.b/", "wss://a.b:0/", "wss://a.b:99999/", "wss:///path", "wss://a.b/#frag", "ws://", "not a url"})
    void refusesBadUrls(String url) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RelayEndpoint.of(url));
        assertTrue(e.getMessage().contains("url"), e.getMessage());
    }

    @Test
    void refusesBadMetadata() {
        assertThrows(IllegalArgumentException.class, () -> RelayEndpoint.builder("wss://a.b/").priority(-1));
        assertThrows(IllegalArgumentException.class, () -> RelayEndpoint.builder("wss://a.b/").maxConnections(0));
        assertThrows(IllegalArgumentException.class, () -> RelayEndpoint.builder("wss://a.b/").weight(70_000));
        assertThrows(IllegalArgumentException.class, () -> RelayEndpoint.builder("wss://a.b/").region("x".repeat(65)).build());
    }

    @Test
    void loopbackDetectionNeedsNoDns() {
        for (String h : new String[]{"localhost", "LOCALHOST", "a.localhost", "127.0.0.1", "127.255.0.9", "::1", "[::1]"}) {
            assertTrue(RelayEndpoint.isLoopbackHost(h), h);
        }
        for (String h : new String[]{"127.0.0.1.evil.com", "128.0.0.1", "localhost.evil.com", "127.0.0", "127.0.0.256", "", "10.0.0.1"}) {
            assertFalse(RelayEndpoint.isLoopbackHost(h), h);
        }
    }

    @Test
    void tagsAreCopied() {
        Set<String> tags = new java.util.HashSet<>(Set.of("a"));
        RelayEndpoint e = RelayEndpoint.builder("wss://a.b/").tags(tags).build();
        tags.add("b");
        assertEquals(Set.of("a"), e.tags());
    }
}
