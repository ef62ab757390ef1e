/**
 * The SolConnect Relay engine: provider registry, configuration loading, relay pool, connection
 * monitor, health scoring, failover state machine, outbox and dedup, event bus, the built-in
 * stores and the SolConnect wire protocols.
 *
 * <p>Exports only {@code io.solconnect.relay.core}; everything under {@code internal} is private.
 */
module io.solconnect.relay.core {
    requires transitive io.solconnect.relay.api;
    requires com.fasterxml.jackson.databind;
    requires com.github.benmanes.caffeine;
    requires org.slf4j;
    requires HdrHistogram;

    exports io.solconnect.relay.core;

    uses io.solconnect.relay.api.spi.DiscoveryProvider;
    uses io.solconnect.relay.api.spi.HealthScorerProvider;
    uses io.solconnect.relay.api.spi.LoadBalancerProvider;
    uses io.solconnect.relay.api.spi.TransportProvider;
    uses io.solconnect.relay.api.spi.ProtocolProvider;
    uses io.solconnect.relay.api.spi.StoreProvider;

    // engine providers (health scoring, SolConnect protocols)
    provides io.solconnect.relay.api.spi.HealthScorerProvider
            with io.solconnect.relay.core.internal.health.DefaultHealthScorerProvider;
    provides io.solconnect.relay.api.spi.ProtocolProvider
            with io.solconnect.relay.core.internal.protocol.SyncProtocolProvider,
                 io.solconnect.relay.core.internal.protocol.LegacyProtocolProvider;

    provides io.solconnect.relay.api.spi.DiscoveryProvider
            with io.solconnect.relay.core.internal.discovery.StaticDiscoveryProvider;
    provides io.solconnect.relay.api.spi.StoreProvider
            with io.solconnect.relay.core.internal.store.FileStoreProvider,
                 io.solconnect.relay.core.internal.store.MemoryStoreProvider;
}
