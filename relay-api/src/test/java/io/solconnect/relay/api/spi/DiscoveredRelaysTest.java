package io.solconnect.relay.api.spi;

import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.RelayError;
import io.solconnect.relay.api.Result;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DiscoveredRelaysTest {

    @Test
    void keepsTheCapDropsDuplicatesAndReportsAddresses() throws Exception {
        DiscoveredRelays found = new DiscoveredRelays("test", 2);
        assertTrue(found.add("a", RelayEndpoint.of("wss://relay1.example.org/ws"),
                List.of(InetAddress.getByName("192.168.1.1"))));
        assertFalse(found.add("c", RelayEndpoint.of("wss://relay1.example.org/ws")), "duplicate");
        assertTrue(found.add("f", RelayEndpoint.of("wss://relay5.example.org/")));
        assertFalse(found.add("g", RelayEndpoint.of("wss://relay6.example.org/")), "over the cap");
        found.skippedOverCap(1);
        assertEquals(2, found.relays().size());
        assertEquals(3, found.rejectedCount());
        List<RelayError> why = found.rejections();
        assertEquals(2, why.size());
        assertEquals(ErrorCode.BAD_INPUT, why.get(0).code());
        assertEquals("2 more relays over the cap of maxRelays=2 were ignored", why.get(1).message());
        DiscoveryResult r = found.result(Duration.ofSeconds(5)).orElseThrow();
        assertEquals(Map.of("wss://relay1.example.org/ws", List.of(InetAddress.getByName("192.168.1.1"))), r.addresses());
        assertEquals(2, r.rejected().size());
    }

    @Test
    void aLookupWithNothingUsableFailsAndSaysWhy() {
        DiscoveredRelays found = new DiscoveredRelays("test", 10);
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

    @Test
    void printableReplacesControlCharactersAndShortens() {
        assertEquals("a??b?c", Untrusted.printable("a\r\nb\u202ec"));
        assertEquals("null", Untrusted.printable(null));
        String shown = Untrusted.printable("x".repeat(1000));
        assertEquals(Untrusted.MAX_SHOWN + 3, shown.length());
        assertTrue(shown.endsWith("..."));
    }
}
