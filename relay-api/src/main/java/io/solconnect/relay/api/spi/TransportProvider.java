package io.solconnect.relay.api.spi;

import io.solconnect.relay.api.Result;

/**
 * Builds a WebSocket transport. Built-in: {@code tyrus} (module
 * {@code io.solconnect.relay.transport.tyrus}). Selection rule in the {@code spi} package
 * documentation.
 */
public interface TransportProvider {

    /**
     * The stable lowercase name the configuration uses.
     *
     * @return e.g. {@code "tyrus"}
     */
    String name();

    /**
     * Builds a transport. One transport serves every connection of a client and shares its
     * threads among them.
     *
     * @param context settings, configuration (connect timeout, max message size) and scheduler
     * @return the transport or an {@link io.solconnect.relay.api.ErrorCode#INVALID_CONFIG} error
     */
    Result<Transport> create(PluginContext context);
}
