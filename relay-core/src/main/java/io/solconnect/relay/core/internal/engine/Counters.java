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
