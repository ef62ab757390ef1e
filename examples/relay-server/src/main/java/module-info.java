/**
 * The reference SolConnect-compatible relay server with fault injection:
 * {@link io.solconnect.relay.examples.server.RelayServer} (Java API, used by the demo, the
 * benchmarks and the end-to-end tests) and {@code ./relay relay-server}.
 */
module io.solconnect.relay.examples.server {
    requires io.solconnect.relay.examples;
    requires info.picocli;
    requires org.slf4j;
    requires com.fasterxml.jackson.databind;
    // Tyrus server on a Grizzly listener we bind ourselves
    requires org.glassfish.tyrus.server;
    requires org.glassfish.tyrus.core;
    requires org.glassfish.tyrus.spi;
    requires org.glassfish.tyrus.container.grizzly.server;
    requires org.glassfish.grizzly;
    requires org.glassfish.grizzly.http;
    requires org.glassfish.grizzly.http.server;
    requires jakarta.websocket;
    // the fleet backplane: NATS JetStream (an automatic module)
    requires io.nats.jnats;

    // RelayServer for the demo, benchmarks and tests; Tyrus calls the endpoint reflectively
    exports io.solconnect.relay.examples.server;
    // relays in their own network namespaces, for kernel-made faults (tests and bench failover)
    exports io.solconnect.relay.examples.server.netns;
    // nats-server processes (one node or a cluster) for the fleet tests, demo and benchmarks
    exports io.solconnect.relay.examples.server.nats;
    // picocli fills the command's annotated option fields reflectively
    opens io.solconnect.relay.examples.server to info.picocli;

    provides io.solconnect.relay.examples.Command with io.solconnect.relay.examples.server.RelayServerCommand;
}
