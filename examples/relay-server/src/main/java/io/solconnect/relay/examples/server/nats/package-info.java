/**
 * Real {@code nats-server} processes with JetStream on loopback, for the fleet tests, the fleet
 * demo and the benchmarks: {@link io.solconnect.relay.examples.server.nats.NatsServerProcess} (one
 * node) and {@link io.solconnect.relay.examples.server.nats.NatsCluster} (three routed nodes).
 * They run Debian's {@code nats-server} package (2.9.x), which {@code ./relay-test} installs.
 */
package io.solconnect.relay.examples.server.nats;
