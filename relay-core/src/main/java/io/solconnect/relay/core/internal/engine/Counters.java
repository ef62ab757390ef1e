package io.solconnect.relay.core.internal.engine;

/**
 * The session's running totals for the status snapshot. Each part counts what it does through
 * these methods. Confined to the engine loop.
 */
final class Counters {

    private long sent;
    private long acknowledged;
    private long failed;
    private long malformed;
    private long failovers;
    private long unknownAcks;
    private long resendsAsked;
    private long resent;
    private long republished;
    private long limitsExceeded;
    private long resendsThrottled;
    private long acksRefused;
    private long resumesTooLarge;

    void sent() {
        sent++;
    }

    void acknowledged() {
        acknowledged++;
    }

    void failed() {
        failed++;
    }

    void malformed() {
        malformed++;
    }

    void failover() {
        failovers++;
    }

    void unknownAck() {
        unknownAcks++;
    }

    void resendAsked() {
        resendsAsked++;
    }

    void resent(int n) {
        resent += n;
    }

    /** Copies of own messages written again to another relay (re-publication, catch-up). */
    void republished(int n) {
        republished += n;
    }

    long republishedCount() {
        return republished;
    }

    /** A link was closed because a relay sent more than the client holds for it. */
    void limitExceeded() {
        limitsExceeded++;
    }

    /** {@code n} resend requests were not answered in full: the resend budget was spent. */
    void resendsThrottled(int n) {
        resendsThrottled += n;
    }

    /** An ack of a pending message came from a link it was never written to. */
    void ackRefused() {
        acksRefused++;
    }

    long limitsExceededCount() {
        return limitsExceeded;
    }

    long resendsThrottledCount() {
        return resendsThrottled;
    }

    long acksRefusedCount() {
        return acksRefused;
    }

    /** A resume answer was too large to read (over maxResumeBytes): the room is joined without that history. */
    void resumeTooLarge() {
        resumesTooLarge++;
    }

    long resumesTooLargeCount() {
        return resumesTooLarge;
    }

    long sentCount() {
        return sent;
    }

    long acknowledgedCount() {
        return acknowledged;
    }

    long failedCount() {
        return failed;
    }

    long malformedCount() {
        return malformed;
    }

    long failoverCount() {
        return failovers;
    }

    long unknownAckCount() {
        return unknownAcks;
    }

    long resendsAskedCount() {
        return resendsAsked;
    }

    long resentCount() {
        return resent;
    }
}
