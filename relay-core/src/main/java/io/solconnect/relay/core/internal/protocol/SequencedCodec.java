package io.solconnect.relay.core.internal.protocol;

import io.solconnect.relay.api.OutboundMessage;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.spi.ProtocolFrame;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the built-in SolConnect codecs add to {@link io.solconnect.relay.api.spi.RelayProtocol}: a
 * per-sender serial carried in the frame's {@code vectorClock} ({@code {"<origin>": serial}}), so
 * that receivers can restore each sender's order when copies of a message arrive through
 * different relays. Internal to the engine; third-party protocols do without it.
 */
public interface SequencedCodec {

    /** A sender session and the message's consecutive serial in one room, from 1. */
    record Origin(String origin, long serial) {
    }

    /** A decoded frame and, for each delivered message, its origin when the frame carried one. */
    record Decoded(ProtocolFrame frame, List<Optional<Origin>> origins) {
    }

    /** Encodes a message with its origin and serial. */
    Result<String> encode(OutboundMessage message, Origin origin);

    /** Decodes a frame, keeping the origins of delivered messages; never throws. */
    Decoded decodeSequenced(String relay, String frame, Instant receivedAt);
}
