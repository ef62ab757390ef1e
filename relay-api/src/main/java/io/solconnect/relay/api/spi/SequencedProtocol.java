package io.solconnect.relay.api.spi;

import io.solconnect.relay.api.OutboundMessage;
import io.solconnect.relay.api.Result;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Optional capabilities of a {@link RelayProtocol} that keep a room consistent across relays that
 * share nothing. A protocol offers them by returning this object from
 * {@link RelayProtocol#sequencing()}; the engine asks once, when a session is created, and a
 * protocol that offers nothing still works (without per-sender order, resume wait or resends).
 *
 * <ul>
 *   <li><b>Per-sender serials</b> ({@link #encode(OutboundMessage, Origin)},
 *       {@link #decodeSequenced}): every message carries its sender session and a consecutive serial
 *       per room, so receivers restore each sender's order when copies arrive through different
 *       relays, and recognise a copy even after their duplicate cache forgot it.</li>
 *   <li><b>Resume replies</b> ({@link #marksResumeReplies()}, {@link Decoded#resumeReply()}): live
 *       messages a relay forwards between a join and the answer to its resume request wait for that
 *       answer, whose history is older. An answer may come in several frames
 *       ({@link Decoded#morePartsDue()}): the wait ends with its last part.</li>
 *   <li><b>Resend requests</b> ({@link #resendFrame}, {@link Decoded#resend()},
 *       {@link #encodeResent}): a member missing serials of a sender asks the room for them, and
 *       the sender writes them again.</li>
 *   <li><b>Fleet claims</b> ({@link Decoded#fleet()}): relays that share one log (a fleet, such as
 *       relays on one NATS JetStream backplane) say so with a fleet id. Within a fleet the engine
 *       resumes by sequence after a move and needs no re-publication, standby copies or resend
 *       requests. The claim is the relay operator's word and is trusted as far as a relay is
 *       trusted anyway: relays that report the same fleet id must share their history and
 *       sequence numbers. The engine checks the id's form ({@code 1..128} characters of
 *       {@code [A-Za-z0-9._:-]}) and that it does not change on one connection; anything else is
 *       no claim.</li>
 * </ul>
 *
 * <p>Stateless and thread-safe, like the protocol itself; {@link #decodeSequenced} runs on
 * transport threads and never throws.
 */
public interface SequencedProtocol {

    /**
     * A sender session and a message's consecutive serial in one room.
     *
     * @param origin the sender session's id (the engine uses {@code sender + "/" + session})
     * @param serial the serial, from 1
     */
    record Origin(String origin, long serial) {
        /**
         * Checks the origin is present.
         *
         * @param origin the sender session's id
         * @param serial the serial, from 1
         */
        public Origin {
            Objects.requireNonNull(origin, "origin");
        }
    }

    /**
     * A room member's request that sender session {@code origin} write its serials {@code from}
     * to {@code to} (inclusive, {@code 1 <= from <= to}) of {@code room} again.
     *
     * @param room   the room
     * @param origin the sender session asked
     * @param from   first missing serial
     * @param to     last missing serial
     */
    record Resend(String room, String origin, long from, long to) {
        /**
         * Checks room and origin are present.
         *
         * @param room   the room
         * @param origin the sender session asked
         * @param from   first missing serial
         * @param to     last missing serial
         */
        public Resend {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(origin, "origin");
        }
    }

    /**
     * A decoded inbound frame with what the capabilities add to it.
     *
     * @param frame        what it means, as {@link RelayProtocol#decode} would say
     * @param origins      for each message of a {@link ProtocolFrame.Deliver}, its origin when the frame
     *                     carried one (empty list for other frames)
     * @param resend       the resend request the frame carried, if any
     * @param resumeReply  whether the frame answers a resume request
     * @param morePartsDue with {@code resumeReply}: whether this is one part of an answer split over
     *                     several frames and more parts follow (the engine keeps waiting for the
     *                     last part before it lets live messages through); false for the last or
     *                     only part, and for any other frame
     * @param fleet        the fleet id the frame claims for its relay, as sent (the engine checks its
     *                     form); empty when the frame claims none, which is every frame of a relay
     *                     that shares nothing
     */
    record Decoded(ProtocolFrame frame, List<Optional<Origin>> origins, Optional<Resend> resend, boolean resumeReply,
                   boolean morePartsDue, Optional<String> fleet) {
        /**
         * Copies the list; checks nothing is null.
         *
         * @param frame        what it means
         * @param origins      the origins of delivered messages
         * @param resend       the resend request carried, if any
         * @param resumeReply  whether it answers a resume request
         * @param morePartsDue whether more parts of this resume answer follow
         * @param fleet        the fleet id claimed, if any
         */
        public Decoded {
            Objects.requireNonNull(frame, "frame");
            origins = List.copyOf(origins);
            Objects.requireNonNull(resend, "resend");
            Objects.requireNonNull(fleet, "fleet");
            if (morePartsDue && !resumeReply) {
                throw new IllegalArgumentException("morePartsDue is only for resume replies");
            }
        }

        /**
         * A frame that claims no fleet.
         *
         * @param frame        what it means
         * @param origins      the origins of delivered messages
         * @param resend       the resend request carried, if any
         * @param resumeReply  whether it answers a resume request
         * @param morePartsDue whether more parts of this resume answer follow
         */
        public Decoded(ProtocolFrame frame, List<Optional<Origin>> origins, Optional<Resend> resend, boolean resumeReply,
                       boolean morePartsDue) {
            this(frame, origins, resend, resumeReply, morePartsDue, Optional.empty());
        }

        /**
         * A frame that is not one part of a split resume answer (or is its last part).
         *
         * @param frame       what it means
         * @param origins     the origins of delivered messages
         * @param resend      the resend request carried, if any
         * @param resumeReply whether it answers a resume request (completely, or as its last part)
         * @param fleet       the fleet id claimed, if any
         */
        public Decoded(ProtocolFrame frame, List<Optional<Origin>> origins, Optional<Resend> resend, boolean resumeReply,
                       Optional<String> fleet) {
            this(frame, origins, resend, resumeReply, false, fleet);
        }

        /**
         * A frame that claims no fleet and is not one part of a split resume answer (or is its last part).
         *
         * @param frame       what it means
         * @param origins     the origins of delivered messages
         * @param resend      the resend request carried, if any
         * @param resumeReply whether it answers a resume request (completely, or as its last part)
         */
        public Decoded(ProtocolFrame frame, List<Optional<Origin>> origins, Optional<Resend> resend, boolean resumeReply) {
            this(frame, origins, resend, resumeReply, false, Optional.empty());
        }

        /**
         * A frame that carries no resend request and answers no resume.
         *
         * @param frame   what it means
         * @param origins the origins of delivered messages
         */
        public Decoded(ProtocolFrame frame, List<Optional<Origin>> origins) {
            this(frame, origins, Optional.empty(), false);
        }
    }

    /**
     * Encodes a message with its origin and serial (used instead of {@link RelayProtocol#encode}).
     *
     * @param message the message
     * @param origin  its sender session and serial
     * @return the frame, or {@link io.solconnect.relay.api.ErrorCode#TOO_LARGE} when over the limit
     */
    Result<String> encode(OutboundMessage message, Origin origin);

    /**
     * Encodes a message written again because a member asked for it: a relay that remembers the
     * id (and would otherwise only acknowledge it again) should forward it once more. By default
     * the same frame as {@link #encode(OutboundMessage, Origin)}.
     *
     * @param message the message
     * @param origin  its sender session and serial
     * @return the frame or why it cannot be encoded
     */
    default Result<String> encodeResent(OutboundMessage message, Origin origin) {
        return encode(message, origin);
    }

    /**
     * The frame that asks the room's members for a resend.
     *
     * @param request what is missing
     * @param sender  this client's sender id
     * @return the frame; empty (the default) when the protocol cannot carry one, and then gaps are
     *         left to the resume and the order hold
     */
    default Optional<String> resendFrame(Resend request, String sender) {
        return Optional.empty();
    }

    /**
     * Whether {@link Decoded#resumeReply()} marks the answers to {@link RelayProtocol#resumeFrame}.
     * Only then does the engine hold live messages until a resume is answered (at most an ack
     * timeout); a protocol that cannot tell its answers apart returns false (the default).
     *
     * @return true if resume answers are marked
     */
    default boolean marksResumeReplies() {
        return false;
    }

    /**
     * Decodes a frame, keeping the origins of delivered messages; never throws (hostile input is
     * {@link ProtocolFrame.Malformed}).
     *
     * @param relay      the relay id it came from
     * @param frame      the frame text
     * @param receivedAt when it arrived
     * @return the decoded frame
     */
    Decoded decodeSequenced(String relay, String frame, Instant receivedAt);
}
