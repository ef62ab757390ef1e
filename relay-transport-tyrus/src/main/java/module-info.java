/**
 * The {@code tyrus} WebSocket transport: {@link io.solconnect.relay.api.spi.TransportProvider} on the
 * Eclipse Tyrus client with its Grizzly client container. Nothing is exported; the provider is found
 * with {@link java.util.ServiceLoader}.
 */
module io.solconnect.relay.transport.tyrus {
    requires io.solconnect.relay.api;
    requires org.glassfish.tyrus.client;
    requires org.glassfish.tyrus.core;
    requires org.glassfish.tyrus.spi;
    requires org.glassfish.tyrus.container.grizzly.client;
    requires org.glassfish.grizzly;
    requires jakarta.websocket.client;
    requires org.slf4j;

    // Tyrus instantiates the client container by class name and calls the endpoint reflectively.
    exports io.solconnect.relay.transport.tyrus to org.glassfish.tyrus.core, org.glassfish.tyrus.client;

    provides io.solconnect.relay.api.spi.TransportProvider
            with io.solconnect.relay.transport.tyrus.TyrusTransportProvider;
}
