package io.solconnect.relay.examples.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.Scheduler;
import io.solconnect.relay.api.spi.CloseInfo;
import io.solconnect.relay.api.spi.ConnectionListener;
import io.solconnect.relay.api.spi.PluginContext;
import io.solconnect.relay.api.spi.RelayConnection;
import io.solconnect.relay.api.spi.Transport;
import io.solconnect.relay.api.spi.TransportProvider;
import io.solconnect.relay.core.ProviderRegistry;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** A client for the relay tests, on the project's own {@code tyrus} transport. */
final class TestClient implements ConnectionListener, AutoCloseable {

    static final long WAIT = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One transport for all clients of a test class, on a real-time scheduler. */
    static final class Factory implements AutoCloseable {
        private final ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor();
        private final Transport transport;

        Factory() {
            Scheduler scheduler = new Scheduler() {
                @Override
                public Instant now() {
                    return Instant.now();
                }

                @Override
                public long nanoTime() {
                    return System.nanoTime();
                }

                @Override
                public Cancellable schedule(Duration delay, Runnable task) {
                    var f = exec.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
                    return () -> f.cancel(false);
                }

                @Override
                public void execute(Runnable task) {
                    exec.execute(task);
                }
            };
            RelayConfig config = RelayConfig.custom().addRelay("ws://127.0.0.1:9/")
                    .connectTimeout(Duration.ofSeconds(2)).build();
            TransportProvider p = ProviderRegistry.load().select(TransportProvider.class, "tyrus").orElseThrow();
            transport = p.create(new PluginContext("tyrus", Map.of(), config, scheduler, e -> { })).orElseThrow();
        }

        Result<RelayConnection> tryConnect(URI uri, TestClient c) throws Exception {
            return transport.connect(RelayEndpoint.of(uri.toString()), c).toCompletableFuture().get(WAIT, TimeUnit.SECONDS);
        }

        TestClient connect(URI uri) throws Exception {
            TestClient c = new TestClient();
            Result<RelayConnection> r = tryConnect(uri, c);
            c.conn = r.orElseThrow();
            return c;
        }

        @Override
        public void close() {
            transport.close();
            exec.shutdownNow();
        }
    }

    final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    final BlockingQueue<Duration> pongs = new LinkedBlockingQueue<>();
    final CompletableFuture<CloseInfo> closed = new CompletableFuture<>();
    RelayConnection conn;

    void send(String json) throws Exception {
        Result<Result.Done> r = conn.send(json).toCompletableFuture().get(WAIT, TimeUnit.SECONDS);
        if (!r.isOk()) {
            throw new IOException("send failed: " + r);
        }
    }

    JsonNode next() throws InterruptedException {
        JsonNode n = frames.poll(WAIT, TimeUnit.SECONDS);
        if (n == null) {
            throw new AssertionError("no frame within " + WAIT + " s");
        }
        return n;
    }

    @Override
    public void onText(String frame) {
        try {
            frames.add(JSON.readTree(frame));
        } catch (IOException e) {
            frames.add(JSON.createObjectNode().put("unparseable", frame));
        }
    }

    @Override
    public void onPong(Duration rtt) {
        pongs.add(rtt);
    }

    @Override
    public void onClosed(CloseInfo close) {
        closed.complete(close);
    }

    @Override
    public void close() {
        if (conn != null) {
            conn.close(1000, "test done");
        }
    }
}
