package io.solconnect.relay.ui.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The status server's limits over real loopback HTTP: a bounded worker pool with a request read
 * deadline against slow-loris clients, the token on every API read when the page may be reached
 * from the network, and the security headers on every kind of response.
 */
class StatusServerLimitsTest {

    private static final String A = "ws://127.0.0.1:7001/";
    private static final String B = "ws://127.0.0.1:7002/";

    private final FakeRelayClient client = new FakeRelayClient(A, B);
    private StatusServer server;
    private RawHttp http;

    private void start(StatusServerOptions options) {
        server = StatusServer.start(client, options).orElseThrow();
        http = new RawHttp(server.url().getPort());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void slowClientsAreCutOffAndOthersAreStillServed() throws Exception {
        start(StatusServerOptions.builder().requestReadTimeout(Duration.ofMillis(300)).build());
        int slowCount = 2 * BoundedWorkers.THREADS;
        byte[] head = ("GET /api/status HTTP/1.1\r\nHost: 127.0.0.1:" + server.url().getPort()
                + "\r\nX-Slow: " + "s".repeat(40) + "\r\n").getBytes(StandardCharsets.US_ASCII); // never ends
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < slowCount; i++) {
                Socket s = new Socket(InetAddress.getLoopbackAddress(), server.url().getPort());
                s.setSoTimeout(20_000);
                s.getOutputStream().write(head[0]);
                slow.add(s);
            }
            int maxThreads = 0;
            // byte by byte: each round sends one more header byte on every slow connection, then
            // makes an ordinary request, which must be answered
            for (int round = 1; round < 12; round++) {
                for (Socket s : slow) {
                    writeQuietly(s.getOutputStream(), head[round]);
                }
                maxThreads = Math.max(maxThreads, workerThreads());
                RawHttp.Response ok = http.request("GET", "/api/status").send();
                assertEquals(200, ok.status(), "round " + round);
            }
            assertTrue(maxThreads <= BoundedWorkers.THREADS, "worker threads: " + maxThreads);
            for (Socket s : slow) {
                assertTrue(closedByServer(s), "a slow connection is closed by the server");
            }
            assertTrue(server.connectionsCutOff() >= slowCount, "cut off: " + server.connectionsCutOff());
            assertEquals(200, http.request("GET", "/api/status").send().status());
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    private static void writeQuietly(OutputStream out, byte b) {
        try {
            out.write(b);
            out.flush();
        } catch (IOException e) {
            // already cut off by the server
        }
    }

    /** Reads until the server ends the connection (EOF or reset); false if it sends a response instead. */
    private static boolean closedByServer(Socket s) throws IOException {
        try {
            InputStream in = s.getInputStream();
            return in.read() < 0;
        } catch (SocketException e) {
            return true; // reset
        }
    }

    private static int workerThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("relay-status-http")).count();
    }

    @Test
    void beyondLoopbackEveryApiReadAndTheEventStreamNeedTheToken() throws Exception {
        start(StatusServerOptions.builder().allowNonLoopback(true).build());
        for (String path : List.of("/api/status", "/api/relays", "/api/failovers", "/api/settings", "/api/events")) {
            RawHttp.Response refused = http.request("GET", path).send();
            assertEquals(401, refused.status(), path);
            assertTrue(refused.body().contains("every /api request needs the X-Relay-Token header"), refused.body());
            assertEquals(403, http.request("GET", path).header(RequestPolicy.TOKEN_HEADER, "wrong").send().status(), path);
        }
        for (String path : List.of("/api/status", "/api/relays", "/api/failovers", "/api/settings")) {
            assertEquals(200, http.request("GET", path).header(RequestPolicy.TOKEN_HEADER, server.token()).send().status(),
                    path);
        }
        assertEquals(200, http.request("GET", "/").send().status(), "the page itself holds no data");
        assertEquals(401, http.request("GET", "/api/status?token=" + server.token()).send().status(),
                "only the event stream takes the token in the query");
        RawHttp.Request events = http.request("GET", "/api/events?token=" + server.token());
        try (Socket socket = events.open()) {
            events.write(socket.getOutputStream());
            InputStream in = new BufferedInputStream(socket.getInputStream());
            assertEquals("HTTP/1.1 200 OK", RawHttp.line(in), "the browser's EventSource sends the token in the query");
        }
    }

    @Test
    void onLoopbackReadsNeedNoToken() throws Exception {
        start(StatusServerOptions.ofDefaults());
        assertEquals(200, http.request("GET", "/api/status").send().status());
    }

    @Test
    void everyResponseCarriesTheSecurityHeaders() throws Exception {
        start(StatusServerOptions.builder().allowNonLoopback(true).build());
        List<RawHttp.Response> responses = List.of(
                http.request("GET", "/").send(),
                http.request("GET", "/settings").send(),
                http.request("GET", "/api/status").header(RequestPolicy.TOKEN_HEADER, server.token()).send(),
                http.request("GET", "/api/status").send(),
                http.request("GET", "/nope").send(),
                http.request("PUT", "/api/settings").json("{}").send(),
                http.request("GET", "/api/status").header("Host", "evil.example:80").send());
        List<Integer> statuses = responses.stream().map(RawHttp.Response::status).toList();
        assertEquals(List.of(200, 200, 200, 401, 404, 401, 403), statuses);
        for (RawHttp.Response r : responses) {
            String where = "HTTP " + r.status();
            Map<String, String> expected = Map.of(
                    "Content-Security-Policy",
                    "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
                    "X-Frame-Options", "DENY",
                    "Referrer-Policy", "no-referrer",
                    "X-Content-Type-Options", "nosniff",
                    "Cross-Origin-Resource-Policy", "same-origin",
                    "Cross-Origin-Opener-Policy", "same-origin");
            expected.forEach((name, value) -> assertEquals(value, r.header(name), where + " " + name));
            assertTrue(r.header("Cache-Control").startsWith("no-"), where + " Cache-Control " + r.header("Cache-Control"));
        }
    }
}
