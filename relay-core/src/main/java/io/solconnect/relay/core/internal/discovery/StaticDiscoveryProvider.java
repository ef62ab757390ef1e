package io.solconnect.relay.core.internal.discovery;

import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.spi.DiscoveryProvider;
import io.solconnect.relay.api.spi.DiscoveryResult;
import io.solconnect.relay.api.spi.PluginContext;
import io.solconnect.relay.api.spi.RelayDiscovery;

import java.time.Duration;
import java.util.List;

/**
 * The {@code static} discovery source: the relays listed in the configuration. Settings:
 * {@code refresh} (duration, default 1 h) — how often the engine asks again; the list only
 * changes when the configuration is replaced. Stateless and thread-safe.
 */
public final class StaticDiscoveryProvider implements DiscoveryProvider {

    /** Default refresh period. */
    static final Duration DEFAULT_REFRESH = Duration.ofHours(1);

    /** Creates the provider; does nothing else. */
    public StaticDiscoveryProvider() {
    }

    @Override
    public String name() {
        return "static";
    }

    @Override
    public Result<RelayDiscovery> create(PluginContext context) {
        return context.durationSetting("refresh", DEFAULT_REFRESH).map(refresh -> new StaticDiscovery(context, refresh));
    }

    private record StaticDiscovery(PluginContext context, Duration refresh) implements RelayDiscovery {
        @Override
        public Result<DiscoveryResult> discover() {
            return Result.ok(new DiscoveryResult(context.config().relays(), refresh, List.of()));
        }

        @Override
        public void close() {
            // nothing held
        }
    }
}
