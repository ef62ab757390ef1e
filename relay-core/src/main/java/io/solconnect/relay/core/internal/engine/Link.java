package io.solconnect.relay.core.internal.engine;

import io.solconnect.relay.api.spi.RelayConnection;
import io.solconnect.relay.core.internal.monitor.ConnectionMonitor;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One connection the session opened (or is opening) to a relay, with the role it plays. Not
 * thread-safe: guarded by the engine's lock, except {@link #monitor} (volatile, itself thread-safe).
 */
final class Link {

    /** What the link is for. */
    enum Role { PRIMARY, STANDBY, CLOSING }

    final long generation;
    final RelayEntry relay;
    Role role;
    /** Null until the connect completed. */
    RelayConnection connection;
    /**
     * Set under the engine lock once open; volatile because transport threads mark it alive as a
     * frame arrives, before the frame waits its turn on the engine lane.
     */
    volatile ConnectionMonitor monitor;
    /** When the connect started ({@code Scheduler.nanoTime}). */
    long startedNanos;
    long openedNanos = -1;
    Instant openedAt;
    boolean closed;
    /** Its end was written to the connection history. */
    boolean recorded;
    /** The link will be dropped once open (the session no longer needs it). */
    boolean abandoned;
    /**
     * A standby opened beside a full set of standbys to reach the preferred relay (convergence):
     * make before break, so the session keeps hearing every relay it heard until this one is open.
     */
    boolean extra;
    /** Frames waiting to be written in order, a batch at a time (a new standby's catch-up). */
    final ArrayDeque<Frame> paced = new ArrayDeque<>();
    /**
     * Message id of the last frame of the paced batch in flight, until the relay acknowledges it
     * (or the wait for it ends); null when no batch waits for an acknowledgement.
     */
    String pacedAwaiting;
    /** Resume requests written on this link and not answered yet (nor given up on). */
    int resumesPending;
    /** Counts the periods with resumes pending, so that a period's timeout ends only that period. */
    int resumeRound;
    /**
     * Live deliveries that arrived while a resume was pending: processed after its answer, whose
     * history is older (the relay can forward a live message between a join and the resume).
     */
    final List<FailoverEngine.InFrame> early = new ArrayList<>();
    /** When this link last brought a message no other link had brought first; MIN_VALUE if never. */
    long lastFreshNanos = Long.MIN_VALUE;

    /** A publish frame and the message id a relay acknowledges it by. */
    record Frame(String id, String text) {
    }

    Link(long generation, RelayEntry relay, Role role) {
        this.generation = generation;
        this.relay = relay;
        this.role = role;
    }

    boolean open() {
        return connection != null && !closed;
    }

    String id() {
        return relay.id();
    }

    @Override
    public String toString() {
        return relay.id() + "#" + generation + "(" + role + (connection == null ? ", connecting" : "") + ")";
    }
}
