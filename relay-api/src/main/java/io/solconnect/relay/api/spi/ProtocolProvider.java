package io.solconnect.relay.api.spi;

import io.solconnect.relay.api.Result;

/**
 * Builds a wire-protocol codec. Built-in (core): {@code solconnect-sync} (the default) and
 * {@code solconnect-legacy}. Selection rule in the {@code spi} package documentation.
 */
public interface ProtocolProvider {

    /**
     * The stable lowercase name the configuration uses.
     *
     * @return e.g. {@code "solconnect-sync"}
     */
    String name();

    /**
     * Builds a codec.
     *
     * @param context settings and configuration (max message size)
     * @return the codec or an {@link io.solconnect.relay.api.ErrorCode#INVALID_CONFIG} error
     */
    Result<RelayProtocol> create(PluginContext context);
}
