package io.solconnect.relay.api.spi;

import io.solconnect.relay.api.RelayCandidate;

import java.util.List;
import java.util.Optional;

/**
 * Picks one relay. The engine calls it when it needs a primary or a standby, after a failure and
 * on rebalancing; it may be called from several threads at once, so implementations are
 * thread-safe. A pick must not block or do I/O.
 *
 * <p>The engine passes every eligible relay (not ejected, not already in use for this session)
 * with its health flag; a balancer should prefer healthy candidates and fall back to the others
 * when too few are healthy (panic mode), rather than return nothing.
 */
public interface LoadBalancer {

    /**
     * Picks a relay.
     *
     * @param candidates  the candidates, in no particular order; the list is not modified
     * @param affinityKey the session key for affinity (the room), or {@code ""} for none; with
     *                    {@code stickySession} on, equal keys must pick the same relay among the same
     *                    candidates on every client
     * @return the chosen candidate, or empty when the list is empty
     */
    Optional<RelayCandidate> pick(List<RelayCandidate> candidates, String affinityKey);

    /**
     * Whether the engine may ask again between a session's primary and its open standbys at each
     * health check, and move the primary to the pick, where moving costs nothing: when the relays
     * are one fleet (they share one log, so no session affinity applies). A strategy that ranks on
     * measured quality (RTT, load, errors) says yes, and a session it put on a relay that turned out
     * slow moves once the standby has been preferred at two checks in a row. A strategy whose picks
     * rotate or ignore measurements keeps the default, no, or its picks would move sessions at every
     * check. Thread-safe; must not block.
     *
     * @return true to be asked at health checks; false (the default) to be asked on (re)connects only
     */
    default boolean rebalances() {
        return false;
    }
}
