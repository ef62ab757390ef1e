/**
 * Micrometer metrics for a SolConnect Relay client: {@link io.solconnect.relay.metrics.micrometer.RelayMetrics},
 * a {@code MeterBinder} over the public {@link io.solconnect.relay.api.RelayClient} API.
 *
 * <p>Depends on {@code relay-api} and {@code micrometer-core} only (an automatic module named
 * {@code micrometer.core}); pick a registry (Prometheus, JMX, ...) in the application.
 */
module io.solconnect.relay.metrics.micrometer {
    requires transitive io.solconnect.relay.api;
    requires transitive micrometer.core;

    exports io.solconnect.relay.metrics.micrometer;
}
