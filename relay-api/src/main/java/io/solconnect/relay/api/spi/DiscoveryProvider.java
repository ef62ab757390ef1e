package io.solconnect.relay.api.spi;

import io.solconnect.relay.api.Result;

/**
 * Finds relays: a static list, DNS, a bootstrap server. Built-in names: {@code static} (core),
 * {@code dns}, {@code bootstrap}.
 *
 * <p>Providers are stateless and cheap; the engine calls {@link #create} once per configured
 * source when a client starts. The selection rule is in the {@code spi} package documentation.
 */
public interface DiscoveryProvider {

    /**
     * The stable lowercase name the configuration uses.
     *
     * @return e.g. {@code "dns"}
     */
    String name();

    /**
     * Builds a discovery source from its settings. Must not do I/O: the first lookup happens in
     * {@link RelayDiscovery#discover()}.
     *
     * @param context settings, configuration, scheduler and event sink
     * @return the source, or an {@link io.solconnect.relay.api.ErrorCode#INVALID_CONFIG} error
     *         naming the bad setting
     */
    Result<RelayDiscovery> create(PluginContext context);
}
