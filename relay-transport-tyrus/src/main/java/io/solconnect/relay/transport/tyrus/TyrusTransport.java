package io.solconnect.relay.transport.tyrus;

import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.Scheduler;
import io.solconnect.relay.api.spi.ConnectionListener;
import io.solconnect.relay.api.spi.RelayConnection;
import io.solconnect.relay.api.spi.RelayPolicy;
import io.solconnect.relay.api.spi.Transport;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.DeploymentException;
import org.glassfish.tyrus.client.ClientManager;
import org.glassfish.tyrus.client.ClientProperties;
import org.glassfish.tyrus.client.SslEngineConfigurator;
import org.glassfish.grizzly.threadpool.ThreadPoolConfig;
import org.glassfish.tyrus.container.grizzly.client.GrizzlyClientProperties;
import org.glassfish.tyrus.core.HandshakeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;

import java.security.NoSuchAlgorithmException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Tyrus transport. One {@link ClientManager} serves every connection; the Grizzly client
 * container is shared ({@link ClientProperties#SHARED_CONTAINER}), so connections share its selector
 * and worker threads instead of starting a thread pool each. Tyrus' connect is blocking (TCP, TLS
 * and the upgrade run on the calling thread), so connects run on a small bounded pool of this
 * transport ({@code connectThreads}); the connect stage itself is bounded by the scheduler, counted
 * from the call. Every connect first resolves the relay's host through the resolver the engine's
 * {@link RelayPolicy} names and checks every address ({@link ConnectTarget}); Tyrus then connects
 * to the checked address and never resolves the name itself. Thread-safe.
 */
final class TyrusTransport implements Transport {

    private static final Logger LOG = LoggerFactory.getLogger(TyrusTransport.class);
    /** Slack over the message limit for the frame header and a second frame arriving in the same read. */
    private static final int READ_BUFFER_SLACK = 64 * 1024;
    private static final long HANDSHAKE_BACKSTOP_MS = 1000;

    private final RelayConfig config;
    private final RelayPolicy policy;
    private final Scheduler scheduler;
    private final TyrusSettings settings;
    /** For ws: Tyrus applies a configured TLS engine to every connection, so plain ones need their own manager. */
    private final ClientManager plain;
    /** For wss: verifies the chain and the host name. */
    private final ClientManager secure;
    private final ExecutorService connectors;
    private final Set<TyrusConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    TyrusTransport(RelayConfig config, RelayPolicy policy, Scheduler scheduler, TyrusSettings settings) {
        this.config = config;
        this.policy = policy;
        this.scheduler = scheduler;
        this.settings = settings;
        this.plain = newManager(config, settings);
        this.secure = newManager(config, settings);
        SslEngineConfigurator ssl = new SslEngineConfigurator(settings.sslContext().orElseGet(TyrusTransport::jdkDefault),
                true, false, false);
        ssl.setHostVerificationEnabled(true);
        secure.getProperties().put(ClientProperties.SSL_ENGINE_CONFIGURATOR, ssl);
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(settings.connectThreads(), settings.connectThreads(),
                30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "solconnect-tyrus-connect-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        this.connectors = pool;
    }

    private static ClientManager newManager(RelayConfig config, TyrusSettings settings) {
        ClientManager client = ClientManager.createClient(AbortableClientContainer.class.getName());
        var p = client.getProperties();
        p.put(ClientProperties.SHARED_CONTAINER, true);
        p.put(ClientProperties.SHARED_CONTAINER_IDLE_TIMEOUT, (int) Math.max(1, settings.idleShutdown().toSeconds()));
        p.put(GrizzlyClientProperties.WORKER_THREAD_POOL_CONFIG, ThreadPoolConfig.defaultConfig()
                .setCorePoolSize(settings.workerThreads()).setMaxPoolSize(settings.workerThreads())
                .setDaemon(true).setPoolName("solconnect-tyrus-worker"));
        // Selector threads keep Grizzly's default (one runner per core): a smaller pool would leave
        // runners unscheduled and the connections registered on them would never see an event.
        // Sessions without idle timeout (the engine's pings watch the link). With one, every frame
        // in or out (re)schedules Tyrus' idle command on the executor the session was created with,
        // and Tyrus shuts that executor down when it counts no live connection left: a miscount
        // (seen in the failover benchmark) made every open session's ping and write fail at once.
        client.setDefaultMaxSessionIdleTimeout(-1);
        p.put(ClientProperties.REDIRECT_ENABLED, false);
        p.put(ClientProperties.RETRY_AFTER_SERVICE_UNAVAILABLE, false);
        // Tyrus' own limit is a backstop a little past ours, so that the scheduler's timeout decides
        // (and reports TIMEOUT) and virtual-time tests are not overtaken by the wall clock.
        p.put(ClientProperties.HANDSHAKE_TIMEOUT,
                (int) Math.min(Integer.MAX_VALUE, config.liveness().connectTimeout().toMillis() + HANDSHAKE_BACKSTOP_MS));
        p.put(ClientProperties.INCOMING_BUFFER_SIZE, config.outbox().maxResumeBytes() + READ_BUFFER_SLACK);
        return client;
    }

    @Override
    public CompletionStage<Result<RelayConnection>> connect(RelayEndpoint endpoint, ConnectionListener listener) {
        if (closed.get()) {
            return CompletableFuture.completedFuture(Result.err(ErrorCode.CLOSED, "transport is closed"));
        }
        if (!config.schemeAllowed(endpoint)) {
            return CompletableFuture.completedFuture(Result.err(ErrorCode.FORBIDDEN, endpoint.id()
                    + ": ws:// is allowed only to loopback hosts unless allowedSchemes contains \"ws\""));
        }
        TyrusConnection conn = new TyrusConnection(endpoint, listener, scheduler, config.outbox().maxMessageBytes(),
                config.outbox().maxResumeBytes(), settings.subprotocols(), connections::remove);
        connections.add(conn);
        var timeout = scheduler.schedule(config.liveness().connectTimeout(), () -> conn.connectFailed(ErrorCode.TIMEOUT,
                endpoint.id() + ": timed out: no WebSocket handshake within " + config.liveness().connectTimeout().toMillis()
                        + " ms" + conn.targetText()));
        conn.connectStage().whenComplete((r, e) -> timeout.cancel());
        try {
            connectors.execute(() -> connectChecked(endpoint, conn));
        } catch (RejectedExecutionException e) {
            conn.connectFailed(ErrorCode.CLOSED, "transport is closed");
        }
        return conn.connectStage();
    }

    /**
     * Resolves the host through the resolver the policy names, refuses the relay when any address
     * is refused (before any socket is opened), and connects to the first address, keeping the
     * name for the {@code Host} header, TLS SNI and certificate host name verification. Runs on a
     * connect thread (resolving and Tyrus' connect block).
     */
    private void connectChecked(RelayEndpoint endpoint, TyrusConnection conn) {
        if (conn.connectStage().toCompletableFuture().isDone()) {
            return; // timed out or transport closed while queued
        }
        Result<ConnectTarget> target;
        try {
            target = ConnectTarget.resolve(endpoint, policy);
        } catch (RuntimeException e) {
            target = Result.err(ErrorCode.CONNECT_FAILED, "cannot resolve '" + endpoint.url().getHost() + "': " + describe(e));
        }
        if (!target.isOk()) {
            var f = target.failure().orElseThrow();
            conn.connectFailed(f.code(), endpoint.id() + ": " + f.message());
            return;
        }
        ConnectTarget to = target.orElseThrow();
        conn.target(to.address());
        ClientEndpointConfig cec = ClientEndpointConfig.Builder.create()
                .preferredSubprotocols(settings.subprotocols())
                .configurator(to.hostHeader())
                .build();
        cec.getUserProperties().put(AbortableClientContainer.CONNECTION_KEY, conn);
        cec.getUserProperties().put(AbortableClientContainer.TLS_HOST_KEY, to.tlsHost());
        try {
            (endpoint.secure() ? secure : plain).connectToServer(conn, cec, to.uri());
        } catch (DeploymentException | java.io.IOException | RuntimeException e) {
            conn.connectFailed(ErrorCode.CONNECT_FAILED, endpoint.id() + ": " + describe(e) + conn.targetText());
        }
    }

    private static SSLContext jdkDefault() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no default TLS context", e);
        }
    }

    /**
     * Turns Tyrus' nested exceptions into one line that starts with the cause: {@code unknown host},
     * {@code connection refused}, {@code timed out}, {@code TLS handshake failed}, or the HTTP
     * status of a refused upgrade; otherwise the messages of the chain.
     */
    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        String cause = "";
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HandshakeException h && h.getHttpStatusCode() > 0) {
                return "handshake refused with HTTP " + h.getHttpStatusCode()
                        + (h.getMessage() == null ? "" : " (" + h.getMessage() + ")");
            }
            if (cause.isEmpty()) {
                cause = cause(t);
            }
            String m = t.getMessage();
            if (m != null && !m.isBlank() && sb.indexOf(m) < 0) {
                if (sb.length() > 0) {
                    sb.append(": ");
                }
                sb.append(m);
            }
        }
        String detail = sb.length() == 0 ? e.getClass().getSimpleName() : sb.toString();
        return cause.isEmpty() ? detail : cause + ": " + detail;
    }

    private static String cause(Throwable t) {
        if (t instanceof java.net.UnknownHostException) {
            return "unknown host";
        }
        if (t instanceof java.net.ConnectException) {
            return "connection refused";
        }
        if (t instanceof java.net.SocketTimeoutException) {
            return "timed out";
        }
        if (t instanceof javax.net.ssl.SSLException || t instanceof java.security.cert.CertificateException) {
            return "TLS handshake failed";
        }
        return "";
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (TyrusConnection c : connections.toArray(TyrusConnection[]::new)) {
            c.connectFailed(ErrorCode.CLOSED, "transport closed");
            c.close(1001, "client shutting down");
        }
        connectors.shutdownNow();
        plain.shutdown();
        secure.shutdown();
        LOG.debug("tyrus transport closed");
    }

    /** For tests: the client manager of plain ({@code ws}) or secure ({@code wss}) connections. */
    ClientManager manager(boolean secureConnections) {
        return secureConnections ? secure : plain;
    }

    /** For tests: the connections that have not ended yet. */
    int openConnections() {
        return connections.size();
    }
}
