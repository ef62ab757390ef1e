package io.solconnect.relay.examples.bench.throughput;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import org.glassfish.tyrus.client.ClientManager;

import java.io.IOException;
import java.net.URI;
import java.util.function.Consumer;

/**
 * A plain Tyrus client (Grizzly container) speaking just enough {@code solconnect-sync} for the
 * baseline: a chat-path join, one {@code sync_update} per message (the frame shape the engine
 * writes), and parsing of every inbound frame with Jackson, as the engine does. No outbox, dedup,
 * ordering or failover. Sends are synchronous on the caller's thread.
 */
public final class RawClient extends Endpoint implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Consumer<JsonNode> onFrame;
    private Session session;

    private RawClient(Consumer<JsonNode> onFrame) {
        this.onFrame = onFrame;
    }

    /**
     * Connects.
     *
     * @param manager the shared client manager
     * @param uri     the relay
     * @param onFrame called with every parsed inbound frame, on a Tyrus thread
     * @return the connected client
     * @throws Exception when the connection fails
     */
    static RawClient connect(ClientManager manager, URI uri, Consumer<JsonNode> onFrame) throws Exception {
        RawClient c = new RawClient(onFrame);
        c.session = manager.connectToServer(c, ClientEndpointConfig.Builder.create().build(), uri);
        return c;
    }

    @Override
    public void onOpen(Session s, EndpointConfig config) {
        s.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> {
            try {
                onFrame.accept(JSON.readTree(text));
            } catch (IOException e) {
                throw new IllegalStateException("unparseable frame from the relay", e);
            }
        });
    }

    @Override
    public void onClose(Session s, CloseReason reason) {
        // nothing: the benchmark notices missing deliveries
    }

    void send(String text) throws IOException {
        session.getBasicRemote().sendText(text);
    }

    @Override
    public void close() throws IOException {
        session.close();
    }
}
