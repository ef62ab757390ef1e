package io.solconnect.relay.ui.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import io.solconnect.relay.api.ClientStatus;
import io.solconnect.relay.api.Delivery;
import io.solconnect.relay.api.InboundMessage;
import io.solconnect.relay.api.RelayClient;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.Subscription;
import io.solconnect.relay.ui.web.HttpIo.Refusal;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Fuzzes the settings API of the status page with any request body: {@code PUT /api/settings}
 * (a partial configuration), {@code POST /api/relays} (one relay) and the relay named by
 * {@code DELETE /api/relays?url=}. The body goes through the server's own reading
 * ({@link HttpIo#readJsonObject}, 64 KiB limit) into {@link SettingsApi}. The contract: a new
 * configuration or a {@link Refusal} with a 4xx status and a message, never another exception;
 * and the page's view of whatever configuration results can be written.
 *
 * <p>The first input byte picks the request, the rest is the body (or the url parameter).
 */
class SettingsApiFuzzTest {

    private static final int LIMIT = StatusServerOptions.DEFAULT_MAX_REQUEST_BYTES;
    private static final Set<Integer> REFUSALS = Set.of(400, 404, 409, 413, 415, 422);

    @FuzzTest
    @DictionaryEntries({"\"relays\"", "\"url\"", "\"region\"", "\"priority\"", "\"maxConnections\"", "\"weight\"", "\"tags\"", "\"sender\"", "\"selection\"", "\"strategy\"", "\"algorithm\"", "\"stickySession\"", "\"healthWeight\"", "\"weights\"", "\"settings\"", "\"failoverThreshold\"", "\"healthCheckInterval\"", "\"liveness\"", "\"pingInterval\"", "\"idlePingInterval\"", "\"pingTimeout\"", "\"connectTimeout\"", "\"failover\"", "\"standbyCount\"", "\"maxRetries\"", "\"backoffInitial\"", "\"backoffMax\"", "\"stablePeriod\"", "\"ejectionTime\"", "\"outbox\"", "\"maxMessages\"", "\"maxBytes\"", "\"maxMessageBytes\"", "\"dedup\"", "\"window\"", "\"maxEntries\"", "\"security\"", "\"allowedSchemes\"", "\"allowPrivateAddresses\"", "\"plugins\"", "\"discovery\"", "\"protocol\"", "\"transport\"", "\"store\"", "\"healthScorer\"", "\"name\"", "\"static\"", "\"dns\"", "\"file\"", "\"memory\"", "\"wss://a.example.org/\"", "\"ws\"", "\"wss\"", "\"250ms\"", "\"2s\"", "\"5m\"", "\"PT0.25S\""})
    void request(byte[] input) throws IOException {
        if (input.length == 0) {
            return;
        }
        byte[] body = Arrays.copyOfRange(input, 1, input.length);
        Client client = new Client();
        SettingsApi api = new SettingsApi(client);
        RelayConfig before = client.config();
        RelayConfig after;
        try {
            after = switch (Math.floorMod(input[0], 3)) {
                case 0 -> api.update(HttpIo.readJsonObject(new Exchange(body), LIMIT));
                case 1 -> api.addRelay(HttpIo.readJsonObject(new Exchange(body), LIMIT));
                default -> api.removeRelay(new String(body, StandardCharsets.UTF_8));
            };
        } catch (Refusal r) {
            assertTrue(REFUSALS.contains(r.status), () -> "status " + r.status + ": " + r.getMessage());
            assertNotNull(r.getMessage());
            assertFalse(r.getMessage().isBlank());
            assertEquals(before, client.config(), "a refused request changed the configuration");
            return;
        }
        assertNotNull(after);
        assertEquals(after, client.config());
        assertNotNull(SettingsApi.view(after, false));
    }

    /** The request as the status server's handler sees it: a JSON body, nothing else. */
    private static final class Exchange extends HttpExchange {
        private final Headers request = new Headers();
        private final Headers response = new Headers();
        private final InputStream body;

        Exchange(byte[] body) {
            this.body = new ByteArrayInputStream(body);
            request.set("Content-Type", "application/json");
            request.set("Content-Length", Integer.toString(body.length));
        }

        @Override public Headers getRequestHeaders() { return request; }
        @Override public Headers getResponseHeaders() { return response; }
        @Override public URI getRequestURI() { return URI.create("/api/settings"); }
        @Override public String getRequestMethod() { return "PUT"; }
        @Override public HttpContext getHttpContext() { throw new UnsupportedOperationException(); }
        @Override public void close() { }
        @Override public InputStream getRequestBody() { return body; }
        @Override public OutputStream getResponseBody() { return new ByteArrayOutputStream(); }
        @Override public void sendResponseHeaders(int code, long length) { throw new UnsupportedOperationException(); }
        @Override public InetSocketAddress getRemoteAddress() { return new InetSocketAddress("127.0.0.1", 40000); }
        @Override public int getResponseCode() { return -1; }
        @Override public InetSocketAddress getLocalAddress() { return new InetSocketAddress("127.0.0.1", 8080); }
        @Override public String getProtocol() { return "HTTP/1.1"; }
        @Override public Object getAttribute(String name) { return null; }
        @Override public void setAttribute(String name, Object value) { }
        @Override public void setStreams(InputStream in, OutputStream out) { throw new UnsupportedOperationException(); }
        @Override public HttpPrincipal getPrincipal() { return null; }
    }

    /**
     * The engine behind the API: holds a configuration of two relays and accepts every
     * {@code reconfigure} (the engine's own checks are not under test here). Single-threaded.
     */
    private static final class Client implements RelayClient {
        private RelayConfig config = RelayConfig.custom()
                .addRelay("wss://a.example.org/ws")
                .addRelay(RelayEndpoint.builder("wss://b.example.org/").region("eu-west").build())
                .build();

        @Override public RelayConfig config() { return config; }

        @Override
        public Result<Result.Done> reconfigure(RelayConfig next) {
            config = next;
            return Result.ok();
        }

        @Override public Result<Result.Done> start() { throw new UnsupportedOperationException(); }
        @Override public void stop() { }
        @Override public CompletionStage<Result<Delivery>> send(String room, String payload) { throw new UnsupportedOperationException(); }
        @Override public Result<Result.Done> join(String room) { throw new UnsupportedOperationException(); }
        @Override public Subscription onMessage(Consumer<InboundMessage> listener) { throw new UnsupportedOperationException(); }
        @Override public <E extends RelayEvent> Subscription subscribe(Class<E> type, Consumer<? super E> listener) { throw new UnsupportedOperationException(); }
        @Override public ClientStatus status() { throw new UnsupportedOperationException(); }
    }
}
