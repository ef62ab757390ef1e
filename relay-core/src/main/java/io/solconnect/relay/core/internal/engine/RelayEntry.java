package io.solconnect.relay.core.internal.engine;

import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.core.internal.monitor.QualityRecorder;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * What the engine knows about one relay: its metrics, score, reconnect backoff and ejection, and
 * the last relay sequence seen per room (meaningful only on this relay). Owned by the
 * {@link RelayBook}; confined to the engine loop.
 */
final class RelayEntry {

    /** Ejection time grows by doubling up to this factor of the base time. */
    static final int MAX_EJECTION_FACTOR = 64;

    private RelayEndpoint endpoint;
    private final QualityRecorder recorder;
    private double score;
    private long healthySinceNanos = -1;
    /**
     * Failures in a row: since the last connection that served (stayed open for an ack timeout), the
     * last ejection or the last stable connection.
     */
    private int failures;
    /**
     * When the failures of the last stable period happened, oldest first (at most {@value #MAX_RECENT});
     * their number is the backoff exponent.
     */
    private final ArrayDeque<Long> recentFailures = new ArrayDeque<>();
    /** When the current run of failures began: set by its first {@link #fail}; meaningful while failures > 0. */
    private long failingSinceNanos = Long.MIN_VALUE;
    private int ejections;
    private long ejectedUntilNanos = Long.MIN_VALUE;
    private long nextAttemptNanos = Long.MIN_VALUE;
    private boolean draining;
    /** When our last link to this relay ended; MIN_VALUE if we never had one. */
    private long unlinkedAtNanos = Long.MIN_VALUE;
    private final Map<String, Long> lastSequence = new HashMap<>();
    /** The fleet the relay said it is in on its last link that said so consistently; null if none. */
    private String claimedFleet;
    /** Room: the highest sequence a resume was asked from whose answer was too large to read. */
    private final Map<String, Long> resumeTooLarge = new HashMap<>();

    RelayEntry(RelayEndpoint endpoint, QualityRecorder recorder, double initialScore) {
        this.endpoint = endpoint;
        this.recorder = recorder;
        this.score = initialScore;
    }

    String id() {
        return endpoint.id();
    }

    RelayEndpoint endpoint() {
        return endpoint;
    }

    int priority() {
        return endpoint.priority();
    }

    QualityRecorder recorder() {
        return recorder;
    }

    double score() {
        return score;
    }

    /**
     * Takes a new score; tracks since when the relay has been healthy (at or above
     * {@code threshold} and not ejected). Returns the old score.
     */
    double rescore(double newScore, double threshold, long now) {
        double old = score;
        score = newScore;
        boolean healthy = score >= threshold && !ejected(now);
        if (healthy && healthySinceNanos < 0) {
            healthySinceNanos = now;
        } else if (!healthy) {
            healthySinceNanos = -1;
        }
        return old;
    }

    /** Nanos since the relay became healthy, or -1 when it is not. */
    long healthySinceNanos() {
        return healthySinceNanos;
    }

    int failures() {
        return failures;
    }

    /** When the current run of failures began; meaningful while {@link #failures()} > 0. */
    long failingSinceNanos() {
        return failingSinceNanos;
    }

    long ejectedUntilNanos() {
        return ejectedUntilNanos;
    }

    /** The earliest time it may be tried again (after backoff and ejection). */
    long eligibleAtNanos() {
        return Math.max(nextAttemptNanos, ejectedUntilNanos);
    }

    boolean draining() {
        return draining;
    }

    /** Discovery lists it again (or still): a new endpoint, no longer draining. */
    void rediscovered(RelayEndpoint e) {
        endpoint = e;
        draining = false;
    }

    /** Discovery no longer lists it: not picked again. */
    void drain() {
        draining = true;
    }

    /** Our link to it ended now. */
    void unlinked(long now) {
        unlinkedAtNanos = now;
    }

    /** When our last link to it ended; MIN_VALUE if we never had one. */
    long unlinkedAtNanos() {
        return unlinkedAtNanos;
    }

    /**
     * The fleet its endpoint declares with a {@code fleet=<id>} tag (the operator's word), if the
     * tag is there and well formed.
     */
    Optional<String> configuredFleet() {
        return endpoint.tags().stream().filter(t -> t.startsWith(FleetClaim.TAG))
                .map(t -> t.substring(FleetClaim.TAG.length())).filter(FleetClaim::valid).findFirst();
    }

