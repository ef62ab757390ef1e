package io.solconnect.relay.ui.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.Result;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The status server over real loopback HTTP, with hostile requests. */
class StatusServerHttpTest {

    private static final String A = "ws://127.0.0.1:7001/";
    private static final String B = "ws://127.0.0.1:7002/";

    private FakeRelayClient client;
    private StatusServer server;
    private RawHttp http;
    private String origin;

    @BeforeEach
    void start() {
        client = new FakeRelayClient(A, B);
        start(StatusServerOptions.ofDefaults());
    }

    private void start(StatusServerOptions options) {
        if (server != null) {
            server.close();
        }
        server = StatusServer.start(client, options).orElseThrow();
        http = new RawHttp(server.url().getPort());
        origin = "http://127.0.0.1:" + server.url().getPort();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static JsonNode json(RawHttp.Response r) throws IOException {
        return HttpIo.JSON.readTree(r.body());
    }

    @Test
    void statusIsServedAsJsonWithSecurityHeaders() throws IOException {
        RawHttp.Response r = http.request("GET", "/api/status").send();

        assertEquals(200, r.status());
        assertEquals("application/json; charset=utf-8", r.header("Content-Type"));
        assertEquals("nosniff", r.header("X-Content-Type-Options"));
        assertTrue(r.header("Content-Security-Policy").startsWith("default-src 'self'"));
        JsonNode status = json(r);
        assertEquals("CONNECTED", status.get("state").asText());
        assertEquals(A, status.get("primary").asText());
        assertEquals(2, status.get("relays").size());
        JsonNode relay = status.get("relays").get(0);
        assertEquals("PRIMARY", relay.get("role").asText());
        assertEquals("eu-west", relay.get("region").asText());
        assertEquals(10.0, relay.get("metrics").get("rttMillis").asDouble());
        assertTrue(relay.get("rttHistory").get(3).isNull(), "NaN RTT becomes null");
        assertEquals(1000, status.get("healthCheckIntervalMillis").asLong());
    }

    @Test
    void relaysFailoversAndSettingsHaveTheirOwnEndpoints() throws IOException {
        client.failover(B, "primary closed 1006");

        JsonNode relays = json(http.request("GET", "/api/relays").send());
        JsonNode failovers = json(http.request("GET", "/api/failovers").send());
        JsonNode settings = json(http.request("GET", "/api/settings").send());

        assertEquals(2, relays.get("relays").size());
        JsonNode f = failovers.get("failovers").get(0);
        assertEquals(A, f.get("from").asText());
        assertEquals(B, f.get("to").asText());
        assertEquals("primary closed 1006", f.get("reason").asText());
        assertEquals(37.0, f.get("durationMillis").asDouble());
        assertEquals(4, f.get("replayed").asInt());
        JsonNode config = settings.get("config");
        assertEquals("p2c-ewma", config.get("selection").get("strategy").get("algorithm").asText());
        assertEquals("150ms", config.get("liveness").get("pingInterval").asText());
        assertEquals(A, config.get("relays").get(0).get("url").asText());
        assertTrue(config.has("outbox") && config.has("plugins"), "the whole configuration, in the config file's form");
        assertFalse(settings.get("readOnly").asBoolean());
    }

    @Test
    void pagesAndAssetsAreServedFromTheJar() throws IOException {
        RawHttp.Response index = http.request("GET", "/").send();
        RawHttp.Response settings = http.request("GET", "/settings").send();
        RawHttp.Response uplot = http.request("GET", "/assets/uPlot.iife.min.js").send();

        assertEquals(200, index.status());
        assertEquals("text/html; charset=utf-8", index.header("Content-Type"));
        assertTrue(index.body().contains("id=\"relay-table\""));
        assertFalse(index.body().contains("<script>"), "no inline scripts: the CSP forbids them");
        assertFalse(index.body().contains("style="), "no inline styles: the CSP forbids them");
        assertTrue(settings.body().contains("id=\"add-relay-form\""));
        assertEquals(200, uplot.status());
        assertTrue(uplot.body().contains("uPlot"));
        assertTrue(uplot.header("Content-Type").startsWith("text/javascript"));
    }

    @Test
    void wrongHostIsRefused() throws IOException {
        int port = server.url().getPort();
        assertEquals(403, http.request("GET", "/api/status").header("Host", "evil.example:" + port).send().status());
        assertEquals(403, http.request("GET", "/").header("Host", "evil.example").send().status());
        assertEquals(403, http.request("GET", "/").header("Host", "127.0.0.1:" + (port + 1)).send().status());
        assertEquals(403, http.request("GET", "/").header("Host", "127.0.0.1").send().status());
        assertEquals(403, http.request("GET", "/").noHeader("Host").send().status());
        RawHttp.Response refused = http.request("PUT", "/api/settings").header("Host", "rebind.example:" + port)
                .header(RequestPolicy.TOKEN_HEADER, server.token()).json("{\"selection\":{\"failoverThreshold\":0.5}}").send();
        assertEquals(403, refused.status());
        assertEquals(0, client.reconfigureCalls());

        assertEquals(200, http.request("GET", "/").header("Host", "localhost:" + port).send().status());
        assertEquals(200, http.request("GET", "/").header("Host", "LOCALHOST:" + port).send().status());
    }

    @Test
    void extraAllowedHostIsAccepted() throws IOException {
        start(StatusServerOptions.builder().allowedHosts(Set.of("Relay-Box.lan")).build());
        int port = server.url().getPort();
        assertEquals(200, http.request("GET", "/").header("Host", "relay-box.lan:" + port).send().status());
        assertEquals(403, http.request("GET", "/").header("Host", "other.lan:" + port).send().status());
    }

    @Test
    void foreignOriginIsRefused() throws IOException {
        String body = "{\"failoverThreshold\":0.5}";
        for (String bad : List.of("http://evil.example", "null", origin + ".evil.example", "https://127.0.0.1:"
                + server.url().getPort(), "http://127.0.0.1:" + (server.url().getPort() + 1))) {
            RawHttp.Response r = http.request("PUT", "/api/settings").header("Origin", bad)
                    .header(RequestPolicy.TOKEN_HEADER, server.token()).json(body).send();
            assertEquals(403, r.status(), bad);
            assertEquals("forbidden", json(r).get("error").get("code").asText());
        }
        assertEquals(403, http.request("GET", "/api/events").header("Origin", "http://evil.example").send().status());
        assertEquals(0, client.reconfigureCalls());

        RawHttp.Response same = http.request("PUT", "/api/settings").header("Origin", origin)
                .header(RequestPolicy.TOKEN_HEADER, server.token()).json(body).send();
        assertEquals(200, same.status());
        assertEquals(0.5, client.config().selection().failoverThreshold());
    }

    @Test
    void changesNeedThisStartsToken() throws IOException {
        String body = "{\"url\":\"ws://127.0.0.1:7003/\"}";

        RawHttp.Response missing = http.request("POST", "/api/relays").header("Origin", origin).json(body).send();
        RawHttp.Response wrong = http.request("POST", "/api/relays").header("Origin", origin)
                .header(RequestPolicy.TOKEN_HEADER, "A" + server.token().substring(1)).json(body).send();
        RawHttp.Response empty = http.request("DELETE", "/api/relays?url=" + A)
                .header(RequestPolicy.TOKEN_HEADER, "").send();

        assertEquals(401, missing.status());
        assertEquals(403, wrong.status());
        assertEquals(403, empty.status());
        assertEquals(0, client.reconfigureCalls());
        assertEquals(2, client.config().relays().size());

        RawHttp.Response ok = http.request("POST", "/api/relays").header("Origin", origin)
                .header(RequestPolicy.TOKEN_HEADER, server.token()).json(body).send();
        assertEquals(201, ok.status());
        assertEquals(3, client.config().relays().size());
        assertEquals(3, json(ok).get("config").get("relays").size());
    }

    @Test
    void tokensDifferPerStartAndThePageUrlCarriesIt() {
        String first = server.token();
        start(StatusServerOptions.ofDefaults());
        assertNotEquals(first, server.token());
        assertTrue(server.token().matches("[A-Za-z0-9_-]{43}"));
        assertEquals("127.0.0.1", server.url().getHost());
        assertEquals("token=" + server.token(), server.pageUrl().getFragment());
    }

    @Test
    void relaySuppliedTextIsEscapedInJson() throws IOException {
        String script = "<script>alert(1)</script>";
        client.region(A, script);
        RawHttp.Response status = http.request("GET", "/api/status").send();
        RawHttp.Response settings = http.request("GET", "/api/settings").send();

        for (RawHttp.Response r : List.of(status, settings)) {
            assertFalse(r.body().contains("<script"), r.body());
            assertTrue(r.body().contains("\\u003Cscript\\u003E") || r.body().contains("\\u003cscript\\u003e"));
            assertEquals("nosniff", r.header("X-Content-Type-Options"));
        }
        assertEquals(script, json(status).get("relays").get(0).get("region").asText());

        RawHttp.Response added = http.request("POST", "/api/relays").header(RequestPolicy.TOKEN_HEADER, server.token())
                .json("{\"url\":\"ws://127.0.0.1:7003/\",\"region\":\"<img src=x onerror=alert(1)>\"}").send();
        assertEquals(201, added.status());
        assertFalse(added.body().contains("<img"));
    }

    @Test
    void pathTraversalIsRefused() throws IOException {
        for (String path : List.of("/%2e%2e/%2e%2e/etc/passwd", "/assets/%2e%2e/StatusServer.class",
                "/assets/..%5c..%5cmodule-info.class", "/assets/../index.html", "/assets/./app.css",
                "/assets//app.css", "/.hidden", "/assets/app.css%00.html")) {
            RawHttp.Response r = http.request("GET", path).send();
            assertEquals(400, r.status(), path);
            assertFalse(r.body().contains("class"), path);
        }
        for (String path : List.of("/io/solconnect/relay/ui/web/StatusServer.class", "/module-info.class",
                "/assets/vendor/LICENSE", "/assets/vendor/uPlot.min.css", "/etc/passwd")) {
            assertEquals(404, http.request("GET", path).send().status(), path);
        }
    }

    @Test
    void oversizedBodiesAreRefusedBeforeAnyChange() throws IOException {
        byte[] big = new byte[StatusServerOptions.DEFAULT_MAX_REQUEST_BYTES + 1];
        java.util.Arrays.fill(big, (byte) ' ');
        big[0] = '{';
        big[big.length - 1] = '}';

        RawHttp.Response declared = http.request("PUT", "/api/settings").header(RequestPolicy.TOKEN_HEADER, server.token())
                .header("Content-Type", "application/json").body(big, false).send();
        RawHttp.Response chunked = http.request("PUT", "/api/settings").header(RequestPolicy.TOKEN_HEADER, server.token())
                .header("Content-Type", "application/json").body(big, true).send();
        RawHttp.Response longUri = http.request("GET", "/api/status?x=" + "a".repeat(3000)).send();

        assertEquals(413, declared.status());
        assertEquals(413, chunked.status());
        assertEquals(414, longUri.status());
        assertEquals(0, client.reconfigureCalls());
    }

    @Test
    void unknownMethodsGet405() throws IOException {
        RawHttp.Response delete = http.request("DELETE", "/api/status").header(RequestPolicy.TOKEN_HEADER, server.token())
                .send();
        assertEquals(405, delete.status());
        assertEquals("GET", delete.header("Allow"));
        for (String method : List.of("TRACE", "OPTIONS", "PATCH", "BREW", "CONNECT")) {
            assertEquals(405, http.request(method, "/api/settings").send().status(), method);
        }
        assertEquals(405, http.request("POST", "/").header(RequestPolicy.TOKEN_HEADER, server.token()).send().status());
        assertEquals(405, http.request("PUT", "/assets/app.css").send().status());
    }

    @Test
    void badBodiesGetClearErrors() throws IOException {
        RawHttp.Response notJson = http.request("PUT", "/api/settings").header(RequestPolicy.TOKEN_HEADER, server.token())
                .json("{not json").send();
        RawHttp.Response plain = http.request("PUT", "/api/settings").header(RequestPolicy.TOKEN_HEADER, server.token())
                .header("Content-Type", "text/plain").body("{}".getBytes(), false).send();
        RawHttp.Response unknownField = http.request("PUT", "/api/settings")
                .header(RequestPolicy.TOKEN_HEADER, server.token()).json("{\"pingIntervalMillis\":5}").send();
        RawHttp.Response wrongType = http.request("PUT", "/api/settings")
                .header(RequestPolicy.TOKEN_HEADER, server.token()).json("{\"liveness\":{\"pingInterval\":\"fast\"}}").send();

        assertEquals(400, notJson.status());
        assertEquals(415, plain.status());
        assertEquals(400, unknownField.status());
        assertTrue(json(unknownField).get("error").get("message").asText()
                .startsWith("$.pingIntervalMillis is not a known key; known keys here: dedup, failover, liveness"),
                json(unknownField).toString());
        assertEquals(400, wrongType.status());
        assertEquals("$.liveness.pingInterval must be a duration string like \"250ms\", \"2s\" or \"PT2S\", was \"fast\"",
                json(wrongType).get("error").get("message").asText());
        assertEquals(0, client.reconfigureCalls());
    }

    @Test
    void validationMessagesComeFromTheConfig() throws IOException {
        RawHttp.Response scheme = http.request("POST", "/api/relays").header(RequestPolicy.TOKEN_HEADER, server.token())
                .json("{\"url\":\"http://relay.example.org/ws\"}").send();
        RawHttp.Response threshold = http.request("PUT", "/api/settings")
                .header(RequestPolicy.TOKEN_HEADER, server.token()).json("{\"selection\":{\"failoverThreshold\":1.5}}").send();
        RawHttp.Response ping = http.request("PUT", "/api/settings").header(RequestPolicy.TOKEN_HEADER, server.token())
                .json("{\"liveness\":{\"pingInterval\":\"0ms\"}}").send();
        RawHttp.Response plainWs = http.request("POST", "/api/relays").header(RequestPolicy.TOKEN_HEADER, server.token())
                .json("{\"url\":\"ws://relay.example.org/ws\"}").send();
        RawHttp.Response duplicate = http.request("POST", "/api/relays").header(RequestPolicy.TOKEN_HEADER, server.token())
                .json("{\"url\":\"WS://127.0.0.1:7001\"}").send();

        assertEquals(400, scheme.status());
        assertEquals("$.relays[2].url is not a valid relay URL: url scheme must be ws or wss, was 'http' in "
                + "'http://relay.example.org/ws'", json(scheme).get("error").get("message").asText());
        assertEquals("$.selection.failoverThreshold must be in [0, 1], was 1.5",
                json(threshold).get("error").get("message").asText());
        assertEquals("$.liveness.pingInterval must be positive, was \"0ms\"", json(ping).get("error").get("message").asText());
        RawHttp.Response fast = http.request("PUT", "/api/settings").header(RequestPolicy.TOKEN_HEADER, server.token())
                .json("{\"liveness\":{\"pingInterval\":\"1ms\"}}").send();
        assertEquals(400, fast.status());
        assertTrue(json(fast).get("error").get("message").asText().contains("pingInterval must be at least 10 ms"),
                json(fast).toString());
        assertEquals(400, plainWs.status());
        assertTrue(json(plainWs).get("error").get("message").asText().startsWith("$.relays[2].url"),
                json(plainWs).toString());
        assertEquals(409, duplicate.status());
        assertEquals(0, client.reconfigureCalls());
    }

    @Test
    void reconfigureRefusalIsShownAndNothingChanges() throws IOException {
        client.refuseReconfigure(Result.err(ErrorCode.UNKNOWN_PROVIDER,
                "no load balancer named 'fastest'; found: p2c-ewma, round-robin"));
        RawHttp.Response r = http.request("PUT", "/api/settings").header(RequestPolicy.TOKEN_HEADER, server.token())
                .json("{\"selection\":{\"strategy\":{\"algorithm\":\"fastest\"}}}").send();

        assertEquals(422, r.status());
        assertEquals("unknown_provider", json(r).get("error").get("code").asText());
        assertEquals("no load balancer named 'fastest'; found: p2c-ewma, round-robin",
                json(r).get("error").get("message").asText());
        assertEquals("p2c-ewma", client.config().selection().strategy().algorithm());
    }

    @Test
    void settingsApplyThroughReconfigure() throws IOException {
        RawHttp.Response r = http.request("PUT", "/api/settings").header(RequestPolicy.TOKEN_HEADER, server.token())
                .json("{\"selection\":{\"strategy\":{\"algorithm\":\"round-robin\",\"stickySession\":false,"
                        + "\"healthWeight\":0.25,\"settings\":{\"sample\":\"3\"}},\"failoverThreshold\":0.4},"
                        + "\"liveness\":{\"pingInterval\":\"200ms\"}}")
                .send();

        assertEquals(200, r.status(), r.body());
        RelayConfig c = client.config();
        assertEquals("round-robin", c.selection().strategy().algorithm());
        assertFalse(c.selection().strategy().stickySession());
        assertEquals(0.25, c.selection().strategy().healthWeight());
        assertEquals(Map.of("sample", "3"), c.selection().strategy().settings());
        assertEquals(Duration.ofMillis(200), c.liveness().pingInterval());
        assertEquals(0.4, c.selection().failoverThreshold());
        assertEquals(2, c.relays().size(), "relays untouched when absent");

        RawHttp.Response removed = http.request("DELETE", "/api/relays?url=ws%3A%2F%2F127.0.0.1%3A7002%2F")
                .header(RequestPolicy.TOKEN_HEADER, server.token()).send();
        assertEquals(200, removed.status(), removed.body());
        assertEquals(List.of(A), client.config().relays().stream().map(e -> e.id()).toList());
        RawHttp.Response last = http.request("DELETE", "/api/relays?url=" + A)
                .header(RequestPolicy.TOKEN_HEADER, server.token()).send();
        assertEquals(400, last.status());
        assertTrue(json(last).get("error").get("message").asText().startsWith("$.relays must not be empty"));
        assertEquals(404, http.request("DELETE", "/api/relays?url=ws://nowhere.example/")
                .header(RequestPolicy.TOKEN_HEADER, server.token()).send().status());
    }

    @Test
    void readOnlyModeRefusesEveryChange() throws IOException {
        start(StatusServerOptions.builder().readOnly(true).build());
        RawHttp.Response put = http.request("PUT", "/api/settings").header(RequestPolicy.TOKEN_HEADER, server.token())
                .json("{\"selection\":{\"failoverThreshold\":0.5}}").send();
        RawHttp.Response post = http.request("POST", "/api/relays").header(RequestPolicy.TOKEN_HEADER, server.token())
                .json("{\"url\":\"ws://127.0.0.1:7003/\"}").send();

        assertEquals(403, put.status());
        assertEquals(403, post.status());
        assertEquals("the status page is read-only", json(put).get("error").get("message").asText());
        assertTrue(json(http.request("GET", "/api/settings").send()).get("readOnly").asBoolean());
        assertEquals(0, client.reconfigureCalls());
    }

    @Test
    void failuresNeverLeakStackTraces() throws IOException {
        client.failStatus(new IllegalStateException("secret internal detail"));
        RawHttp.Response r = http.request("GET", "/api/status").send();

        assertEquals(500, r.status());
        assertFalse(r.body().contains("secret"));
        assertFalse(r.body().contains("Exception"));
        assertFalse(r.body().contains("at io."));
        assertEquals("internal", json(r).get("error").get("code").asText());
    }

    @Test
    void eventStreamSendsSnapshotsAndEventsAsSseFrames() throws IOException {
        ManualScheduler time = new ManualScheduler();
        server.close();
        server = StatusServer.start(client, StatusServerOptions.ofDefaults(), time).orElseThrow();
        http = new RawHttp(server.url().getPort());
        origin = "http://127.0.0.1:" + server.url().getPort();

        RawHttp.Request request = http.request("GET", "/api/events").header("Origin", origin)
                .header("Accept", "text/event-stream");
        try (Socket socket = request.open()) {
            request.write(socket.getOutputStream());
            InputStream in = new BufferedInputStream(socket.getInputStream());
            assertEquals("HTTP/1.1 200 OK", RawHttp.line(in));
            Map<String, String> headers = RawHttp.readHeaders(in);
            assertEquals("text/event-stream; charset=utf-8", headers.get("content-type"));
            assertEquals("no-store", headers.get("cache-control"));
            assertEquals("chunked", headers.get("transfer-encoding"));
            SseReader sse = new SseReader(RawHttp.dechunk(in));

            assertEquals(List.of("retry: 1000"), sse.next().lines());
            SseReader.Frame first = sse.next();
            assertEquals("status", first.field("event"));
            assertTrue(first.field("id").matches("\\d+"));
            assertEquals("CONNECTED", HttpIo.JSON.readTree(first.field("data")).get("state").asText());

            time.advance(EventHub.TICK);
            SseReader.Frame second = sse.next();
            assertEquals("status", second.field("event"), "the ticker pushes a fresh snapshot every second");
            assertTrue(Long.parseLong(second.field("id")) > Long.parseLong(first.field("id")));
            time.advance(EventHub.TICK);
            assertEquals("status", sse.next().field("event"), "and keeps doing so");

            client.failover(B, "missed pongs");
            SseReader.Frame event = sse.next();
            assertEquals("relay-event", event.field("event"), "events are streamed as they happen");
            JsonNode failover = HttpIo.JSON.readTree(event.field("data"));
            assertEquals("Failover", failover.get("type").asText());
            assertEquals(A, failover.get("from").asText());
            assertEquals(B, failover.get("to").asText());
            assertEquals("missed pongs", failover.get("reason").asText());
            assertEquals(37.0, failover.get("durationMillis").asDouble());
            time.advance(EventHub.SOON);
            SseReader.Frame after = sse.next();
            assertEquals("status", after.field("event"), "a snapshot follows an event shortly");
            assertEquals(B, HttpIo.JSON.readTree(after.field("data")).get("primary").asText());

            client.emit(new RelayEvent.MessageAcknowledged(Instant.now(), B, "m-1", true));
            client.emit(new RelayEvent.Disconnected(Instant.now(), A, 1006, "line1\nline2\r\n<b>"));
            SseReader.Frame multi = sse.next();
            assertEquals("relay-event", multi.field("event"));
            assertEquals(3, multi.lines().size(), "one id, one event and one data line: " + multi.lines());
            JsonNode disconnected = HttpIo.JSON.readTree(multi.field("data"));
            assertEquals("Disconnected", disconnected.get("type").asText(),
                    "acknowledgements are counted in the snapshot, not streamed one by one");
            assertEquals("line1\nline2\r\n<b>", disconnected.get("reason").asText());
        }
        server.close();
        assertEquals(0, time.pending(), "closing cancels the ticker");
    }

    @Test
    void eventStreamsAreLimited() throws IOException {
        List<Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                RawHttp.Request request = http.request("GET", "/api/events");
                Socket socket = request.open();
                open.add(socket);
                request.write(socket.getOutputStream());
                assertEquals("HTTP/1.1 200 OK", RawHttp.line(new BufferedInputStream(socket.getInputStream())));
            }
            RawHttp.Response refused = http.request("GET", "/api/events").send();
            assertEquals(503, refused.status());
            assertEquals(200, http.request("GET", "/api/status").send().status(), "the rest of the API still answers");
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
    }

