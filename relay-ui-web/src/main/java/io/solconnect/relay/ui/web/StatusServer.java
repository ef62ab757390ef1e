package io.solconnect.relay.ui.web;

import com.sun.net.httpserver.HttpServer;
import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.RelayClient;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.Scheduler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web status page of a {@link RelayClient}: a live status page ({@code /}), a settings page
 * ({@code /settings}) and the JSON/SSE API behind them ({@code /api/status}, {@code /api/relays},
 * {@code /api/failovers}, {@code /api/events}, {@code /api/settings}), served by the JDK's
 * embedded HTTP server.
 *
 * <p>Secure by default: it listens on 127.0.0.1, refuses a {@code Host} header that is not the
 * bound address or {@code localhost} (DNS rebinding) and an {@code Origin} that is not this
 * server's own, and every change needs the random token of this start in the
 * {@value RequestPolicy#TOKEN_HEADER} header. The token is a credential and never logged: the
 * URL is logged at start without it, and the application shows {@link #pageUrl()} (which carries
 * the token in its fragment, read by the page and kept in the tab's session storage; a fragment is
 * never sent to a server) to whoever may use the page, e.g. on standard output.
 *
 * <p>Extra text endpoints ({@link TextEndpoint}, e.g. a Prometheus {@code /metrics} rendered by
 * another module) are served next to the page and always need the token. With
 * {@code allowNonLoopback} every {@code /api/*} request needs the token too, reads and the event
 * stream included (the event stream, which a browser opens without custom headers, also takes it
 * as {@code ?token=}).
 *
 * <p>Requests are served by at most {@value BoundedWorkers#THREADS} worker threads; a client that
 * has not sent its request line and headers within {@code requestReadTimeout} is disconnected, so
 * slow clients cannot hold the workers.
 *
 * <p>Thread-safe. Start one with {@link #start}; {@link #close()} stops it.
 */
public final class StatusServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StatusServer.class);
    private static final int MAX_EVENT_STREAMS = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpServer server;
    private final BoundedWorkers workers;
    private final ScheduledExecutorService ownScheduler;
    private final EventHub events;
    private final URI url;
    private final String token;
    private final AtomicBoolean closed = new AtomicBoolean();

    private StatusServer(HttpServer server, BoundedWorkers workers, ScheduledExecutorService ownScheduler,
                         EventHub events, URI url, String token) {
        this.server = server;
        this.workers = workers;
        this.ownScheduler = ownScheduler;
        this.events = events;
        this.url = url;
        this.token = token;
    }

    /**
     * Starts serving {@code client} and logs the page URL (without the token) at INFO. The
     * once-a-second snapshots of the event stream run on a daemon thread of the server's own.
     *
     * @param client  the client to show and reconfigure; the server only calls its
     *                {@code status()}, {@code config()}, {@code subscribe(...)} and
     *                {@code reconfigure(...)} methods
     * @param options where to listen and what to allow
     * @return the running server, or an {@link ErrorCode#IO} error if the address cannot be bound
     */
    public static Result<StatusServer> start(RelayClient client, StatusServerOptions options) {
        return start(client, options, List.of());
    }

    /**
     * Starts serving {@code client} as {@link #start(RelayClient, StatusServerOptions)}, plus extra
     * text endpoints, each behind the token.
     *
     * @param client  the client to show and reconfigure
     * @param options where to listen and what to allow
     * @param extras  extra text endpoints, paths distinct
     * @return the running server, or an {@link ErrorCode#IO} error if the address cannot be bound
     * @throws IllegalArgumentException if two extras share a path
     */
    public static Result<StatusServer> start(RelayClient client, StatusServerOptions options, List<TextEndpoint> extras) {
        ScheduledExecutorService own = Executors.newSingleThreadScheduledExecutor(daemon("relay-status-ticker"));
        try {
            Result<StatusServer> started = start(client, options, new ExecutorScheduler(own), own, List.copyOf(extras));
            if (!started.isOk()) {
                own.shutdownNow();
            }
            return started;
        } catch (RuntimeException e) {
            own.shutdownNow();
            throw e;
        }
    }

    /**
     * Starts serving {@code client}, timing the event stream's snapshots (one per second, and one
     * shortly after each event) with {@code scheduler}, e.g. the engine's or a test's virtual one.
     * Its tasks only queue frames; they never block.
     *
     * @param client    the client to show and reconfigure
     * @param options   where to listen and what to allow
     * @param scheduler runs the snapshot timer
     * @return the running server, or an {@link ErrorCode#IO} error if the address cannot be bound
     */
    public static Result<StatusServer> start(RelayClient client, StatusServerOptions options, Scheduler scheduler) {
        return start(client, options, Objects.requireNonNull(scheduler, "scheduler"), null, List.of());
    }

    private static Result<StatusServer> start(RelayClient client, StatusServerOptions options, Scheduler scheduler,
                                              ScheduledExecutorService ownScheduler, List<TextEndpoint> extras) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(options, "options");
        StaticAssets assets = StaticAssets.load();
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(options.bindAddress(), options.port()), 64);
        } catch (IOException e) {
            return Result.err(ErrorCode.IO, "cannot listen on " + options.bindAddress().getHostAddress() + ":"
                    + options.port() + ": " + e.getMessage());
        }
        int port = server.getAddress().getPort();
        String token = newToken();
        RequestPolicy policy = new RequestPolicy(options.bindAddress(), port, options.allowedHosts(), token);
        BoundedWorkers workers = new BoundedWorkers(options.requestReadTimeout().toMillis(), daemon("relay-status-http"),
                daemon("relay-status-read-deadline"));
        EventHub events = new EventHub(
                () -> JsonViews.status(client.status(), client.config().selection().healthCheckInterval()),
                JsonViews::event, scheduler, MAX_EVENT_STREAMS);
        Router router = new Router(client, options, policy, assets, events, new SettingsApi(client), extras,
                workers::requestRead);
        server.createContext("/", router);
        server.setExecutor(workers);
        events.start(listener -> client.subscribe(RelayEvent.class, listener));
        server.start();
        URI url = URI.create("http://" + host(options) + ":" + port + "/");
        StatusServer running = new StatusServer(server, workers, ownScheduler, events, url, token);
        // Never the token: it is a credential, and log lines travel to aggregators.
        LOG.info("Relay status page: {} (changes need this start's token, in the page URL the application shows{})",
                url, options.readOnly() ? "; read-only mode" : "");
        return Result.ok(running);
    }

    /**
     * The page's base URL, e.g. {@code http://127.0.0.1:43117/}.
     *
     * @return the URL, without the token
     */
    public URI url() {
        return url;
    }

    /**
     * The URL to open in a browser: {@link #url()} with the token in the fragment
     * ({@code #token=...}), so that the page may make changes.
     *
     * @return the URL with the token
     */
    public URI pageUrl() {
        return URI.create(url + "#token=" + token);
    }

    /**
     * The random token of this start (256 bits, base64url), required in the
     * {@value RequestPolicy#TOKEN_HEADER} header of every request that changes something.
     *
     * @return the token
     */
    public String token() {
        return token;
    }

    /** Stops listening, ends the event streams and unsubscribes from the client. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        events.close(); // waits (briefly) until each event stream has sent its last chunk
        server.stop(0);
        if (ownScheduler != null) {
            ownScheduler.shutdownNow();
        }
        workers.close();
        LOG.info("Relay status page stopped: {}", url);
    }

    private static String host(StatusServerOptions options) {
        if (options.bindAddress().isAnyLocalAddress()) {
            return "127.0.0.1";
        }
        String literal = options.bindAddress().getHostAddress();
        int zone = literal.indexOf('%');
        if (zone >= 0) {
            literal = literal.substring(0, zone);
        }
        return literal.contains(":") ? "[" + literal + "]" : literal;
    }

    private static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** For tests: connections closed for not sending their request in time. */
    long connectionsCutOff() {
        return workers.cutOff();
    }

    /** For tests: the number of open event streams. */
    int openEventStreams() {
        return events.openStreams();
    }
}
