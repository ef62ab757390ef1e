package io.solconnect.relay.api.spi;

import io.solconnect.relay.api.Result;

/**
 * Builds the function that turns quality metrics into a health score. Built-in: {@code default}
 * (core). Selection rule in the {@code spi} package documentation.
 */
public interface HealthScorerProvider {

    /**
     * The stable lowercase name the configuration uses.
     *
     * @return e.g. {@code "default"}
     */
    String name();

    /**
     * Builds a scorer.
     *
     * @param context settings and configuration
     * @return the scorer or an {@link io.solconnect.relay.api.ErrorCode#INVALID_CONFIG} error
     */
    Result<HealthScorer> create(PluginContext context);
}
