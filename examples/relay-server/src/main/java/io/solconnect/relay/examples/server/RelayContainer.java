package io.solconnect.relay.examples.server;

import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerEndpointConfig;
import org.glassfish.tyrus.core.TyrusWebSocketEngine;
import org.glassfish.tyrus.server.TyrusServerContainer;
import org.glassfish.tyrus.spi.WebSocketEngine;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Tyrus server container without its own HTTP server: {@link RelayServer} plugs its engine into a
 * Grizzly listener it binds itself (Tyrus' Grizzly container would bind 0.0.0.0).
 */
final class RelayContainer extends TyrusServerContainer {

    private final Map<String, Object> properties = new ConcurrentHashMap<>();
    private final TyrusWebSocketEngine engine;

    RelayContainer(int incomingBufferBytes) {
        super((Set<Class<?>>) null);
        engine = TyrusWebSocketEngine.builder(this).incomingBufferSize(incomingBufferBytes).build();
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
    public WebSocketEngine getWebSocketEngine() {
        return engine;
    }

    @Override
    public Map<String, Object> getProperties() {
        return properties;
    }
}
