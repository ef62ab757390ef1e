package io.solconnect.relay.transport.tyrus;

import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerEndpointConfig;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.ssl.SSLEngineConfigurator;
import org.glassfish.tyrus.container.grizzly.server.WebSocketAddOn;
import org.glassfish.tyrus.core.TyrusWebSocketEngine;
import org.glassfish.tyrus.server.TyrusServerContainer;
import org.glassfish.tyrus.spi.WebSocketEngine;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/** A real Tyrus server on 127.0.0.1 and an ephemeral port, for tests. */
final class TestServer implements AutoCloseable {

    private final HttpServer http;
    private final int port;

    private TestServer(HttpServer http, int port) {
        this.http = http;
        this.port = port;
    }

    static TestServer start(List<ServerEndpointConfig> endpoints, Optional<SSLContext> tls) throws IOException {
        Container container = new Container();
        for (ServerEndpointConfig e : endpoints) {
            try {
                container.register(e);
            } catch (DeploymentException ex) {
                throw new IOException(ex);
            }
        }
        HttpServer http = new HttpServer();
        NetworkListener listener = new NetworkListener("test", "127.0.0.1", 0);
        tls.ifPresent(ctx -> {
            listener.setSecure(true);
            listener.setSSLEngineConfig(new SSLEngineConfigurator(ctx, false, false, false));
        });
        listener.registerAddOn(new WebSocketAddOn(container, ""));
        http.addListener(listener);
        http.start();
        return new TestServer(http, listener.getPort());
    }

    int port() {
        return port;
    }

    @Override
    public void close() {
        http.shutdownNow();
    }

    private static final class Container extends TyrusServerContainer {
        private final java.util.Map<String, Object> properties = new java.util.concurrent.ConcurrentHashMap<>();
        private final TyrusWebSocketEngine engine = TyrusWebSocketEngine.builder(this).build();

        Container() {
            super((java.util.Set<Class<?>>) null);
        }

        @Override
        public void register(Class<?> endpointClass) throws DeploymentException {
            engine.register(endpointClass, "");
        }

        @Override
        public void register(ServerEndpointConfig config) throws DeploymentException {
            engine.register(config, "");
        }

        @Override
        public java.util.Map<String, Object> getProperties() {
            return properties;
        }

        @Override
        public WebSocketEngine getWebSocketEngine() {
            return engine;
        }
    }
}
