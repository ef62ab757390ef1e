package io.solconnect.relay.api.spi;

import io.solconnect.relay.api.OutboundMessage;
import io.solconnect.relay.api.Result;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Encodes outbound messages and decodes inbound frames of one relay protocol. Stateless and
 * thread-safe: per-connection state (such as the last sequence seen) is kept by the engine.
 *
 * <p>Every inbound frame is untrusted. {@link #decode} never throws: malformed, oversized or
 * hostile input comes back as {@link ProtocolFrame.Malformed}.
 *
 * <p>Beyond encoding and decoding, a protocol may offer the optional capabilities of
 * {@link SequencedProtocol} (per-sender serials, marked resume replies, resend requests) through
 * {@link #sequencing()}, and of {@link BatchingProtocol} (several messages per frame) through
 * {@link #batching()}.
 */
public interface RelayProtocol {

    /**
     * Whether relays acknowledge messages in this protocol. Without acknowledgements a message is
     * considered sent when written to a socket, and {@link io.solconnect.relay.api.Delivery#confirmed()}
     * is false.
     *
     * @return true if {@link ProtocolFrame.Ack} frames arrive
     */
    boolean acknowledges();

    /**
     * Encodes a message into a frame.
     *
     * @param message the message
     * @return the frame, or {@link io.solconnect.relay.api.ErrorCode#TOO_LARGE} when over the limit
     */
    Result<String> encode(OutboundMessage message);

    /**
     * Frames that make this connection a member of a room, sent after every connect before the
     * outbox is replayed; other clients of the room must recognise and ignore them.
     *
     * @param room   the room
     * @param sender this client's sender id
     * @return zero or more frames
     */
    List<String> joinFrames(String room, String sender);

    /**
     * A frame asking the relay for what this client missed in a room.
     *
     * @param room         the room
     * @param sender       this client's sender id
     * @param lastSequence the last relay sequence seen on this same relay, or 0 to fetch all it has
     * @return the frame, or empty when the protocol has no resume
     */
    Optional<String> resumeFrame(String room, String sender, long lastSequence);

    /**
     * Decodes an inbound frame.
     *
     * @param relay      the relay id it came from
     * @param frame      the frame text
     * @param receivedAt when it arrived
     * @return what it means; never null, never throws
     */
    ProtocolFrame decode(String relay, String frame, Instant receivedAt);

    /**
     * The optional capabilities this protocol offers. The engine calls this once per session and
     * keeps the answer; it must not change.
     *
     * @return the capabilities, or empty (the default) for a protocol with none
     */
    default Optional<SequencedProtocol> sequencing() {
        return Optional.empty();
    }

    /**
     * Whether this protocol can carry several messages in one frame. The engine calls this once per
     * session and keeps the answer; it must not change.
     *
     * @return the capability, or empty (the default): every message then travels in a frame of its own
     */
    default Optional<BatchingProtocol> batching() {
        return Optional.empty();
    }
}
