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
    requires io.solconnect.relay.metrics.micrometer;
    requires micrometer.registry.prometheus;
    requires org.slf4j;
    requires ch.qos.logback.classic;
    requires jul.to.slf4j;
    requires java.logging;
    requires com.fasterxml.jackson.databind;
    requires info.picocli;
    // the relay server: Tyrus server on a Grizzly listener we bind ourselves
    requires org.glassfish.tyrus.server;
    requires org.glassfish.tyrus.core;
    requires org.glassfish.tyrus.spi;
    requires org.glassfish.tyrus.container.grizzly.server;
    requires org.glassfish.grizzly;
    requires org.glassfish.grizzly.http;
    requires org.glassfish.grizzly.http.server;
    requires jakarta.websocket;
    // the raw Tyrus client the throughput benchmark compares against
    requires org.glassfish.tyrus.client;
    requires org.glassfish.tyrus.container.grizzly.client;

    // JMH benchmarks of the load balancers; run on the class path, so only needed to compile.
    requires static jmh.core;
    requires static jdk.unsupported;

    exports io.solconnect.relay.examples;
    exports io.solconnect.relay.examples.plugin;
    exports io.solconnect.relay.examples.cli;
    // Tyrus calls server endpoint methods reflectively
    exports io.solconnect.relay.examples.server to org.glassfish.tyrus.core;
    exports io.solconnect.relay.examples.bench.throughput to org.glassfish.tyrus.core, org.glassfish.tyrus.client;
    opens io.solconnect.relay.examples.jmh.jmh_generated to jmh.core;
    // picocli fills the commands' annotated option fields reflectively
    opens io.solconnect.relay.examples to info.picocli;
    opens io.solconnect.relay.examples.cli to info.picocli;
    opens io.solconnect.relay.examples.commandline to info.picocli;
    opens io.solconnect.relay.examples.server to info.picocli;
    opens io.solconnect.relay.examples.demo to info.picocli;
    opens io.solconnect.relay.examples.bench.balancers to info.picocli;
    opens io.solconnect.relay.examples.bench.failover to info.picocli;
    opens io.solconnect.relay.examples.bench.throughput to info.picocli;

    uses io.solconnect.relay.examples.Command;
    uses io.solconnect.relay.examples.Benchmark;
    provides io.solconnect.relay.examples.Command with
            io.solconnect.relay.examples.cli.SendCommand,
            io.solconnect.relay.examples.cli.ReceiveCommand,
            io.solconnect.relay.examples.server.RelayServerCommand,
            io.solconnect.relay.examples.demo.DemoCommand;
    provides io.solconnect.relay.examples.Benchmark with
            io.solconnect.relay.examples.bench.balancers.BalancersBench,
            io.solconnect.relay.examples.bench.failover.FailoverBench,
            io.solconnect.relay.examples.bench.throughput.ThroughputBench;
    provides io.solconnect.relay.api.spi.LoadBalancerProvider
            with io.solconnect.relay.examples.plugin.LowestLatencyProvider;
}
