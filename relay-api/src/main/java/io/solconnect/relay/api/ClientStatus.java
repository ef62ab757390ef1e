package io.solconnect.relay.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable snapshot of a {@link RelayClient}: session state, relays, outbox and history. Taken
 * at once under the engine's lock, so its parts agree with each other. Thread-safe.
 *
 * @param at               when the snapshot was taken
 * @param state            the session state
 * @param primary          the primary relay id, if connected
 * @param standby          the standby relay ids
 * @param outboxDepth      messages held (unacknowledged plus queued)
 * @param outboxBytes      payload bytes held
 * @param relays           every known relay
 * @param recentFailovers  the latest failovers, oldest first (bounded, e.g. 100)
 * @param counters         cumulative message counters since start
 */
public record ClientStatus(Instant at, SessionState state, Optional<String> primary, List<String> standby,
                           int outboxDepth, long outboxBytes, List<RelayStatus> relays,
                           List<FailoverRecord> recentFailovers, Counters counters) {

    /**
     * Checks and copies the components.
     *
     * @param at when the snapshot was taken
     * @param state the session state
     * @param primary the primary relay id, if connected
     * @param standby the standby relay ids
     * @param outboxDepth messages held (unacknowledged plus queued)
     * @param outboxBytes payload bytes held
     * @param relays every known relay
     * @param recentFailovers the latest failovers, oldest first (bounded, e.g. 100)
     * @param counters cumulative message counters since start
     */
    public ClientStatus {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(primary, "primary");
        Objects.requireNonNull(counters, "counters");
        standby = List.copyOf(standby);
        relays = List.copyOf(relays);
        recentFailovers = List.copyOf(recentFailovers);
    }

    /**
     * Cumulative counters since start.
     *
     * @param sent                 messages accepted by {@code send}
     * @param acknowledged         messages acknowledged by a relay (or written, when unconfirmed)
     * @param failed               sends completed with an error
     * @param delivered            inbound messages handed to the application
     * @param duplicatesSuppressed inbound messages dropped as already delivered
     * @param malformedFrames      inbound frames that could not be decoded or were refused
     * @param failovers            completed failovers
     * @param resendsRequested     requests this session sent for serials it was missing from a sender
     *                             (one per gap and ask; {@code solconnect-sync} only)
     * @param resent               of this session's messages, those written again because a room member
     *                             asked for them
     * @param limitsExceeded       links closed (code 1008) because a relay sent more than the client
     *                             holds for one link: its inbound queue or the frames held while a
     *                             resume is pending
     * @param serialsRefused       inbound messages whose sender serial was refused for ordering (above
     *                             2^53, or too far ahead of a sender stream that holds messages); they
     *                             are delivered without waiting for order
     * @param resendsThrottled     resend requests of room members not answered in full because the
     *                             resend budget (per link, per this session) was spent; the member asks
     *                             again later
     * @param acksRefused          acknowledgements of a pending message from a link it was never
     *                             written to; they change nothing
     * @param foreignDropped       inbound messages for rooms this client never joined, dropped
     * @param republished          of this session's messages, copies written again to another relay
     *                             because relays share nothing: re-publication on a new primary and the
     *                             catch-up of a new standby (0 for moves within one relay fleet)
     */
    public record Counters(long sent, long acknowledged, long failed, long delivered, long duplicatesSuppressed,
                           long malformedFrames, long failovers, long resendsRequested, long resent,
                           long limitsExceeded, long serialsRefused, long resendsThrottled, long acksRefused,
                           long foreignDropped, long republished) {

        /**
         * Counters without a re-publication count (0), as before it was counted.
         *
         * @param sent                 messages accepted by {@code send}
         * @param acknowledged         messages acknowledged by a relay
         * @param failed               sends completed with an error
         * @param delivered            inbound messages handed to the application
         * @param duplicatesSuppressed inbound messages dropped as already delivered
         * @param malformedFrames      inbound frames that could not be decoded or were refused
         * @param failovers            completed failovers
         * @param resendsRequested     resend requests this session sent
         * @param resent               own messages written again on a member's request
         * @param limitsExceeded       links closed because a relay sent more than the client holds
         * @param serialsRefused       inbound messages whose sender serial was refused for ordering
         * @param resendsThrottled     resend requests not answered in full for the resend budget
         * @param acksRefused          acknowledgements from a link the message was never written to
         * @param foreignDropped       inbound messages for rooms this client never joined, dropped
         */
        public Counters(long sent, long acknowledged, long failed, long delivered, long duplicatesSuppressed,
                        long malformedFrames, long failovers, long resendsRequested, long resent,
                        long limitsExceeded, long serialsRefused, long resendsThrottled, long acksRefused,
                        long foreignDropped) {
            this(sent, acknowledged, failed, delivered, duplicatesSuppressed, malformedFrames, failovers,
                    resendsRequested, resent, limitsExceeded, serialsRefused, resendsThrottled, acksRefused,
                    foreignDropped, 0);
        }

        /**
         * Counters without the hostile-relay figures (all zero), as before they existed.
         *
         * @param sent                 messages accepted by {@code send}
         * @param acknowledged         messages acknowledged by a relay
         * @param failed               sends completed with an error
         * @param delivered            inbound messages handed to the application
         * @param duplicatesSuppressed inbound messages dropped as already delivered
         * @param malformedFrames      inbound frames that could not be decoded or were refused
         * @param failovers            completed failovers
         * @param resendsRequested     resend requests this session sent
         * @param resent               own messages written again on a member's request
         * @param republished          own messages written again to another relay that shares nothing
         */
        public Counters(long sent, long acknowledged, long failed, long delivered, long duplicatesSuppressed,
                        long malformedFrames, long failovers, long resendsRequested, long resent, long republished) {
            this(sent, acknowledged, failed, delivered, duplicatesSuppressed, malformedFrames, failovers,
                    resendsRequested, resent, 0, 0, 0, 0, 0, republished);
        }

        /**
         * Counters without the hostile-relay figures or a re-publication count (all zero), as before
         * they existed.
         *
         * @param sent                 messages accepted by {@code send}
         * @param acknowledged         messages acknowledged by a relay
         * @param failed               sends completed with an error
         * @param delivered            inbound messages handed to the application
         * @param duplicatesSuppressed inbound messages dropped as already delivered
         * @param malformedFrames      inbound frames that could not be decoded or were refused
         * @param failovers            completed failovers
         * @param resendsRequested     resend requests this session sent
         * @param resent               own messages written again on a member's request
         */
        public Counters(long sent, long acknowledged, long failed, long delivered, long duplicatesSuppressed,
                        long malformedFrames, long failovers, long resendsRequested, long resent) {
            this(sent, acknowledged, failed, delivered, duplicatesSuppressed, malformedFrames, failovers,
                    resendsRequested, resent, 0, 0, 0, 0, 0, 0);
        }
    }
}
