package io.solconnect.relay.core.internal.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solconnect.relay.api.ProviderChoice;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.spi.DiscoveryResult;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RelayAdmissionTest {

    private static RelayConfig config(boolean allowPrivate, Set<String> schemes) {
        return RelayConfig.custom().relays(List.of()).discovery(List.of(ProviderChoice.of("dns")))
                .allowPrivateAddresses(allowPrivate).allowedSchemes(schemes).build();
    }

    private static List<String> ids(RelayAdmission.Admitted a) {
        return a.relays().stream().map(RelayEndpoint::id).toList();
    }

    @Test
    void appliesSchemeHostAddressRegionAndDuplicatePolicy() throws Exception {
        RelayAdmission policy = new RelayAdmission(config(false, Set.of("wss")));
        DiscoveryResult found = new DiscoveryResult(List.of(
                RelayEndpoint.of("wss://relay1.example.org/ws"),
                RelayEndpoint.of("ws://relay2.example.org/ws"),
                RelayEndpoint.of("wss://relay1.example.org/ws"),
                RelayEndpoint.of("wss://relay3.example.org/"),
                RelayEndpoint.builder("wss://relay4.example.org/").region("eu\r\nwest").build(),
                RelayEndpoint.builder("wss://relay6.example.org/").maxConnections(DiscoveryResult.MAX_CONNECTIONS + 1).build(),
                RelayEndpoint.of("wss://relay5.example.org/")),
                Duration.ofSeconds(5), List.of("relays[9]: url is not a string\u0000"),
                Map.of("wss://relay3.example.org/", List.of(InetAddress.getByName("93.184.216.34"),
                        InetAddress.getByName("192.168.1.1"))));
        RelayAdmission.Admitted a = policy.admit(found, false);
        assertEquals(List.of("wss://relay1.example.org/ws", "wss://relay5.example.org/"), ids(a));
        assertEquals(5, a.refused());
        List<String> why = a.rejections();
        assertEquals(6, why.size(), why.toString());
        assertEquals("relays[9]: url is not a string?", why.get(0));
        assertTrue(why.get(1).startsWith("ws://relay2.example.org/ws: scheme ws:// is not allowed"), why.get(1));
        assertTrue(why.get(2).contains("duplicate of relay wss://relay1.example.org/ws"), why.get(2));
        assertTrue(why.get(3).contains("resolves to a refused address: address 192.168.1.1 is in the private 192.168.0.0/16"),
                why.get(3));
        assertTrue(why.get(4).contains("region 'eu??west' must be"), why.get(4));
        assertTrue(why.get(5).contains("maxConnections must be at most 10000000"), why.get(5));
    }

    @Test
    void wsIsAllowedToLoopbackOrWhenConfigured() {
        List<RelayEndpoint> relays = List.of(RelayEndpoint.of("ws://127.0.0.1:9000/"), RelayEndpoint.of("ws://10.0.0.1:9000/"));
        RelayAdmission strict = new RelayAdmission(config(true, Set.of("wss")));
        assertEquals(List.of("ws://127.0.0.1:9000/"), ids(strict.admit(relays, Map.of(), List.of(), false)));
        RelayAdmission lax = new RelayAdmission(config(true, Set.of("ws", "wss")));
        assertEquals(2, lax.admit(relays, Map.of(), List.of(), false).relays().size());
    }

    @Test
    void theConfigurationsOwnRelaysAreTrustedWithPrivateAddressesButNotWithSchemes() {
        RelayAdmission policy = new RelayAdmission(config(false, Set.of("wss")));
        List<RelayEndpoint> relays = List.of(RelayEndpoint.of("ws://127.0.0.1:9000/"), RelayEndpoint.of("wss://10.0.0.1/"),
                RelayEndpoint.of("ws://10.0.0.2/"));
        assertEquals(List.of("ws://127.0.0.1:9000/", "wss://10.0.0.1/"), ids(policy.admit(relays, Map.of(), List.of(), true)));
        assertEquals(List.of(), ids(policy.admit(relays, Map.of(), List.of(), false)));
    }

    @Test
    void rejectionLinesAreBoundedAndPrintable() {
        RelayAdmission policy = new RelayAdmission(config(false, Set.of("wss")));
        List<String> sourceLines = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            sourceLines.add("relays[" + i + "]: bad\r\n" + "x".repeat(1000));
        }
        List<RelayEndpoint> relays = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            relays.add(RelayEndpoint.of("wss://10.0.0." + (i + 1) + "/"));
        }
        RelayAdmission.Admitted a = policy.admit(relays, Map.of(), sourceLines, false);
        assertEquals(10, a.refused());
        assertEquals(RelayAdmission.MAX_REJECTION_LINES + 1, a.rejections().size());
        assertEquals("40 more entries were rejected (not listed)", a.rejections().get(RelayAdmission.MAX_REJECTION_LINES));
        assertTrue(a.rejections().stream().allMatch(l -> l.length() <= 243 && l.chars().noneMatch(Character::isISOControl)));
    }

    @Test
    void noMoreThanTheLimitPerSource() {
        RelayAdmission policy = new RelayAdmission(config(false, Set.of("wss")));
        List<RelayEndpoint> relays = new ArrayList<>();
        for (int i = 0; i < DiscoveryResult.MAX_RELAYS + 5; i++) {
            relays.add(RelayEndpoint.of("wss://r" + i + ".example.org/"));
        }
        RelayAdmission.Admitted a = policy.admit(relays, Map.of(), List.of(), false);
        assertEquals(DiscoveryResult.MAX_RELAYS, a.relays().size());
        assertEquals(5, a.refused());
        assertEquals(List.of("5 more relays over the limit of 10000 per source were ignored"), a.rejections());
    }

    /** The targets the DNS source's dnsmasq zone resolves into forbidden ranges, as that source reports them. */
    @Test
    void resolvedAddressesInForbiddenRangesAreRefusedUnlessAllowed() throws Exception {
        byte[] mappedBytes = new byte[16];
        mappedBytes[10] = (byte) 0xff;
        mappedBytes[11] = (byte) 0xff;
        System.arraycopy(InetAddress.getByName("192.0.2.1").getAddress(), 0, mappedBytes, 12, 4);
        java.util.Map<String, List<InetAddress>> resolved = new java.util.LinkedHashMap<>();
        resolved.put("wss://ten.example.test:443/", List.of(InetAddress.getByName("10.1.2.3")));
        resolved.put("wss://loop.example.test:443/", List.of(InetAddress.getByName("127.0.0.1")));
        resolved.put("wss://linklocal.example.test:443/", List.of(InetAddress.getByName("169.254.169.254")));
        resolved.put("wss://cgnat.example.test:443/", List.of(InetAddress.getByName("100.64.0.1")));
        resolved.put("wss://ula.example.test:443/", List.of(InetAddress.getByName("fd00::1")));
        resolved.put("wss://mapped.example.test:443/", List.of(java.net.Inet6Address.getByAddress(null, mappedBytes, -1)));
        resolved.put("wss://mixedaddr.example.test:443/", List.of(InetAddress.getByName("192.0.2.30"),
                InetAddress.getByName("fe80::1")));
        resolved.put("wss://relay1.example.test:443/ws", List.of(InetAddress.getByName("192.0.2.10")));
        List<RelayEndpoint> relays = new ArrayList<>(resolved.keySet().stream().map(RelayEndpoint::of).toList());
        relays.add(RelayEndpoint.of("wss://localhost:443/"));

        RelayAdmission.Admitted strict = new RelayAdmission(config(false, Set.of("wss"))).admit(relays, resolved, List.of(), false);
        assertEquals(List.of("wss://relay1.example.test:443/ws"), ids(strict));
        String all = String.join("\n", strict.rejections());
        for (String expected : List.of("private 10.0.0.0/8", "loopback 127.0.0.0/8", "link-local and cloud metadata 169.254.0.0/16",
                "CGNAT 100.64.0.0/10", "unique-local fc00::/7", "IPv4-mapped", "link-local fe80::/10",
                "host 'localhost' is in the local-only domain")) {
            assertTrue(all.contains(expected), "missing '" + expected + "' in\n" + all);
        }
        assertEquals(8, strict.refused(), all);

        RelayAdmission.Admitted lax = new RelayAdmission(config(true, Set.of("wss"))).admit(relays, resolved, List.of(), false);
        // allowPrivateAddresses never opens the cloud metadata range 169.254.0.0/16.
        assertEquals(8, lax.relays().size(), lax.rejections().toString());
        assertTrue(String.join("\n", lax.rejections()).contains("linklocal.example.test"), lax.rejections().toString());
    }

    /** The entries of the bootstrap source's hostile document that only the engine's policy refuses. */
    @Test
    void hostileBootstrapEntriesAreRefused() {
        List<RelayEndpoint> relays = List.of(RelayEndpoint.of("wss://ok1.example.org/"), RelayEndpoint.of("ws://ok3.example.org/"),
                RelayEndpoint.of("wss://10.0.0.1/"), RelayEndpoint.of("wss://[::ffff:127.0.0.1]/"),
                RelayEndpoint.of("wss://localhost:8443/"),
                RelayEndpoint.builder("wss://ok12.example.org/").region("eu\r\nwest").build());
        RelayAdmission.Admitted a = new RelayAdmission(config(false, Set.of("wss"))).admit(relays, Map.of(), List.of(), false);
        assertEquals(List.of("wss://ok1.example.org/"), ids(a));
        String all = String.join("\n", a.rejections());
        for (String expected : List.of(
                "ws://ok3.example.org/: scheme ws:// is not allowed",
                "wss://10.0.0.1/: address 10.0.0.1 is in the private 10.0.0.0/8 range",
                "wss://[::ffff:127.0.0.1]/: address ::ffff:127.0.0.1 is in the IPv4-mapped",
                "wss://localhost:8443/: host 'localhost' is in the local-only domain",
                "wss://ok12.example.org/: region 'eu??west' must be")) {
            assertTrue(all.contains(expected), "missing '" + expected + "' in\n" + all);
        }
    }
}
