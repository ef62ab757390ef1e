package io.solconnect.relay.api;

import java.time.Duration;
import java.util.Objects;

/**
 * A relay offered to a load balancer: its endpoint, health score and metrics. Immutable and
 * thread-safe.
 *
 * @param endpoint   the relay
 * @param score      health score in [0, 1] from the configured health scorer
 * @param healthy    whether the engine considers it healthy (score at or above the failover
 *                   threshold, not ejected)
 * @param healthyFor how long it has been healthy without interruption (for slow start); zero when
 *                   unhealthy
 * @param metrics    its latest quality metrics
 */
public record RelayCandidate(RelayEndpoint endpoint, double score, boolean healthy, Duration healthyFor,
                             QualityMetrics metrics) {

    /**
     * Validates the components.
     *
     * @param endpoint the relay
     * @param score health score in [0, 1] from the configured health scorer
     * @param healthy whether the engine considers it healthy (score at or above the failover threshold, not ejected)
     * @param healthyFor how long it has been healthy without interruption (for slow start); zero when unhealthy
     * @param metrics its latest quality metrics
     * @throws IllegalArgumentException if the score is outside [0, 1]
     */
    public RelayCandidate {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(healthyFor, "healthyFor");
        Objects.requireNonNull(metrics, "metrics");
        if (!(score >= 0 && score <= 1)) {
            throw new IllegalArgumentException("score must be in [0, 1], was " + score);
        }
    }

    /**
     * The relay id, i.e. {@code endpoint().id()}.
     *
     * @return the id
     */
    public String id() {
        return endpoint.id();
    }
}
