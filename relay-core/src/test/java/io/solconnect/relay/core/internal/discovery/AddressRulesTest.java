package io.solconnect.relay.core.internal.discovery;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AddressRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "10.1.2.3", "172.31.255.255", "192.168.0.1",
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
    @ValueSource(strings = {"169.254.169.254", "169.254.170.2", "169.254.0.1", "100.100.100.200",
        "[fd00:ec2::254]", "[::ffff:169.254.169.254]", "[64:ff9b::a9fe:a9fe]", "[2002:a9fe:a9fe::1]"})
    void cloudMetadataAddressesAreRefusedEvenWhenPrivateIsAllowed(String host) {
        assertTrue(AddressRules.refusedHost(host, true).isPresent(), host);
        assertTrue(AddressRules.refusedHost(host, true).get().contains("metadata"), host);
    }

    @Test
    void resolvedCloudMetadataAddressesAreRefusedEvenWhenPrivateIsAllowed() throws Exception {
        for (String a : new String[] {"169.254.169.254", "100.100.100.200", "fd00:ec2::254"}) {
            assertTrue(AddressRules.refusedAddress(InetAddress.getByName(a), true).isPresent(), a);
        }
        // Neighbours of the single metadata addresses stay ordinary private/CGNAT addresses.
        assertTrue(AddressRules.refusedAddress(InetAddress.getByName("100.100.100.201"), true).isEmpty());
        assertTrue(AddressRules.refusedAddress(InetAddress.getByName("fd00:ec2::253"), true).isEmpty());
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
}
