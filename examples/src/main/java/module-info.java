/**
 * The runnable side of SolConnect Relay: the {@code ./relay} launcher and its subcommands (the
 * demo, a SolConnect-compatible relay server, command-line send and receive, benchmarks).
 */
module io.solconnect.relay.examples {
    requires io.solconnect.relay.api;
    requires io.solconnect.relay.core;
    requires io.solconnect.relay.discovery.dns;
    requires io.solconnect.relay.discovery.bootstrap;
    requires io.solconnect.relay.balancers;
    requires io.solconnect.relay.transport.tyrus;
    requires io.solconnect.relay.ui.web;
    requires org.slf4j;
    requires ch.qos.logback.classic;
    requires jul.to.slf4j;
    requires java.logging;

    exports io.solconnect.relay.examples;
    exports io.solconnect.relay.examples.plugin;

    provides io.solconnect.relay.api.spi.LoadBalancerProvider
            with io.solconnect.relay.examples.plugin.LowestLatencyProvider;
}