    @Test
    void closeEndsStreamsAndUnsubscribes() throws IOException {
        RawHttp.Request request = http.request("GET", "/api/events");
        try (Socket socket = request.open()) {
            request.write(socket.getOutputStream());
            InputStream in = new BufferedInputStream(socket.getInputStream());
            assertEquals("HTTP/1.1 200 OK", RawHttp.line(in));
            RawHttp.readHeaders(in);
            InputStream events = RawHttp.dechunk(in);
            new SseReader(events).nextOf("status");
            assertEquals(1, client.listenerCount());

            server.close();

            assertEquals(0, client.listenerCount());
            assertThrows(IOException.class, () -> {
                while (true) {
                    RawHttp.line(events);
                }
            }, "the stream ends when the server closes");
        }
    }

    @Test
    void nonLoopbackBindNeedsExplicitConsent() throws IOException {
        InetAddress lan = InetAddress.getByAddress(new byte[] {10, 1, 2, 3});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StatusServerOptions.builder().bindAddress(lan).build());
        assertTrue(e.getMessage().startsWith("bindAddress must be a loopback address"));
        assertThrows(IllegalArgumentException.class, () -> StatusServerOptions.builder().maxRequestBytes(10));
        assertThrows(IllegalArgumentException.class,
                () -> StatusServerOptions.builder().allowedHosts(Set.of("evil.example:80")).build());
    }

    @Test
    void portInUseIsAResultError() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))) {
            Result<StatusServer> r = StatusServer.start(client,
                    StatusServerOptions.builder().port(taken.getLocalPort()).build());
            assertEquals(ErrorCode.IO, r.failure().orElseThrow().code());
            assertTrue(r.failure().orElseThrow().message().startsWith("cannot listen on 127.0.0.1:"));
        }
    }

    /** Reads Server-Sent Events frames (blocks separated by a blank line). */
    static final class SseReader {
        record Frame(List<String> lines) {
            String field(String name) {
                for (String l : lines) {
                    if (l.startsWith(name + ": ")) {
                        return l.substring(name.length() + 2);
                    }
                }
                return null;
            }
        }

        private final InputStream in;

        SseReader(InputStream in) {
            this.in = in;
        }

        Frame next() throws IOException {
            List<String> lines = new ArrayList<>();
            for (String l = RawHttp.line(in); ; l = RawHttp.line(in)) {
                if (l.isEmpty()) {
                    if (!lines.isEmpty()) {
                        return new Frame(lines);
                    }
                } else if (!l.startsWith(":")) { // a comment (keep-alive), ignored as browsers do
                    lines.add(l);
                }
            }
        }

        Frame nextOf(String event) throws IOException {
            for (Frame f = next(); ; f = next()) {
                if (event.equals(f.field("event"))) {
                    return f;
                }
            }
        }
    }

    @Test
    void theTokenIsNeverLogged() {
        server.close();
        List<String> lines;
        try (LogCapture log = new LogCapture()) {
            server = StatusServer.start(client, StatusServerOptions.ofDefaults()).orElseThrow();
            server.close();
            lines = log.lines();
        }
        assertTrue(lines.stream().anyMatch(l -> l.contains(server.url().toString())), "the URL is logged: " + lines);
        assertTrue(lines.stream().noneMatch(l -> l.contains(server.token())), "the token is not: " + lines);
        start(StatusServerOptions.ofDefaults());
    }

    @Test
    void extraTextEndpointsNeedTheTokenInItsHeaderOrAsBearer() throws IOException {
        server.close();
        server = StatusServer.start(client, StatusServerOptions.ofDefaults(),
                List.of(new TextEndpoint("/metrics", "text/plain; version=0.0.4; charset=utf-8", () -> "relay_up 1\n")))
                .orElseThrow();
        http = new RawHttp(server.url().getPort());

        assertEquals(401, http.request("GET", "/metrics").send().status());
        assertEquals(403, http.request("GET", "/metrics").header("Authorization", "Bearer wrong").send().status());
        RawHttp.Response withHeader = http.request("GET", "/metrics").header("X-Relay-Token", server.token()).send();
        RawHttp.Response bearer = http.request("GET", "/metrics").header("Authorization", "Bearer " + server.token()).send();
        assertEquals(405, http.request("POST", "/metrics").header("X-Relay-Token", server.token()).json("{}").send().status());

        assertEquals(200, withHeader.status());
        assertEquals("relay_up 1\n", withHeader.body());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", withHeader.header("Content-Type"));
        assertEquals(200, bearer.status());
        assertThrows(IllegalArgumentException.class, () -> new TextEndpoint("/api/metrics", "text/plain", () -> ""));
        assertThrows(IllegalArgumentException.class, () -> new TextEndpoint("/settings", "text/plain", () -> ""));
    }
}
