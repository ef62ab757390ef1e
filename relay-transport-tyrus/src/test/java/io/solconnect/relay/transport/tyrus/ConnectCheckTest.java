package io.solconnect.relay.transport.tyrus;

import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.spi.HostResolver;
import io.solconnect.relay.api.spi.PluginContext;
import io.solconnect.relay.api.spi.RelayConnection;
import io.solconnect.relay.api.spi.RelayPolicy;
import io.solconnect.relay.api.spi.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The connect-time address check and connect errors that name their cause, against real sockets on
 * loopback. The test's own resolver stands in for DNS: names in {@code .test} exist only there.
 */
class ConnectCheckTest {

    private static final long WAIT = 20;

    static {
        org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
        org.slf4j.bridge.SLF4JBridgeHandler.install();
    }

    private final ManualScheduler scheduler = new ManualScheduler();
    private final List<AutoCloseable> cleanup = new CopyOnWriteArrayList<>();
    private final ScriptedEndpoint.Log log = new ScriptedEndpoint.Log();
    private final List<String> resolved = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : cleanup) {
            c.close();
        }
    }

    /** A policy like the engine's for discovered relays: loopback refused unless allowed, names from a map. */
    private RelayPolicy policy(Map<String, List<String>> zone, boolean allowLoopback) {
        return new RelayPolicy() {
            @Override
            public Optional<String> refusal(RelayEndpoint relay) {
                return Optional.empty();
            }

            @Override
            public Optional<HostResolver> resolverFor(RelayEndpoint relay) {
                return Optional.of(host -> {
                    resolved.add(host);
                    List<String> a = zone.get(host);
                    if (a == null) {
                        return Result.err(ErrorCode.CONNECT_FAILED, "unknown host '" + host + "': NXDOMAIN from the test zone");
                    }
                    return Result.ok(a.stream().map(ConnectCheckTest::literal).toList());
                });
            }

            @Override
            public Optional<String> refusedAddress(RelayEndpoint relay, InetAddress address) {
                return !allowLoopback && address.isLoopbackAddress()
                        ? Optional.of("address " + address.getHostAddress() + " is in the loopback range")
                        : Optional.empty();
            }
        };
    }

    private static InetAddress literal(String ip) {
        try {
            return InetAddress.getByName(ip); // literals only: no lookup
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private Transport transport(RelayPolicy policy, Map<String, String> settings) {
        RelayConfig config = RelayConfig.custom().addRelay("ws://127.0.0.1:9/")
                .allowedSchemes(java.util.Set.of("ws", "wss")).connectTimeout(Duration.ofSeconds(2)).build();
        Transport t = new TyrusTransportProvider().create(new PluginContext("tyrus", settings, config, scheduler,
                e -> { }, policy)).orElseThrow();
        cleanup.add(t);
        return t;
    }

    private static Result<RelayConnection> connect(Transport t, String url) throws Exception {
        return t.connect(RelayEndpoint.of(url), new Recorder()).toCompletableFuture().get(WAIT, TimeUnit.SECONDS);
    }

    private TestServer server(Optional<javax.net.ssl.SSLContext> tls) throws Exception {
        TestServer s = TestServer.start(List.of(ScriptedEndpoint.config("/ws", log, List.of(), false)), tls);
        cleanup.add(s);
        return s;
    }

    @Test
    void aNameFromTheResolverConnectsToTheAddressItGave() throws Exception {
        TestServer s = server(Optional.empty());
        Transport t = transport(policy(Map.of("r1.relays.test", List.of("127.0.0.1")), true), Map.of());
        Result<RelayConnection> c = connect(t, "ws://r1.relays.test:" + s.port() + "/ws");
        assertTrue(c.isOk(), c::toString);
        assertEquals(List.of("r1.relays.test"), resolved);
    }

    @Test
    void aPublicAddressFirstAndLoopbackNextIsRefusedBeforeAnySocket() throws Exception {
        TestServer s = server(Optional.empty());
        // 203.0.113.7 is a documentation address; the refusal comes before any socket, so nothing is sent to it.
        Transport t = transport(policy(Map.of("rebind.relays.test", List.of("203.0.113.7", "127.0.0.1")), false),
                Map.of());
        Result<RelayConnection> c = connect(t, "ws://rebind.relays.test:" + s.port() + "/ws");
        assertEquals(ErrorCode.FORBIDDEN, c.failure().orElseThrow().code(), c::toString);
        String m = c.failure().orElseThrow().message();
        assertTrue(m.contains("refused by the address policy") && m.contains("127.0.0.1"), m);
        assertTrue(log.opened.isEmpty(), "the relay behind 127.0.0.1 saw no connection");
    }

    @Test
    void anUnknownNameSaysSo() throws Exception {
        Transport t = transport(policy(Map.of(), true), Map.of());
        Result<RelayConnection> c = connect(t, "ws://nowhere.relays.test:9/ws");
        assertEquals(ErrorCode.CONNECT_FAILED, c.failure().orElseThrow().code());
        assertTrue(c.failure().orElseThrow().message().contains("unknown host 'nowhere.relays.test'"), c::toString);
    }

    @Test
    void aClosedPortSaysConnectionRefused() throws Exception {
        int port;
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = ss.getLocalPort(); // closed again: nothing listens there now
        }
        Transport t = transport(policy(Map.of("closed.relays.test", List.of("127.0.0.1")), true), Map.of());
        Result<RelayConnection> c = connect(t, "ws://closed.relays.test:" + port + "/ws");
        assertEquals(ErrorCode.CONNECT_FAILED, c.failure().orElseThrow().code());
        String m = c.failure().orElseThrow().message();
        assertTrue(m.contains("connection refused") && m.contains("127.0.0.1"), m);
    }

    @Test
    void aListenerThatNeverAnswersTimesOut() throws Exception {
        ServerSocket ss = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        cleanup.add(ss);
        CountDownLatch accepted = new CountDownLatch(1);
        Thread th = new Thread(() -> {
            try {
                Socket s = ss.accept();
                cleanup.add(s);
                accepted.countDown();
            } catch (java.io.IOException e) {
                // closed
            }
        });
        th.setDaemon(true);
        th.start();
        Transport t = transport(policy(Map.of("silent.relays.test", List.of("127.0.0.1")), true), Map.of());
        CompletableFuture<Result<RelayConnection>> stage = t.connect(
                RelayEndpoint.of("ws://silent.relays.test:" + ss.getLocalPort() + "/ws"), new Recorder()).toCompletableFuture();
        assertTrue(accepted.await(WAIT, TimeUnit.SECONDS));
        scheduler.advance(Duration.ofSeconds(2));
        Result<RelayConnection> c = stage.get(WAIT, TimeUnit.SECONDS);
        assertEquals(ErrorCode.TIMEOUT, c.failure().orElseThrow().code());
        String m = c.failure().orElseThrow().message();
        assertTrue(m.contains("timed out") && m.contains("127.0.0.1"), m);
    }

    @Test
    void tlsVerifiesTheRelaysNameNotTheAddressConnectedTo(@TempDir Path dir) throws Exception {
        TestTls named = TestTls.create(dir.resolve("named"), "relay1.relays.test");
        TestServer s = server(Optional.of(named.serverContext()));
        Transport t = transport(policy(Map.of("relay1.relays.test", List.of("127.0.0.1"),
                "other.relays.test", List.of("127.0.0.1")), true), named.clientSettings());
        Result<RelayConnection> ok = connect(t, "wss://relay1.relays.test:" + s.port() + "/ws");
        assertTrue(ok.isOk(), ok::toString);
        ok.orElseThrow().send("over tls");
        // the same server reached through another name: its certificate does not name it
        Result<RelayConnection> wrong = connect(t, "wss://other.relays.test:" + s.port() + "/ws");
        assertEquals(ErrorCode.CONNECT_FAILED, wrong.failure().orElseThrow().code());
        assertTrue(wrong.failure().orElseThrow().message().contains("TLS handshake failed"), wrong::toString);
    }

    @Test
    void aCertificateNobodyTrustsSaysTls(@TempDir Path dir) throws Exception {
        TestTls selfSigned = TestTls.create(dir.resolve("self"), "relay1.relays.test");
        TestServer s = server(Optional.of(selfSigned.serverContext()));
        Transport t = transport(policy(Map.of("relay1.relays.test", List.of("127.0.0.1")), true), Map.of());
        Result<RelayConnection> c = connect(t, "wss://relay1.relays.test:" + s.port() + "/ws");
        assertEquals(ErrorCode.CONNECT_FAILED, c.failure().orElseThrow().code());
        assertTrue(c.failure().orElseThrow().message().contains("TLS handshake failed"), c::toString);
    }

    @Test
    void tlsSendsTheRelaysNameAsSni(@TempDir Path dir) throws Exception {
        TestTls named = TestTls.create(dir.resolve("sni"), "relay1.relays.test");
        SSLServerSocket ss = (SSLServerSocket) named.serverContext().getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        cleanup.add(ss);
        CompletableFuture<List<String>> sni = new CompletableFuture<>();
        Thread th = new Thread(() -> {
            try (SSLSocket s = (SSLSocket) ss.accept()) {
                s.startHandshake();
                sni.complete(((ExtendedSSLSession) s.getSession()).getRequestedServerNames().stream()
                        .map(n -> ((SNIHostName) n).getAsciiName()).toList());
            } catch (Exception e) {
                sni.completeExceptionally(e);
            }
        });
        th.setDaemon(true);
        th.start();
        Transport t = transport(policy(Map.of("relay1.relays.test", List.of("127.0.0.1")), true), named.clientSettings());
        t.connect(RelayEndpoint.of("wss://relay1.relays.test:" + ss.getLocalPort() + "/ws"), new Recorder());
        assertEquals(List.of("relay1.relays.test"), sni.get(WAIT, TimeUnit.SECONDS));
        assertFalse(resolved.isEmpty());
    }
}
