package io.solconnect.relay.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One relay as the status snapshot shows it. Immutable and thread-safe.
 *
 * @param endpoint     the relay
 * @param role         primary, standby, candidate, ejected or draining
 * @param connected    whether a connection to it is open now
 * @param score        the latest health score in [0, 1]
 * @param metrics      the latest quality metrics
 * @param ejectedUntil when its ejection ends, if ejected
 * @param rttHistory   recent RTT EWMA values in ms, oldest first, one per health check (NaN where
 *                     unknown); at most a few hundred entries
 */
public record RelayStatus(RelayEndpoint endpoint, RelayRole role, boolean connected, double score,
                          QualityMetrics metrics, Optional<Instant> ejectedUntil, List<Double> rttHistory) {

    /**
     * Checks and copies the components.
     *
     * @param endpoint the relay
     * @param role primary, standby, candidate, ejected or draining
     * @param connected whether a connection to it is open now
     * @param score the latest health score in [0, 1]
     * @param metrics the latest quality metrics
     * @param ejectedUntil when its ejection ends, if ejected
     * @param rttHistory recent RTT EWMA values in ms, oldest first, one per health check (NaN where unknown); at most a few hundred entries
     */
    public RelayStatus {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(ejectedUntil, "ejectedUntil");
        rttHistory = List.copyOf(rttHistory);
    }
}
