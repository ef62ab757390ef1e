/**
 * The SolConnect Relay API: the configuration and message model, {@link io.solconnect.relay.api.Result},
 * the {@link io.solconnect.relay.api.RelayEvent} hierarchy, the {@link io.solconnect.relay.api.RelayClient}
 * contract and the service-provider interfaces in {@code io.solconnect.relay.api.spi}.
 *
 * <p>This module depends on nothing outside the JDK. Plugin modules depend on it alone and
 * {@code provides} one of the SPIs; the core engine {@code uses} them all.
 */
module io.solconnect.relay.api {
    exports io.solconnect.relay.api;
    exports io.solconnect.relay.api.spi;
}
