package io.solconnect.relay.core.internal.discovery;

import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.spi.HostResolver;
import io.solconnect.relay.api.Result;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectGuardTest {

    private static final RelayEndpoint CONFIGURED = RelayEndpoint.of("ws://127.0.0.1:9001/");
    private static final RelayEndpoint FOUND = RelayEndpoint.of("wss://relay.example.test:443/");

    private static RelayConfig config(boolean allowPrivate) {
        return RelayConfig.custom().relays(List.of(CONFIGURED)).allowPrivateAddresses(allowPrivate)
                .allowedSchemes(java.util.Set.of("wss", "ws")).build();
    }

    @Test
    void configuredRelaysAreTrustedAndDiscoveredOnesAreCheckedAtConnect() throws Exception {
        ConnectGuard guard = new ConnectGuard(config(false));
        InetAddress loop = InetAddress.getByName("127.0.0.1");
        assertTrue(guard.refusedAddress(CONFIGURED, loop).isEmpty());
        String why = guard.refusedAddress(FOUND, loop).orElseThrow();
        assertTrue(why.contains("relay.example.test") && why.contains("loopback"), why);
        assertTrue(guard.refusedAddress(FOUND, InetAddress.getByName("192.0.2.10")).isEmpty());
    }

    @Test
    void metadataStaysRefusedAtConnectWithPrivateAddressesAllowed() throws Exception {
        ConnectGuard guard = new ConnectGuard(config(true));
        assertTrue(guard.refusedAddress(FOUND, InetAddress.getByName("127.0.0.1")).isEmpty());
        assertTrue(guard.refusedAddress(FOUND, InetAddress.getByName("169.254.169.254")).get().contains("metadata"));
    }

    @Test
    void resolversComeFromTheSourceThatListedTheRelay() {
        ConnectGuard guard = new ConnectGuard(config(false));
        HostResolver zone = host -> Result.ok(List.of());
        guard.useResolvers(Map.of(FOUND.id(), zone));
        assertSame(zone, guard.resolverFor(FOUND).orElseThrow());
        assertTrue(guard.resolverFor(CONFIGURED).isEmpty(), "the system resolver");
    }

    @Test
    void relaysSetAtRunTimeMustPassTheRules() {
        ConnectGuard guard = new ConnectGuard(config(false));
        assertTrue(guard.runTimeRefusal(CONFIGURED).isEmpty(), "the operator's own relay stays trusted");
        String why = guard.runTimeRefusal(RelayEndpoint.of("ws://127.0.0.1:9002/")).orElseThrow();
        assertTrue(why.contains("loopback") || why.contains("scheme"), why);
        assertTrue(guard.runTimeRefusal(RelayEndpoint.of("wss://169.254.169.254/")).isPresent());
        assertEquals(java.util.Optional.empty(), guard.runTimeRefusal(FOUND));
    }
}
