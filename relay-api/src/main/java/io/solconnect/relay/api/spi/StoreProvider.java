package io.solconnect.relay.api.spi;

import io.solconnect.relay.api.Result;

/**
 * Builds the store for configuration, connection history, known-good discovery results and the
 * durable outbox. Built-in (core): {@code file} (the default; setting {@code directory}, default
 * {@code ~/.solconnect-relay}) and {@code memory}. Selection rule in the {@code spi} package
 * documentation.
 */
public interface StoreProvider {

    /**
     * The stable lowercase name the configuration uses.
     *
     * @return e.g. {@code "file"}
     */
    String name();

    /**
     * Builds a store. May create its directory but must not hold locks or threads before use.
     *
     * @param context settings and configuration
     * @return the store or an {@link io.solconnect.relay.api.ErrorCode#INVALID_CONFIG} /
     *         {@link io.solconnect.relay.api.ErrorCode#IO} error
     */
    Result<RelayStore> create(PluginContext context);
}
