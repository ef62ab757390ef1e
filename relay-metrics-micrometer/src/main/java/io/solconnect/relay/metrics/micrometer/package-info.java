/**
 * {@link io.solconnect.relay.metrics.micrometer.RelayMetrics}: binds a relay client's counters,
 * gauges and failover timer to a Micrometer {@code MeterRegistry}.
 */
package io.solconnect.relay.metrics.micrometer;
