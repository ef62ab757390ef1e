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
    // JMH benchmarks of the load balancers; run on the class path, so only needed to compile.
    requires static jmh.core;
    requires static jdk.unsupported;

    exports io.solconnect.relay.examples;
    opens io.solconnect.relay.examples.jmh.jmh_generated to jmh.core;
}