    /**
     * The fleet a new link to it is expected to be in: the configured one, else the one its last
     * link claimed consistently. Only an expectation: a link is in a fleet once it is confirmed.
     */
    Optional<String> fleet() {
        return configuredFleet().or(() -> Optional.ofNullable(claimedFleet));
    }

    /** A link confirmed {@code id} as its fleet; null: a link's claim was bad, expect none. */
    void fleet(String id) {
        claimedFleet = id;
    }

    /**
     * Notes that this relay's answer to a resume of {@code room} from sequence {@code from} was too
     * large to read (over maxResumeBytes): it is not asked for that room's history from there again.
     */
    void resumeWasTooLarge(String room, long from) {
        resumeTooLarge.merge(room, from, Math::max);
    }

    /** Whether asking this relay for {@code room}'s history from {@code from} got an answer too large to read. */
    boolean resumeTooLarge(String room, long from) {
        Long at = resumeTooLarge.get(room);
        return at != null && from <= at;
    }

    /** The last relay sequence seen in {@code room}, 0 when none. */
    long lastSequence(String room) {
        return lastSequence.getOrDefault(room, 0L);
    }

    /** Notes a relay sequence seen in {@code room}. */
    void sawSequence(String room, long seq) {
        lastSequence.merge(room, seq, Math::max);
    }

    /**
     * The relay may have restarted, and relays restart their sequence numbers with the process:
     * the next connection resumes from 0 (dedup drops what we had).
     */
    void forgetSequences() {
        lastSequence.clear();
    }

    boolean ejected(long now) {
        return now < ejectedUntilNanos;
    }

    boolean backingOff(long now) {
        return now < nextAttemptNanos;
    }

    /** Most failure times kept; the exponential cap is reached long before. */
    static final int MAX_RECENT = 64;

    /**
     * Records a failure and sets the next attempt time: full jitter, uniformly random in
     * [0, min(max, initial * 2^(n-1))], where n counts this relay's failures within the last
     * {@code window} (the stable period) since it was last reset.
     */
    long fail(long now, Duration initial, Duration max, Duration window, RandomGenerator random) {
        if (failures == 0) {
            failingSinceNanos = now;
        }
        failures++;
        recentFailures.addLast(now);
        while (recentFailures.size() > MAX_RECENT || now - recentFailures.peekFirst() > window.toNanos()) {
            recentFailures.pollFirst();
        }
        long cap = cappedExponential(initial.toNanos(), max.toNanos(), recentFailures.size() - 1);
        long delay = cap <= 0 ? 0 : (long) (random.nextDouble() * cap);
        nextAttemptNanos = now + delay;
        return delay;
    }

    /** Ejects for {@code base * 2^ejections} (capped at {@value #MAX_EJECTION_FACTOR}x) and returns the length. */
    long eject(long now, Duration base) {
        long factor = Math.min(MAX_EJECTION_FACTOR, 1L << Math.min(ejections, 30));
        long length = saturatedMultiply(base.toNanos(), factor);
        ejections++;
        ejectedUntilNanos = now + length;
        failures = 0;
        recentFailures.clear();
        nextAttemptNanos = ejectedUntilNanos;
        return length;
    }

    /**
     * A connection stayed open long enough to serve (an ack timeout): the run of failures in a row
     * ends, so a relay that crashes now and then but serves in between is not ejected. The backoff
     * window and the ejection count are kept until {@link #stable()}.
     */
    void served() {
        failures = 0;
    }

    /** A connection lasted the stable period: forget past failures and ejections. */
    void stable() {
        failures = 0;
        ejections = 0;
        recentFailures.clear();
        nextAttemptNanos = Long.MIN_VALUE;
    }

    /** Ends the current backoff wait (not an ejection): the next attempt may be made {@code now}. */
    void retryNow(long now) {
        nextAttemptNanos = Math.min(nextAttemptNanos, now);
    }

    /** Not this relay's fault (our own network went away): forget its failures and backoff. */
    void forgive() {
        failures = 0;
        recentFailures.clear();
        nextAttemptNanos = Long.MIN_VALUE;
    }

    static long cappedExponential(long initial, long max, int exponent) {
        if (exponent >= 62) {
            return max;
        }
        long v = saturatedMultiply(initial, 1L << Math.min(exponent, 61));
        return Math.min(max, v);
    }

    private static long saturatedMultiply(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        if ((hi == 0 && lo >= 0) || (hi == -1 && lo < 0)) {
            return lo;
        }
        return Long.MAX_VALUE / 4;
    }
}
