package io.solconnect.relay.api.spi;

import io.solconnect.relay.api.QualityMetrics;
import io.solconnect.relay.api.RelayEndpoint;

/**
 * Scores a relay's health from its metrics. Called by the engine on every health check, for every
 * known relay, from one thread at a time; must be fast, pure and non-blocking.
 */
public interface HealthScorer {

    /**
     * Scores a relay.
     *
     * @param endpoint the relay
     * @param metrics  its latest metrics; unknown values are empty and must not count as perfect
     * @return a score in [0, 1]: 1 is perfect, 0 unusable
     */
    double score(RelayEndpoint endpoint, QualityMetrics metrics);
}
