package io.solconnect.relay.core.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.solconnect.relay.api.InboundMessage;
import io.solconnect.relay.api.OutboundMessage;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.spi.ProtocolFrame;
import io.solconnect.relay.api.spi.SequencedProtocol;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * Fuzzes the inbound side of both SolConnect codecs ({@link LegacyProtocol}, {@link SyncProtocol},
 * through {@link JsonFrames}) with any frame text, and checks encode-then-decode round trips.
 *
 * <p>The contract under test is {@code RelayProtocol.decode}'s: never throws, never returns null;
 * hostile input is {@link ProtocolFrame.Malformed}. A decoder that threw and was caught by the
 * catch-all in {@code JsonFrames.decodeSequenced} ("undecodable frame: ...") counts as a finding
 * too: that net is there for unknown unknowns, not as the way a known shape is refused.
 */
class ProtocolFuzzTest {

    /** The default {@code outbox.maxMessageBytes} (64 KiB). */
    private static final int MAX_FRAME_BYTES = 64 * 1024;
    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    private final LegacyProtocol legacy = new LegacyProtocol(MAX_FRAME_BYTES);
    private final SyncProtocol sync = new SyncProtocol(MAX_FRAME_BYTES);

    /** Any UTF-8 text as an inbound frame of the legacy relay. */
    @FuzzTest
    @DictionaryEntries({"\"roomId\"", "\"sessionId\"", "\"message\"", "\"sender\"", "\"timestamp\"", "\"messageId\"", "\"sequenceNumber\"", "\"type\"", "\"join\"", "\"resend\"", "\"sync_ack\"", "\"sync_response\"", "\"acknowledgedMessageIds\"", "\"messages\"", "\"ciphertext\"", "\"sender_wallet\"", "\"vectorClock\"", "\"origin\"", "\"from\"", "\"to\"", "\"error\"", "\"2026-12-03T12:00:00Z\""})
    void legacyDecode(byte[] input) {
        checkDecoded(legacy.decodeSequenced("relay-1", new String(input, StandardCharsets.UTF_8), NOW));
    }

    /** Any UTF-8 text as an inbound frame of the sync relay. */
    @FuzzTest
    @DictionaryEntries({"\"roomId\"", "\"sessionId\"", "\"message\"", "\"sender\"", "\"timestamp\"", "\"messageId\"", "\"sequenceNumber\"", "\"type\"", "\"join\"", "\"resend\"", "\"sync_ack\"", "\"sync_response\"", "\"acknowledgedMessageIds\"", "\"messages\"", "\"ciphertext\"", "\"sender_wallet\"", "\"vectorClock\"", "\"origin\"", "\"from\"", "\"to\"", "\"error\"", "\"2026-12-03T12:00:00Z\""})
    void syncDecode(byte[] input) {
        checkDecoded(sync.decodeSequenced("relay-1", new String(input, StandardCharsets.UTF_8), NOW));
    }

    /**
     * Any message the engine could send: the legacy codec reads its own chat frame back to the same
     * message and origin; the sync codec's {@code sync_update} is refused by no client (it is
     * relay-bound) and its resend request reads back to the same request.
     */
    @FuzzTest
    void roundTrip(FuzzedDataProvider data) {
        String room = data.consumeString(300);
        String id = data.consumeString(300);
        String sender = data.consumeString(300);
        boolean withOrigin = data.consumeBoolean();
        SequencedProtocol.Origin origin = withOrigin
                ? new SequencedProtocol.Origin(data.consumeString(600), data.consumeLong(1, Long.MAX_VALUE)) : null;
        String payload = data.consumeRemainingAsString();
        OutboundMessage m;
        try {
            m = new OutboundMessage(id, room, sender, payload, NOW);
        } catch (IllegalArgumentException e) {
            return; // not a message the engine can hold
        }

        Result<String> frame = legacy.encode(m, origin);
        if (frame.isOk()) {
            SequencedProtocol.Decoded back = legacy.decodeSequenced("relay-1", frame.orElseThrow(), NOW);
            checkDecoded(back);
            if (payload.isEmpty()) {
                assertInstanceOf(ProtocolFrame.Ignored.class, back.frame(), "an empty chat frame is a join");
            } else if (sender.length() <= JsonFrames.MAX_ID_LENGTH && id.length() <= JsonFrames.MAX_ID_LENGTH) {
                ProtocolFrame.Deliver d = assertInstanceOf(ProtocolFrame.Deliver.class, back.frame(),
                        () -> "own frame not read back: " + back.frame());
                assertEquals(1, d.messages().size());
                InboundMessage in = d.messages().get(0);
                assertEquals(room, in.room());
                assertEquals(sender, in.sender());
                assertEquals(payload, in.payload());
                assertEquals(Optional.of(id), in.messageId());
                assertEquals(Optional.of(NOW), in.sentAt());
                // (an empty origin reads back too: input empty-origin)
                boolean originFits = origin != null && origin.origin().length() <= 2 * JsonFrames.MAX_ID_LENGTH;
                assertEquals(originFits ? Optional.of(origin) : Optional.empty(), back.origins().get(0));
            }
        }

        Result<String> update = sync.encode(m, origin);
        if (update.isOk()) {
            SequencedProtocol.Decoded back = sync.decodeSequenced("relay-1", update.orElseThrow(), NOW);
            checkDecoded(back);
            assertInstanceOf(ProtocolFrame.Ignored.class, back.frame(), "a client ignores a relay-bound sync_update");
        }

        if (origin != null && !origin.origin().isEmpty() && origin.serial() <= Long.MAX_VALUE - JsonFrames.MAX_BATCH) {
            long to = origin.serial() + data.consumeInt(0, JsonFrames.MAX_BATCH - 1);
            SequencedProtocol.Resend request = new SequencedProtocol.Resend(room, origin.origin(), origin.serial(), to);
            Optional<String> resend = sync.resendFrame(request, sender);
            if (resend.isPresent()) {
                SequencedProtocol.Decoded back = sync.decodeSequenced("relay-1", resend.get(), NOW);
                checkDecoded(back);
                if (origin.origin().length() <= 2 * JsonFrames.MAX_ID_LENGTH) {
                    assertEquals(Optional.of(request), back.resend(), () -> "resend request not read back: " + back);
                }
            }
        }
    }

    /** What every decode must give: a frame, one origin per delivered message, no hidden exception. */
    private static void checkDecoded(SequencedProtocol.Decoded decoded) {
        assertNotNull(decoded);
        ProtocolFrame f = decoded.frame();
        assertNotNull(f);
        if (f instanceof ProtocolFrame.Malformed bad) {
            assertFalse(bad.reason().startsWith("undecodable frame"), () -> "decoder threw: " + bad.reason());
            assertFalse(bad.reason().isEmpty());
        }
        if (f instanceof ProtocolFrame.Deliver d) {
            assertEquals(d.messages().size(), decoded.origins().size(), "one origin per message");
            for (InboundMessage m : d.messages()) {
                assertFalse(m.payload().isEmpty(), "joins are not delivered");
                assertTrue(m.sequence().isEmpty() || m.sequence().getAsLong() >= 0);
            }
        } else {
            assertTrue(decoded.origins().isEmpty(), "origins only for deliveries");
        }
        if (f instanceof ProtocolFrame.Ack a) {
            assertTrue(a.messageIds().size() <= JsonFrames.MAX_BATCH);
        }
    }
}
