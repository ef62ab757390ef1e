package io.solconnect.relay.core.internal.engine;

import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.spi.RelayConnection;
import io.solconnect.relay.core.internal.monitor.ConnectionMonitor;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One connection the session opened (or is opening) to a relay, with the role it plays, its
 * resume wait and its paced writes. Its role is set by {@link Links} alone. Confined to the engine
 * loop, except {@link #alive()}, which transport threads call as bytes arrive (the monitor is
 * thread-safe), and the completion of {@link #write}, which only counts an error on the
 * thread-safe recorder.
 */
final class Link {

    /** What the link is for. */
    enum Role { PRIMARY, STANDBY, CLOSING }

    private final long generation;
    private final RelayEntry relay;
    private final long startedNanos;
    private Role role;
    /** Null until the connect completed. */
    private RelayConnection connection;
    private volatile ConnectionMonitor monitor;
    private long openedNanos = -1;
    private Instant openedAt;
    private boolean closed;
    /** Its end was written to the connection history. */
    private boolean recorded;
    /** The link will be dropped once open (the session no longer needs it). */
    private boolean abandoned;
    /**
     * A standby opened beside a full set of standbys to reach the preferred relay (convergence):
     * make before break, so the session keeps hearing every relay it heard until this one is open.
     */
    private boolean extra;
    /** When this link last brought a message no other link had brought first; MIN_VALUE if never. */
    private long lastFreshNanos = Long.MIN_VALUE;
    private final ResumeGate resume = new ResumeGate();
    private final PacedFrames paced = new PacedFrames();
    private final FleetClaim fleet;
    /** The fleet whose sequence this link's resume used (instead of the relay's own); null if none. */
    private String fleetResume;
    private boolean catchUpDeferred;
    private final AckClock ackClock = new AckClock();
    private final InboundBacklog backlog = new InboundBacklog();
    private final Budget resends = Budget.perLink();

    Link(long generation, RelayEntry relay, Role role, long startedNanos) {
        this.generation = generation;
        this.relay = relay;
        this.role = role;
        this.startedNanos = startedNanos;
        this.fleet = new FleetClaim(relay.configuredFleet().orElse(null));
    }

    /** Takes a fleet claim the relay made on this link (see {@link Fleets#claim}). */
    FleetClaim.Outcome claimFleet(String id) {
        return fleet.claim(id);
    }

    /** Its catch-up waits for the answer to its resume, by which time its relay said its fleet. */
    void deferCatchUp() {
        catchUpDeferred = true;
    }

    /** Whether its catch-up waits for the resume's answer. */
    boolean catchUpDeferred() {
        return catchUpDeferred;
    }

    /** Whether its catch-up was waiting (once; then it no longer waits). */
    boolean takeDeferredCatchUp() {
        boolean was = catchUpDeferred;
        catchUpDeferred = false;
        return was;
    }

    /** This link is treated as sharing nothing from now on. */
    void leaveFleet() {
        fleet.spoil();
    }

    /** The fleet this link's relay is in, if it said so consistently (or is configured so). */
    java.util.Optional<String> fleet() {
        return fleet.fleet();
    }

    /** Whether this link and {@code other} reach relays of one fleet. */
    boolean sameFleet(Link other) {
        return other != null && FleetClaim.same(fleet(), other.fleet());
    }

    /** A resume on this link used the sequence of {@code fleetId}. */
    void resumedInFleet(String fleetId) {
        fleetResume = fleetId;
    }

    /** The fleet whose sequence this link's resume used, once (then forgotten). */
    java.util.Optional<String> takeFleetResume() {
        java.util.Optional<String> f = java.util.Optional.ofNullable(fleetResume);
        fleetResume = null;
        return f;
    }

    long generation() {
        return generation;
    }

    RelayEntry relay() {
        return relay;
    }

    String id() {
        return relay.id();
    }

    Role role() {
        return role;
    }

    /** Only {@link Links} assigns roles. */
    void role(Role r) {
        role = r;
    }

    boolean open() {
        return connection != null && !closed;
    }

    /** Whether the connect completed (successfully) at some point. */
    boolean everOpened() {
        return connection != null;
    }

    boolean closed() {
        return closed;
    }

    long startedNanos() {
        return startedNanos;
    }

    long openedNanos() {
        return openedNanos;
    }

    Instant openedAt() {
        return openedAt;
    }

    RelayConnection connection() {
        return connection;
    }

    ResumeGate resume() {
        return resume;
    }

    PacedFrames paced() {
        return paced;
    }

    /** Times this link's acks of messages written on it (RTT under traffic). */
    AckClock ackClock() {
        return ackClock;
    }

    /**
     * An RTT sample of this link (a pong, or the ack of a message timed by {@link #ackClock()}):
     * recorded against the relay, and no latency probe is due on the link for a while.
     */
    void measured(Duration rtt) {
        relay.recorder().rtt(rtt);
        ConnectionMonitor m = monitor;
        if (m != null) {
            m.rttMeasured();
        }
    }

    /** Frames decoded for this link and not yet taken by the loop (thread-safe). */
    InboundBacklog backlog() {
        return backlog;
    }

    /** What this link may still write again at members' requests ({@link Budget#perLink()}). */
    Budget resends() {
        return resends;
    }

    /** The connect completed: the link has a connection and a monitor (not started yet). */
    void opened(RelayConnection c, ConnectionMonitor m, long nanos, Instant at) {
        connection = c;
        monitor = m;
        openedNanos = nanos;
        openedAt = at;
    }

    /** The connect failed, or the open link is not needed: nothing more happens on it. */
    void markClosed() {
        closed = true;
    }

    /** The link is gone (lost or retired): closed, its relay unlinked now, its monitor stopped. */
    void ended(long now) {
        closed = true;
        relay.unlinked(now);
        stopMonitor();
    }

    void abandon() {
        abandoned = true;
    }

    boolean abandoned() {
        return abandoned;
    }

    void markExtra() {
        extra = true;
    }

    boolean extra() {
        return extra;
    }

    /** Returns whether the link was an extra standby, and makes it an ordinary one. */
    boolean takeExtra() {
        boolean was = extra;
        extra = false;
        return was;
    }

    /** Returns true once, for the first end worth recording in the connection history. */
    boolean endToRecord() {
        if (recorded || openedAt == null) {
            return false;
        }
        recorded = true;
        return true;
    }

    /** The link brought a message no other link had. */
    void fresh(long now) {
        lastFreshNanos = now;
    }

    /** Whether the link brought nothing new since {@code since}. */
    boolean quietSince(long since) {
        return lastFreshNanos < since;
    }

    /** Proof of life; thread-safe. */
    void alive() {
        ConnectionMonitor m = monitor;
        if (m != null) {
            m.alive();
        }
    }

    boolean monitored() {
        return monitor != null;
    }

    /**
     * The link carries traffic (a message frame written or received), or is about to (it became
     * the primary): it is watched closely for the active window, and pinged at once when it was not
     * heard from within the ping interval (see {@link ConnectionMonitor#traffic()}).
     */
    void traffic() {
        ConnectionMonitor m = monitor;
        if (m != null) {
            m.traffic();
        }
    }

    void startMonitor() {
        monitor.start();
    }

    /** A large frame (a resume answer) is expected: a missed pong does not end the link for up to {@code d}. */
    void expectLargeFrame(Duration d) {
        ConnectionMonitor m = monitor;
        if (m != null) {
            m.patience(d);
        }
    }

    /** The large frame expected arrived. */
    void largeFrameArrived() {
        ConnectionMonitor m = monitor;
        if (m != null) {
            m.endPatience();
        }
    }

    void stopMonitor() {
        ConnectionMonitor m = monitor;
        if (m != null) {
            m.stop();
        }
    }

    /**
     * Writes a frame of {@code bytes} UTF-8 bytes; a failed write is counted against the relay.
     * Counts as {@link #traffic()}: a write on a link that was silent for a ping interval re-checks it.
     */
    CompletionStage<Result<Result.Done>> write(String frame, int bytes) {
        relay.recorder().outbound(bytes);
        traffic();
        CompletionStage<Result<Result.Done>> st;
        try {
            st = connection.send(frame);
        } catch (RuntimeException e) {
            st = CompletableFuture.completedFuture(Result.err(ErrorCode.IO, e.toString()));
        }
        st.whenComplete((r, ex) -> {
            if (ex != null || !r.isOk()) {
                relay.recorder().error();
            }
        });
        return st;
    }

    @Override
    public String toString() {
        return relay.id() + "#" + generation + "(" + role + (connection == null ? ", connecting" : "") + ")";
    }
}
