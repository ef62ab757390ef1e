package io.solconnect.relay.transport.tyrus;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.DeploymentException;
import org.glassfish.tyrus.client.ClientProperties;
import org.glassfish.tyrus.client.SslEngineConfigurator;
import org.glassfish.tyrus.container.grizzly.client.GrizzlyClientContainer;
import org.glassfish.tyrus.spi.ClientContainer;
import org.glassfish.tyrus.spi.ClientEngine;
import org.glassfish.tyrus.spi.CompletionHandler;
import org.glassfish.tyrus.spi.Connection;
import org.glassfish.tyrus.spi.UpgradeRequest;
import org.glassfish.tyrus.spi.UpgradeResponse;
import org.glassfish.tyrus.spi.Writer;
import org.glassfish.tyrus.spi.WriterInfo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * The Grizzly client container with one addition: it hands each connection its socket writer, so
 * that {@link TyrusConnection#abort()} can drop the TCP connection without writing a close frame
 * (Tyrus' public API always writes one). Not an API: public only because Tyrus instantiates the
 * container by class name; the package is exported to Tyrus alone. Thread-safe (stateless).
 */
public final class AbortableClientContainer implements ClientContainer {

    /** Key of the {@link TyrusConnection} in the {@link ClientEndpointConfig} user properties. */
    static final String CONNECTION_KEY = "io.solconnect.relay.transport.tyrus.connection";

    /**
     * Key of the relay's host name in the {@link ClientEndpointConfig} user properties: Tyrus is
     * given the checked address as host, and TLS must still send and verify the name.
     */
    static final String TLS_HOST_KEY = "io.solconnect.relay.transport.tyrus.tlsHost";

    private final GrizzlyClientContainer delegate = new GrizzlyClientContainer();

    /** Creates the container; called by Tyrus. */
    public AbortableClientContainer() {
    }

    /**
     * Opens the socket through the Grizzly container, watching the upgrade for the socket writer.
     *
     * @param cec          the endpoint configuration, holding the {@link TyrusConnection}
     * @param properties   the client properties
     * @param clientEngine Tyrus' engine for this connection
     * @throws DeploymentException when the connection cannot be opened
     * @throws IOException         on socket errors
     */
    @Override
    public void openClientSocket(ClientEndpointConfig cec, Map<String, Object> properties, ClientEngine clientEngine)
            throws DeploymentException, IOException {
        Object owner = cec.getUserProperties().get(CONNECTION_KEY);
        Map<String, Object> props = forTlsHost(properties, cec.getUserProperties().get(TLS_HOST_KEY));
        if (!(owner instanceof TyrusConnection conn)) {
            delegate.openClientSocket(cec, props, clientEngine);
            return;
        }
        delegate.openClientSocket(cec, props, new ClientEngine() {
            @Override
            public UpgradeRequest createUpgradeRequest(TimeoutHandler timeoutHandler) {
                return clientEngine.createUpgradeRequest(timeoutHandler);
            }

            @Override
            public ClientUpgradeInfo processResponse(UpgradeResponse response, Writer writer,
                                                     Connection.CloseListener closeListener) {
                AbortableWriter w = new AbortableWriter(writer);
                conn.attachWriter(w);
                return clientEngine.processResponse(response, w, closeListener);
            }

            @Override
            public void processError(Throwable t) {
                clientEngine.processError(t);
            }
        });
    }

    /**
     * For a TLS connection to a resolved address: a copy of the properties whose TLS configuration
     * creates engines for the relay's host name (SNI and host name verification against the name,
     * not the address Tyrus connects to).
     */
    private static Map<String, Object> forTlsHost(Map<String, Object> properties, Object tlsHost) {
        if (!(tlsHost instanceof String name)
                || !(properties.get(ClientProperties.SSL_ENGINE_CONFIGURATOR) instanceof SslEngineConfigurator ssl)) {
            return properties;
        }
        Map<String, Object> copy = new HashMap<>(properties);
        SslEngineConfigurator forName = new SslEngineConfigurator(new NamedPeerSslContext(ssl.getSslContext(), name),
                true, false, false);
        forName.setHostVerificationEnabled(true);
        copy.put(ClientProperties.SSL_ENGINE_CONFIGURATOR, forName);
        return copy;
    }

    /** A socket writer that can be cut off: after {@link #abort()} nothing more is written. */
    static final class AbortableWriter extends Writer {
        private final Writer socket;
        private volatile boolean aborted;

        AbortableWriter(Writer socket) {
            this.socket = socket;
        }

        @Override
        public void write(ByteBuffer buffer, CompletionHandler<ByteBuffer> handler) {
            if (aborted) {
                handler.failed(new IOException("connection aborted"));
                return;
            }
            socket.write(buffer, handler);
        }

        @Override
        public void write(ByteBuffer buffer, CompletionHandler<ByteBuffer> handler, WriterInfo info) {
            if (aborted) {
                handler.failed(new IOException("connection aborted"));
                return;
            }
            socket.write(buffer, handler, info);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }

        /** Stops all further writes and closes the socket (FIN after what is already queued). */
        void abort() throws IOException {
            aborted = true;
            socket.close();
        }
    }
}
