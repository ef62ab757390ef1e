/**
 * {@code ./relay demo}: three local relays, a sender and a receiver, relays killed while messages
 * flow, with the status page and Prometheus meters of the receiving client; {@code ./relay fleet}:
 * the same on a relay fleet sharing a 3-node NATS JetStream cluster.
 */
module io.solconnect.relay.examples.demo {
    requires io.solconnect.relay.examples;
    requires io.solconnect.relay.examples.cli;
    requires io.solconnect.relay.examples.server;
    // the failover benchmark's rig: local relays and two clients with a steady stream
    requires io.solconnect.relay.examples.bench;
    requires io.solconnect.relay.api;
    requires io.solconnect.relay.core;
    requires io.solconnect.relay.ui.web;
    requires io.solconnect.relay.metrics.micrometer;
    requires micrometer.registry.prometheus;
    requires info.picocli;

    // picocli fills the command's annotated option fields reflectively
    opens io.solconnect.relay.examples.demo to info.picocli;

    provides io.solconnect.relay.examples.Command with io.solconnect.relay.examples.demo.DemoCommand,
            io.solconnect.relay.examples.demo.FleetCommand;
}
