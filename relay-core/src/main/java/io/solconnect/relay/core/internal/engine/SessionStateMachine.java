package io.solconnect.relay.core.internal.engine;

import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.Scheduler;
import io.solconnect.relay.api.SessionState;
import io.solconnect.relay.core.internal.events.EventBus;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session state and its allowed transitions. Every move publishes a
 * {@link RelayEvent.StateChanged} with its reason; a move the table does not allow is a bug and
 * throws. Not thread-safe: confined to the engine loop.
 *
 * <pre>
 * CONNECTING   → CONNECTED, FAILING_OVER, OFFLINE, CLOSED
 * CONNECTED    → DEGRADED, FAILING_OVER, OFFLINE, CLOSED
 * DEGRADED     → CONNECTED, FAILING_OVER, OFFLINE, CLOSED
 * FAILING_OVER → CONNECTED, OFFLINE, CLOSED
 * OFFLINE      → CONNECTED, CLOSED
 * CLOSED       → (none)
 * </pre>
 */
final class SessionStateMachine {

    private static final Logger log = LoggerFactory.getLogger(SessionStateMachine.class);
    private static final Map<SessionState, Set<SessionState>> ALLOWED = new EnumMap<>(SessionState.class);

    static {
        ALLOWED.put(SessionState.CONNECTING, EnumSet.of(SessionState.CONNECTED, SessionState.FAILING_OVER,
                SessionState.OFFLINE, SessionState.CLOSED));
        ALLOWED.put(SessionState.CONNECTED, EnumSet.of(SessionState.DEGRADED, SessionState.FAILING_OVER,
                SessionState.OFFLINE, SessionState.CLOSED));
        ALLOWED.put(SessionState.DEGRADED, EnumSet.of(SessionState.CONNECTED, SessionState.FAILING_OVER,
                SessionState.OFFLINE, SessionState.CLOSED));
        ALLOWED.put(SessionState.FAILING_OVER, EnumSet.of(SessionState.CONNECTED, SessionState.OFFLINE,
                SessionState.CLOSED));
        ALLOWED.put(SessionState.OFFLINE, EnumSet.of(SessionState.CONNECTED, SessionState.CLOSED));
        ALLOWED.put(SessionState.CLOSED, EnumSet.noneOf(SessionState.class));
    }

    private final String session;
    private final Scheduler clock;
    private final EventBus events;
    private SessionState state = SessionState.CONNECTING;
    private long sinceNanos;

    SessionStateMachine(String session, Scheduler clock, EventBus events) {
        this.session = session;
        this.clock = clock;
        this.events = events;
        this.sinceNanos = clock.nanoTime();
    }

    SessionState state() {
        return state;
    }

    /** Nanos of the scheduler clock when the current state began. */
    long sinceNanos() {
        return sinceNanos;
    }

    boolean is(SessionState s) {
        return state == s;
    }

    /** Moves to {@code to}; a move to the current state is ignored. */
    void move(SessionState to, String reason) {
        if (state == to) {
            return;
        }
        if (!ALLOWED.get(state).contains(to)) {
            throw new IllegalStateException("session " + session + ": " + state + " -> " + to + " is not allowed (" + reason + ")");
        }
        SessionState from = state;
        state = to;
        sinceNanos = clock.nanoTime();
        log.info("{} -> {} ({})", from, to, reason);
        events.publish(RelayEvent.StateChanged.class, () -> new RelayEvent.StateChanged(clock.now(), from, to, reason));
    }
}
