package io.solconnect.relay.core.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solconnect.relay.api.spi.ProtocolFrame;
import io.solconnect.relay.api.spi.SequencedProtocol;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A relay's fleet claim as the {@code solconnect-sync} codec reads it; checking it is the engine's part. */
class FleetClaimDecodingTest {

    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    final SyncProtocol sync = new SyncProtocol(64 * 1024);

    SequencedProtocol.Decoded decode(String frame) {
        return sync.decodeSequenced("ws://r/", frame, NOW);
    }

    @Test
    void relayInfoCarriesTheClaimAndIsOtherwiseIgnored() {
        SequencedProtocol.Decoded d = decode("{\"type\":\"relay_info\",\"fleetId\":\"f1\",\"extra\":1}");
        assertInstanceOf(ProtocolFrame.Ignored.class, d.frame());
        assertEquals(Optional.of("f1"), d.fleet());
        assertTrue(!d.resumeReply());
    }

    @Test
    void aSyncResponseCarriesTheClaimBesideItsHistory() {
        SequencedProtocol.Decoded d = decode("{\"type\":\"sync_response\",\"sessionId\":\"r\",\"fleetId\":\"f1\",\"messages\":["
                + "{\"message\":{\"sender_wallet\":\"w\",\"ciphertext\":\"c1\"},\"sequenceNumber\":3}]}");
        assertEquals(1, ((ProtocolFrame.Deliver) d.frame()).messages().size());
        assertTrue(d.resumeReply());
        assertEquals(Optional.of("f1"), d.fleet());
    }

    @Test
    void framesOfRelaysThatShareNothingClaimNoFleet() {
        assertEquals(Optional.empty(), decode("{\"type\":\"sync_response\",\"sessionId\":\"r\",\"messages\":[]}").fleet());
        assertEquals(Optional.empty(), decode("{\"type\":\"relay_info\"}").fleet());
        // only relay_info and sync_response speak for the relay: a chat frame is another client's
        assertEquals(Optional.empty(), decode("{\"roomId\":\"r\",\"message\":\"hi\",\"fleetId\":\"f1\"}").fleet());
    }

    @Test
    void aClaimThatIsNotTextOrTooLongIsPassedOnAsInvalid() {
        assertEquals(Optional.of(""), decode("{\"type\":\"relay_info\",\"fleetId\":7}").fleet());
        String claimed = decode("{\"type\":\"relay_info\",\"fleetId\":\"" + "x".repeat(10_000) + "\"}").fleet().orElseThrow();
        assertEquals(JsonFrames.MAX_FLEET_CLAIM, claimed.length(), "cut, and over the engine's 128-character limit");
    }
}
