package io.solconnect.relay.api.spi;

import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.ProviderChoice;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.RelayError;
import io.solconnect.relay.api.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AddressRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "10.1.2.3", "172.31.255.255", "192.168.0.1", "169.254.169.254",
        "100.64.0.1", "100.127.255.255", "192.0.0.8", "198.19.0.1", "[::1]", "[::ffff:8.8.8.8]",
        "[::ffff:127.0.0.1]", "[fc00::1]", "[fd12:3456::1]", "[fe80::1]", "[fec0::1]", "[::8.8.8.8]",
        "[64:ff9b::10.0.0.1]", "[64:ff9b:1::1]", "[2002:0a00:0001::1]", "[2001:0:4136:e378::1]",
        "localhost", "relay.localhost", "printer.local", "db.internal", "router.lan", "nas.home.arpa",
        "intranet", "relay"})
    void privateHostsAreRefusedByDefaultAndAcceptedWhenAllowed(String host) {
        assertTrue(AddressRules.refusedHost(host, false).isPresent(), host);
        assertTrue(AddressRules.refusedHost(host, true).isEmpty(), host);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "0.1.2.3", "224.0.0.1", "239.255.255.250", "255.255.255.255",
        "240.0.0.1", "[::]", "[ff02::1]", "[100::1]", "[64:ff9b::e000:1]", "[fe80::1%eth0]",
        "2130706433", "0x7f.1", "0x7f.0x0.0x0.0x1", "127.1", "017.0.0.1", "relay.example.1",
        "-bad.example.org", "bad-.example.org", "under_score.example.org", "a..b", "sp ace.org",
        "[not-v6]", "[::1", "evil.com/x"})
    void neverValidHostsAreRefusedEvenWhenPrivateIsAllowed(String host) {
        assertTrue(AddressRules.refusedHost(host, true).isPresent(), host);
    }

    @ParameterizedTest
    @ValueSource(strings = {"relay1.example.org", "relay1.example.org.", "8.8.8.8", "192.0.2.10",
        "[2001:db8::1]", "[2606:4700::1111]", "[64:ff9b::808:808]", "xn--rla-bma.example"})
    void publicHostsAreAccepted(String host) {
        assertEquals(java.util.Optional.empty(), AddressRules.refusedHost(host, false), host);
    }

    @Test
    void hostNameLengthLimits() {
        String label63 = "a".repeat(63);
        String name253 = String.join(".", label63, label63, label63, "a".repeat(61));
        assertEquals(253, name253.length());
        assertTrue(AddressRules.hostNameProblem(name253).isEmpty());
        assertTrue(AddressRules.hostNameProblem(name253 + "a").get().contains("254 characters"));
        assertTrue(AddressRules.hostNameProblem("a".repeat(64) + ".org").get().contains("label of 64"));
        assertTrue(AddressRules.hostNameProblem("").isPresent());
        assertTrue(AddressRules.hostNameProblem(".").isPresent());
    }

    @Test
    void resolvedAddressesAreClassified() throws Exception {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 8;
        mapped[13] = 8;
        mapped[14] = 8;
        mapped[15] = 8;
        assertEquals("IPv4-mapped ::ffff:0:0/96", AddressRules.specialRange(mapped).orElseThrow());
        assertTrue(AddressRules.refusedAddress(InetAddress.getByName("10.0.0.1"), false).orElseThrow()
                .contains("private 10.0.0.0/8"));
        assertTrue(AddressRules.refusedAddress(InetAddress.getByName("93.184.216.34"), false).isEmpty());
    }

    private static RelayConfig config(boolean allowPrivate, Set<String> schemes) {
        return RelayConfig.custom().relays(List.of()).discovery(List.of(ProviderChoice.of("dns")))
                .allowPrivateAddresses(allowPrivate).allowedSchemes(schemes).build();
    }

    @Test
    void collectorAppliesSchemePolicyDuplicatesAndCap() throws Exception {
        DiscoveredRelays found = new DiscoveredRelays("test", config(false, Set.of("wss")), 2);
        assertTrue(found.add("a", RelayEndpoint.of("wss://relay1.example.org/ws")));
        assertFalse(found.add("b", RelayEndpoint.of("ws://relay2.example.org/ws")), "plain ws to a public host");
        assertFalse(found.add("c", RelayEndpoint.of("wss://relay1.example.org/ws")), "duplicate");
        assertFalse(found.add("d", RelayEndpoint.of("wss://relay3.example.org/"),
                List.of(InetAddress.getByName("192.168.1.1"))), "resolves to private");
        assertFalse(found.add("e", RelayEndpoint.builder("wss://relay4.example.org/").region("eu\r\nwest").build()));
        assertTrue(found.add("f", RelayEndpoint.of("wss://relay5.example.org/")));
        assertFalse(found.add("g", RelayEndpoint.of("wss://relay6.example.org/")), "over the cap");
        assertFalse(found.add("h", RelayEndpoint.of("wss://relay7.example.org/")), "over the cap");
        assertEquals(2, found.relays().size());
        assertEquals(6, found.rejectedCount());
        List<RelayError> why = found.rejections();
        assertEquals(5, why.size());
        assertTrue(why.get(0).message().startsWith("b: scheme ws:// is not allowed"), why.get(0).message());
        assertEquals(ErrorCode.BAD_INPUT, why.get(1).code());
        assertTrue(why.get(2).message().contains("private 192.168.0.0/16"), why.get(2).message());
        assertTrue(why.get(3).message().contains("eu??west"), why.get(3).message());
        assertEquals("2 more relays over the cap of maxRelays=2 were ignored", why.get(4).message());
        assertTrue(found.result(Duration.ofSeconds(5)).isOk());
    }

    @Test
    void wsIsAllowedToLoopbackOrWhenConfigured() {
        DiscoveredRelays strict = new DiscoveredRelays("test", config(true, Set.of("wss")), 10);
        assertTrue(strict.add("a", RelayEndpoint.of("ws://127.0.0.1:9000/")));
        assertFalse(strict.add("b", RelayEndpoint.of("ws://10.0.0.1:9000/")));
        DiscoveredRelays lax = new DiscoveredRelays("test", config(true, Set.of("ws", "wss")), 10);
        assertTrue(lax.add("b", RelayEndpoint.of("ws://10.0.0.1:9000/")));
    }

    @Test
    void aLookupWithNothingUsableFailsAndSaysWhy() {
        DiscoveredRelays found = new DiscoveredRelays("test", config(false, Set.of("wss")), 10);
        for (int i = 0; i < 50; i++) {
            found.reject("relays[" + i + "]", ErrorCode.BAD_INPUT, "url is not a string\u0000");
        }
        Result<DiscoveryResult> r = found.result(Duration.ofSeconds(1));
        RelayError e = r.failure().orElseThrow();
        assertEquals(ErrorCode.DISCOVERY_FAILED, e.code());
        assertTrue(e.message().contains("50 entries rejected"), e.message());
        assertFalse(e.message().contains("\u0000"));
        assertEquals(DiscoveredRelays.MAX_REJECTION_LINES + 1, found.rejections().size());
    }
}
