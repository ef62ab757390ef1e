package io.solconnect.relay.api.spi;

import io.solconnect.relay.api.Result;

/**
 * Builds the store for configuration, connection history, known-good discovery results and the
 * durable outbox. Built-in (core): {@code file} (the default; settings {@code application}, giving
 * the directory {@code ~/.solconnect-relay/<application>}, or {@code directory}) and {@code memory}.
 * Selection rule in the {@code spi} package documentation.
 */
public interface StoreProvider {

    /**
     * The stable lowercase name the configuration uses.
     *
     * @return e.g. {@code "file"}
     */
    String name();

    /**
     * Builds a store. May create its directory and lock it (so that a second client on it fails
     * here with {@link io.solconnect.relay.api.ErrorCode#STORE_LOCKED}); must not start threads.
     * The store's {@code close} releases what this took.
     *
     * @param context settings and configuration
     * @return the store or an {@link io.solconnect.relay.api.ErrorCode#INVALID_CONFIG} /
     *         {@link io.solconnect.relay.api.ErrorCode#IO} / {@link io.solconnect.relay.api.ErrorCode#STORE_LOCKED} error
     */
    Result<RelayStore> create(PluginContext context);
}
