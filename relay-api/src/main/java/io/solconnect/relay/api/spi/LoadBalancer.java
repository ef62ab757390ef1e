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
}
