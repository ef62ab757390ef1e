package io.solconnect.relay.api;

/**
 * The state of a client session. Transitions: {@code CONNECTING → CONNECTED ⇄ DEGRADED →
 * FAILING_OVER → CONNECTED}; any open state {@code → OFFLINE} when no relay is reachable (sends
 * keep queueing, bounded) and back; any state {@code → CLOSED} on stop. Each transition is
 * published as a {@link RelayEvent.StateChanged} with its reason.
 */
public enum SessionState {
    /** Started, no primary connection yet. */
    CONNECTING,
    /** A primary connection is open and healthy. */
    CONNECTED,
    /** The primary is open but its quality is below the failover threshold or it missed pongs. */
    DEGRADED,
    /** Switching to another relay; sends are queued. */
    FAILING_OVER,
    /** No relay is reachable; sends queue up to the outbox bound; the pool is retried. */
    OFFLINE,
    /** Stopped; sends fail with {@link ErrorCode#CLOSED}. */
    CLOSED
}
