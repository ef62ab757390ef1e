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

    /**
     * A room member's request that sender session {@code origin} write its serials {@code from}
     * to {@code to} (inclusive, {@code 1 <= from <= to}) of {@code room} again: the member saw a
     * later serial of that sender and is missing these.
     */
    record Resend(String room, String origin, long from, long to) {
    }

    /**
     * A decoded frame; for each delivered message, its origin when the frame carried one; the
     * resend request the frame carried, or null; and whether the frame answers a resume request
     * (its messages are history, older than anything the relay sent live after the join).
     */
    record Decoded(ProtocolFrame frame, List<Optional<Origin>> origins, Resend resend, boolean resumeReply) {
        /** A frame that carries no resend request and answers no resume. */
        public Decoded(ProtocolFrame frame, List<Optional<Origin>> origins) {
            this(frame, origins, null, false);
        }
    }

    /** Encodes a message with its origin and serial. */
    Result<String> encode(OutboundMessage message, Origin origin);

    /**
     * Encodes a message written again because a member asked for it ({@link Resend}): a relay
     * that remembers the id (and would otherwise only acknowledge it again) forwards it to the
     * room once more. By default the same frame as {@link #encode(OutboundMessage, Origin)}.
     */
    default Result<String> encodeResent(OutboundMessage message, Origin origin) {
        return encode(message, origin);
    }

    /**
     * The frame that asks the room's members for a resend, sent by {@code sender}; empty when the
     * protocol has no way to carry one (then gaps are left to the resume and the order hold).
     */
    default Optional<String> resendFrame(Resend request, String sender) {
        return Optional.empty();
    }

    /** Decodes a frame, keeping the origins of delivered messages; never throws. */
    Decoded decodeSequenced(String relay, String frame, Instant receivedAt);
}
