package io.solconnect.relay.examples.bench.throughput;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import org.glassfish.grizzly.threadpool.ThreadPoolConfig;
import org.glassfish.tyrus.client.ClientManager;
import org.glassfish.tyrus.client.ClientProperties;
import org.glassfish.tyrus.container.grizzly.client.GrizzlyClientProperties;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A careful plain Tyrus client (Grizzly container) speaking just enough {@code solconnect-sync}
 * for the baseline: a chat-path join, one {@code sync_update} per message and per frame (the frame
 * shape the engine writes for a single message), and parsing of every inbound frame with Jackson,
 * as the engine does. No outbox, dedup, ordering or failover. It uses the client setup of the
 * engine's {@code tyrus} transport ({@link #manager}) and asynchronous sends, like the engine.
 * Thread-safe (Tyrus' asynchronous remote accepts sends from any thread).
 */
public final class RawClient extends Endpoint implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Consumer<JsonNode> onFrame;
    private final AtomicLong failedSends = new AtomicLong();
    private Session session;

    private RawClient(Consumer<JsonNode> onFrame) {
        this.onFrame = onFrame;
    }

    /**
     * A client manager set up as the {@code tyrus} transport sets up its own (see its
     * {@code TyrusTransport.newManager}): a shared Grizzly container that outlives its last
     * connection by 10 s, {@code max(2, cores)} worker threads, no session idle timeout, an incoming
     * buffer of the message limit plus 64 KiB.
     *
     * @param maxMessageBytes the engine's {@code maxMessageBytes}
     * @return the manager; {@link ClientManager#shutdown()} it when done
     */
    static ClientManager manager(int maxMessageBytes) {
        ClientManager client = ClientManager.createClient();
        var p = client.getProperties();
        int workers = Math.max(2, Runtime.getRuntime().availableProcessors());
        p.put(ClientProperties.SHARED_CONTAINER, true);
        p.put(ClientProperties.SHARED_CONTAINER_IDLE_TIMEOUT, 10);
        p.put(GrizzlyClientProperties.WORKER_THREAD_POOL_CONFIG, ThreadPoolConfig.defaultConfig()
                .setCorePoolSize(workers).setMaxPoolSize(workers).setDaemon(true).setPoolName("raw-tyrus-worker"));
        client.setDefaultMaxSessionIdleTimeout(-1);
        p.put(ClientProperties.INCOMING_BUFFER_SIZE, maxMessageBytes + 64 * 1024);
        return client;
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

    /** Sends one frame asynchronously (the call returns before the write); a failed write is counted. */
    void send(String text) {
        session.getAsyncRemote().sendText(text, r -> {
            if (!r.isOK()) {
                failedSends.incrementAndGet();
            }
        });
    }

    /** Asynchronous writes that failed so far. */
    long failedSends() {
        return failedSends.get();
    }

    @Override
    public void close() throws IOException {
        session.close();
    }
}
