package io.solconnect.relay.transport.tyrus;

import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.spi.CloseInfo;
import io.solconnect.relay.api.spi.PluginContext;
import io.solconnect.relay.api.spi.RelayConnection;
import io.solconnect.relay.api.spi.Transport;
import jakarta.websocket.CloseReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TyrusTransportTest {

    private static final long WAIT = 20;

    static {
        org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
        org.slf4j.bridge.SLF4JBridgeHandler.install();
    }

    private final ManualScheduler scheduler = new ManualScheduler();
    private final List<AutoCloseable> cleanup = new CopyOnWriteArrayList<>();
    private final ScriptedEndpoint.Log log = new ScriptedEndpoint.Log();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : cleanup) {
            c.close();
        }
    }

    private Transport transport(Map<String, String> settings, int maxMessageBytes) {
        return transport(settings, maxMessageBytes, maxMessageBytes);
    }

    private Transport transport(Map<String, String> settings, int maxMessageBytes, int maxResumeBytes) {
        RelayConfig config = RelayConfig.custom()
                .addRelay("ws://127.0.0.1:9/")
                .maxMessageBytes(maxMessageBytes)
                .maxResumeBytes(maxResumeBytes)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        Result<Transport> t = new TyrusTransportProvider().create(new PluginContext("tyrus", settings, config, scheduler, e -> { }));
        Transport transport = t.orElseThrow();
        cleanup.add(transport);
        return transport;
    }

    private Transport transport() {
        return transport(Map.of(), 1024 * 1024);
    }

    private TestServer server(List<String> subprotocols) throws IOException {
        TestServer s = TestServer.start(List.of(
                ScriptedEndpoint.config("/ws", log, subprotocols, false),
                ScriptedEndpoint.config("/closing", log, List.of(), true)), Optional.empty());
        cleanup.add(s);
        return s;
    }

    private static RelayConnection open(Transport t, String url, Recorder r) throws Exception {
        Result<RelayConnection> res = t.connect(RelayEndpoint.of(url), r).toCompletableFuture().get(WAIT, TimeUnit.SECONDS);
        assertTrue(res.isOk(), () -> "connect failed: " + res);
        return res.orElseThrow();
    }

    private static RelayErrorView failed(Transport t, String url) throws Exception {
        Result<RelayConnection> res = t.connect(RelayEndpoint.of(url), new Recorder()).toCompletableFuture()
                .get(WAIT, TimeUnit.SECONDS);
        assertFalse(res.isOk(), "connect should have failed");
        return new RelayErrorView(res.failure().orElseThrow().code(), res.failure().orElseThrow().message());
    }

    private record RelayErrorView(ErrorCode code, String message) { }

    @Test
    void sendsAndReceivesText() throws Exception {
        TestServer s = server(List.of());
        Recorder r = new Recorder();
        RelayConnection c = open(transport(), "ws://127.0.0.1:" + s.port() + "/ws", r);
        assertTrue(c.isOpen());
        assertEquals(Result.ok(), c.send("hello ü").toCompletableFuture().get(WAIT, TimeUnit.SECONDS));
        assertEquals("hello ü", r.texts.poll(WAIT, TimeUnit.SECONDS));
        c.close(1000, "bye");
        CloseInfo info = r.closed.get(WAIT, TimeUnit.SECONDS);
        assertEquals(1000, info.code());
        assertEquals(CloseInfo.Kind.LOCAL, info.kind());
        assertFalse(c.isOpen());
        assertFalse(c.send("late").toCompletableFuture().get(WAIT, TimeUnit.SECONDS).isOk());
        assertFalse(c.ping().isOk());
        assertEquals(1000, log.closes.poll(WAIT, TimeUnit.SECONDS).getCloseCode().getCode());
        assertEquals(1, r.closeCalls.get());
    }

    @Test
    void pingReportsRttMeasuredOnTheSchedulerClock() throws Exception {
        TestServer s = server(List.of());
        Recorder r = new Recorder();
        RelayConnection c = open(transport(), "ws://127.0.0.1:" + s.port() + "/ws", r);
        scheduler.stepPerRead(Duration.ofMillis(7));
        assertTrue(c.ping().isOk());
        // one clock read when sending, one when the pong arrives: exactly one step apart
        assertEquals(Duration.ofMillis(7), r.pongs.poll(WAIT, TimeUnit.SECONDS));
        scheduler.stepPerRead(Duration.ZERO);
        assertTrue(c.ping().isOk());
        assertEquals(Duration.ZERO, r.pongs.poll(WAIT, TimeUnit.SECONDS));
        assertEquals(0, r.overlaps.get());
    }

    @Test
    void oversizedInboundMessageClosesWith1009() throws Exception {
        TestServer s = server(List.of());
        Recorder r = new Recorder();
        RelayConnection c = open(transport(Map.of(), 1024), "ws://127.0.0.1:" + s.port() + "/ws", r);
        c.send("big:1024");
        assertEquals(1024, r.texts.poll(WAIT, TimeUnit.SECONDS).length(), "a message at the limit passes");
        c.send("big:1025");
        CloseInfo info = r.closed.get(WAIT, TimeUnit.SECONDS);
        assertEquals(1009, info.code());
        assertEquals(CloseInfo.Kind.TRANSIENT, info.kind());
        assertEquals(1009, log.closes.poll(WAIT, TimeUnit.SECONDS).getCloseCode().getCode(), "the server is told 1009");
        assertTrue(r.texts.isEmpty(), "the oversized message is not delivered");
        assertEquals(0, r.callsAfterClose.get());
    }

    /**
     * A resume reply may be larger than a message: frames up to {@code maxResumeBytes} reach the
     * listener (its codec decides what may be that large); only a larger one closes with 1009.
     */
    @Test
    void inboundFramesUpToMaxResumeBytesPassAndOnlyLargerOnesCloseWith1009() throws Exception {
        TestServer s = server(List.of());
        Recorder r = new Recorder();
        RelayConnection c = open(transport(Map.of(), 1024, 4096), "ws://127.0.0.1:" + s.port() + "/ws", r);
        c.send("big:4096");
        assertEquals(4096, r.texts.poll(WAIT, TimeUnit.SECONDS).length(), "a frame at maxResumeBytes passes");
        assertTrue(c.isOpen());
        c.send("big:4097");
        assertEquals(1009, r.closed.get(WAIT, TimeUnit.SECONDS).code());
        assertTrue(r.texts.isEmpty(), "the oversized frame is not delivered");
    }

    @Test
    void hugeFrameFarOverTheLimitAlsoEndsWith1009() throws Exception {
        TestServer s = server(List.of());
        Recorder r = new Recorder();
        RelayConnection c = open(transport(Map.of(), 1024), "ws://127.0.0.1:" + s.port() + "/ws", r);
        c.send("big:300000");
        assertEquals(1009, r.closed.get(WAIT, TimeUnit.SECONDS).code());
        assertTrue(r.texts.isEmpty());
    }

    @Test
    void outboundOverTheLimitIsRefusedWithoutClosing() throws Exception {
        TestServer s = server(List.of());
        Recorder r = new Recorder();
        RelayConnection c = open(transport(Map.of(), 1024), "ws://127.0.0.1:" + s.port() + "/ws", r);
        Result<Result.Done> res = c.send("y".repeat(1025)).toCompletableFuture().get(WAIT, TimeUnit.SECONDS);
        assertEquals(ErrorCode.TOO_LARGE, res.failure().orElseThrow().code());
        assertTrue(c.isOpen());
    }

    @Test
    void peerCloseCodesAreClassified() throws Exception {
        TestServer s = server(List.of());
        Transport t = transport();
        Recorder r1 = new Recorder();
        open(t, "ws://127.0.0.1:" + s.port() + "/ws", r1).send("close:1008");
        CloseInfo policy = r1.closed.get(WAIT, TimeUnit.SECONDS);
        assertEquals(1008, policy.code());
        assertEquals(CloseInfo.Kind.TERMINAL, policy.kind());
        Recorder r2 = new Recorder();
        open(t, "ws://127.0.0.1:" + s.port() + "/ws", r2).send("close:1001");
        CloseInfo away = r2.closed.get(WAIT, TimeUnit.SECONDS);
        assertEquals(1001, away.code());
        assertEquals(CloseInfo.Kind.TRANSIENT, away.kind());
    }

    @Test
    void serverClosingRightAfterTheUpgradeEndsTheConnection() throws Exception {
        TestServer s = server(List.of());
        Recorder r = new Recorder();
        Result<RelayConnection> res = transport().connect(RelayEndpoint.of("ws://127.0.0.1:" + s.port() + "/closing"), r)
                .toCompletableFuture().get(WAIT, TimeUnit.SECONDS);
        // Either the close beats onOpen (connect fails) or it follows it (onClosed 1008): both complete.
        if (res.isOk()) {
            assertEquals(1008, r.closed.get(WAIT, TimeUnit.SECONDS).code());
        } else {
            assertEquals(ErrorCode.CONNECT_FAILED, res.failure().orElseThrow().code());
        }
    }

    @Test
    void serverDroppingTheSocketDuringTheHandshakeFailsTheConnect() throws Exception {
        int port = rawServer(socket -> {
            readRequest(socket);
            closeQuietly(socket);
        });
        RelayErrorView e = failed(transport(), "ws://127.0.0.1:" + port + "/");
        assertEquals(ErrorCode.CONNECT_FAILED, e.code());
    }

    @Test
    void httpErrorFailsTheConnectNamingTheStatus() throws Exception {
        TestServer s = server(List.of());
        RelayErrorView e = failed(transport(), "ws://127.0.0.1:" + s.port() + "/no-such-path");
        assertEquals(ErrorCode.CONNECT_FAILED, e.code());
        assertTrue(e.message().contains("404"), e.message());
    }

    @Test
    void redirectIsNotFollowed() throws Exception {
        TestServer s = server(List.of());
        int port = rawServer(socket -> {
            readRequest(socket);
            write(socket, "HTTP/1.1 302 Found\r\nLocation: ws://127.0.0.1:" + s.port() + "/ws\r\nContent-Length: 0\r\n\r\n");
        });
        RelayErrorView e = failed(transport(), "ws://127.0.0.1:" + port + "/");
        assertEquals(ErrorCode.CONNECT_FAILED, e.code());
        assertTrue(e.message().contains("302"), e.message());
        assertTrue(log.opened.isEmpty(), "the redirect target was not contacted");
    }

    @Test
    void serverThatIgnoresTheOfferedSubprotocolIsRefused() throws Exception {
        TestServer s = server(List.of("other"));
        RelayErrorView e = failed(transport(Map.of("subprotocols", "solconnect.v1"), 1024 * 1024),
                "ws://127.0.0.1:" + s.port() + "/ws");
        assertEquals(ErrorCode.CONNECT_FAILED, e.code());
        assertTrue(e.message().contains("subprotocol"), e.message());
    }

    @Test
    void agreedSubprotocolIsAccepted() throws Exception {
        TestServer s = server(List.of("solconnect.v1"));
        Recorder r = new Recorder();
        RelayConnection c = open(transport(Map.of("subprotocols", "solconnect.v1"), 1024 * 1024),
                "ws://127.0.0.1:" + s.port() + "/ws", r);
        assertTrue(c.isOpen());
    }

    @Test
    void subprotocolThatWasNeverOfferedIsRefused() throws Exception {
        int port = rawServer(socket -> {
            String req = readRequest(socket);
            Matcher m = Pattern.compile("(?i)Sec-WebSocket-Key: *(\\S+)").matcher(req);
            if (!m.find()) {
                closeQuietly(socket);
                return;
            }
            write(socket, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + accept(m.group(1)) + "\r\nSec-WebSocket-Protocol: evil\r\n\r\n");
        });
        RelayErrorView e = failed(transport(), "ws://127.0.0.1:" + port + "/");
        assertEquals(ErrorCode.CONNECT_FAILED, e.code());
    }

    @Test
    void abortDropsTheConnectionWithoutACloseFrame() throws Exception {
        TestServer s = server(List.of());
        Recorder r = new Recorder();
        RelayConnection c = open(transport(), "ws://127.0.0.1:" + s.port() + "/ws", r);
        c.send("hi");
        assertEquals("hi", r.texts.poll(WAIT, TimeUnit.SECONDS));
        c.abort();
        CloseInfo info = r.closed.getNow(null);
        assertNotNull(info, "onClosed is called before abort returns");
        assertEquals(1006, info.code());
        assertFalse(c.isOpen());
        CloseReason server = log.closes.poll(WAIT, TimeUnit.SECONDS);
        assertEquals(1006, server.getCloseCode().getCode(), "the server saw the TCP connection drop without a close frame");
        c.close(1000, "after abort");
        assertEquals(1, r.closeCalls.get());
    }

    @Test
    void connectTimesOutAgainstAServerThatNeverAnswers() throws Exception {
        java.util.concurrent.CountDownLatch accepted = new java.util.concurrent.CountDownLatch(1);
        int port = rawServer(socket -> accepted.countDown());
        Transport t = transport();
        var stage = t.connect(RelayEndpoint.of("ws://127.0.0.1:" + port + "/"), new Recorder()).toCompletableFuture();
        assertTrue(accepted.await(WAIT, TimeUnit.SECONDS));
        assertFalse(stage.isDone());
        scheduler.advance(Duration.ofSeconds(2));
        Result<RelayConnection> res = stage.get(WAIT, TimeUnit.SECONDS);
        assertEquals(ErrorCode.TIMEOUT, res.failure().orElseThrow().code());
    }

    @Test
    void openConnectionsOutliveTyrusShuttingDownTheExecutorsUnderThem() throws Exception {
        // Tyrus shuts its client executors down when it counts no live connection left, and open
        // sessions keep the executor they were created with. In the failover benchmark its count
        // went wrong, and every open session's ping was refused: "ping failed: Task
        // TyrusSession$IdleTimeoutCommand rejected from ScheduledThreadPoolExecutor[Terminated]".
        TestServer s = server(List.of());
        Recorder r = new Recorder();
        Transport t = transport();
        RelayConnection c = open(t, "ws://127.0.0.1:" + s.port() + "/ws", r);
        ((TyrusTransport) t).manager(false).shutdown(); // what Tyrus does when its count reaches zero
        Result<Result.Done> ping = c.ping();
        assertTrue(ping.isOk(), () -> "ping: " + ping);
        assertNotNull(r.pongs.poll(WAIT, TimeUnit.SECONDS));
        assertEquals(Result.ok(), c.send("still here").toCompletableFuture().get(WAIT, TimeUnit.SECONDS));
        assertEquals("still here", r.texts.poll(WAIT, TimeUnit.SECONDS));
        assertTrue(c.isOpen());
    }

    @Test
    void tlsToTheRightHostIsAcceptedAndToTheWrongHostRefused(@TempDir Path dir) throws Exception {
        TestTls right = TestTls.create(dir.resolve("right"), "localhost");
        TestTls wrong = TestTls.create(dir.resolve("wrong"), "wrong.example.org");
        TestServer good = TestServer.start(List.of(ScriptedEndpoint.config("/ws", log, List.of(), false)),
                Optional.of(right.serverContext()));
        cleanup.add(good);
        TestServer bad = TestServer.start(List.of(ScriptedEndpoint.config("/ws", log, List.of(), false)),
                Optional.of(wrong.serverContext()));
        cleanup.add(bad);

        Recorder r = new Recorder();
        RelayConnection c = open(transport(right.clientSettings(), 1024 * 1024), "wss://localhost:" + good.port() + "/ws", r);
        c.send("secure");
        assertEquals("secure", r.texts.poll(WAIT, TimeUnit.SECONDS));

        // trusted certificate, but issued for another name: host name verification must refuse it
        RelayErrorView e = failed(transport(wrong.clientSettings(), 1024 * 1024), "wss://localhost:" + bad.port() + "/ws");
        assertEquals(ErrorCode.CONNECT_FAILED, e.code());
        // and a certificate nobody trusts is refused as well
        RelayErrorView untrusted = failed(transport(), "wss://localhost:" + good.port() + "/ws");
        assertEquals(ErrorCode.CONNECT_FAILED, untrusted.code());
    }

    @Test
    void plainWsToANonLoopbackHostIsForbidden() throws Exception {
        RelayErrorView e = failed(transport(), "ws://relay.example.org/");
        assertEquals(ErrorCode.FORBIDDEN, e.code());
    }

    @Test
    void badSettingsAreReportedByName() {
        RelayConfig config = RelayConfig.custom().addRelay("ws://127.0.0.1:9/").build();
        Result<Transport> t = new TyrusTransportProvider().create(new PluginContext("tyrus",
                Map.of("workerThreads", "0"), config, scheduler, e -> { }));
        assertTrue(t.failure().orElseThrow().message().contains("tyrus.workerThreads"));
        Result<Transport> ts = new TyrusTransportProvider().create(new PluginContext("tyrus",
                Map.of("truststore", "/no/such/file"), config, scheduler, e -> { }));
        assertEquals(ErrorCode.INVALID_CONFIG, ts.failure().orElseThrow().code());
        assertTrue(ts.failure().orElseThrow().message().contains("tyrus.truststore"));
    }

    @Test
    void manyConnectionsShareAFewThreads() throws Exception {
        TestServer s = server(List.of());
        Transport t = transport(Map.of("workerThreads", "2", "connectThreads", "4"), 1024 * 1024);
        // warm up the shared container, then count
        Recorder first = new Recorder();
        open(t, "ws://127.0.0.1:" + s.port() + "/ws", first);
        int before = Thread.activeCount();
        List<Recorder> recorders = new ArrayList<>();
        List<java.util.concurrent.CompletableFuture<Result<RelayConnection>>> stages = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Recorder r = new Recorder();
            recorders.add(r);
            stages.add(t.connect(RelayEndpoint.of("ws://127.0.0.1:" + s.port() + "/ws"), r).toCompletableFuture());
        }
        List<RelayConnection> conns = new ArrayList<>();
        for (var st : stages) {
            Result<RelayConnection> res = st.get(WAIT * 3, TimeUnit.SECONDS);
            assertTrue(res.isOk(), res::toString);
            conns.add(res.orElseThrow());
        }
        for (int i = 0; i < conns.size(); i++) {
            conns.get(i).send("m" + i);
        }
        for (int i = 0; i < conns.size(); i++) {
            assertEquals("m" + i, recorders.get(i).texts.poll(WAIT, TimeUnit.SECONDS));
        }
        int clientThreads = (int) Thread.getAllStackTraces().keySet().stream()
                .filter(th -> th.getName().startsWith("solconnect-tyrus")).count();
        assertTrue(clientThreads <= 2 + 4, "client threads: " + clientThreads);
        int growth = Thread.activeCount() - before;
        assertTrue(growth < 40, "201 connections grew the JVM by " + growth + " threads");
        t.close();
        for (Recorder r : recorders) {
            assertEquals(CloseInfo.Kind.LOCAL, r.closed.get(WAIT, TimeUnit.SECONDS).kind());
        }
    }

    @Test
    void closingTheTransportClosesItsConnectionsAndRefusesNewOnes() throws Exception {
        TestServer s = server(List.of());
        Transport t = transport();
        Recorder r = new Recorder();
        open(t, "ws://127.0.0.1:" + s.port() + "/ws", r);
        t.close();
        t.close();
        assertEquals(1001, r.closed.get(WAIT, TimeUnit.SECONDS).code());
        assertEquals(ErrorCode.CLOSED, failed(t, "ws://127.0.0.1:" + s.port() + "/ws").code());
    }

    // ---- helpers

    private int rawServer(Consumer<Socket> handler) throws IOException {
        ServerSocket ss = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        cleanup.add(ss);
        Thread th = new Thread(() -> {
            while (!ss.isClosed()) {
                try {
                    Socket s = ss.accept();
                    cleanup.add(s);
                    handler.accept(s);
                } catch (IOException e) {
                    return;
                }
            }
        }, "raw-server");
        th.setDaemon(true);
        th.start();
        return ss.getLocalPort();
    }

    private static String readRequest(Socket s) {
        try {
            InputStream in = s.getInputStream();
            StringBuilder sb = new StringBuilder();
            int b;
            while ((b = in.read()) != -1) {
                sb.append((char) b);
                if (sb.toString().endsWith("\r\n\r\n")) {
                    break;
                }
            }
            return sb.toString();
        } catch (IOException e) {
            return "";
        }
    }

    private static void write(Socket s, String text) {
        try {
            OutputStream out = s.getOutputStream();
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        } catch (IOException ignored) {
            // the client sees the outcome
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    private static String accept(String key) {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-1")
                    .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(sha);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }


}
