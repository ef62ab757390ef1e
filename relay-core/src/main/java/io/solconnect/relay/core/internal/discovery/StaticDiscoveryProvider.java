package io.solconnect.relay.core.internal.discovery;

import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.spi.DiscoveryProvider;
import io.solconnect.relay.api.spi.PluginContext;
import io.solconnect.relay.api.spi.RelayDiscovery;

import java.time.Duration;

/**
 * Provides the {@code static} discovery source ({@link StaticDiscovery}): the relays listed in the
 * configuration. Settings: {@code refresh} (duration, default 1 h) — how often the engine reads the
 * list again; it changes only when the configuration is replaced, and then the client asks at once.
 * Stateless and thread-safe.
 */
public final class StaticDiscoveryProvider implements DiscoveryProvider {

    /** The provider name. */
    public static final String NAME = "static";

    /** Default refresh period. */
    public static final Duration DEFAULT_REFRESH = Duration.ofHours(1);

    /** Creates the provider; does nothing else. */
    public StaticDiscoveryProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Result<RelayDiscovery> create(PluginContext context) {
        return context.durationSetting("refresh", DEFAULT_REFRESH)
                .map(refresh -> new StaticDiscovery(context.config().relays(), refresh));
    }
}
