package io.solconnect.relay.core.internal.health;

import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.spi.HealthScorer;
import io.solconnect.relay.api.spi.HealthScorerProvider;
import io.solconnect.relay.api.spi.PluginContext;

/**
 * Provides the {@code default} health scorer; its formula is documented on the scorer
 * ({@code score = 0.4 latency + 0.3 errors + 0.2 stability + 0.1 load}, unknown factors 0.5). No
 * settings. Stateless and thread-safe.
 */
public final class DefaultHealthScorerProvider implements HealthScorerProvider {

    /** The provider name. */
    public static final String NAME = "default";

    /** Creates the provider (no I/O). */
    public DefaultHealthScorerProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Result<HealthScorer> create(PluginContext context) {
        return Result.ok(new DefaultHealthScorer());
    }
}
