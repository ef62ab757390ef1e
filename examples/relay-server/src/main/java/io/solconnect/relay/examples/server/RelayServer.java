package io.solconnect.relay.examples.server;

import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerEndpointConfig;
import org.glassfish.grizzly.filterchain.TransportFilter;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.strategies.WorkerThreadIOStrategy;
import org.glassfish.tyrus.container.grizzly.server.WebSocketAddOn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A SolConnect-compatible relay ({@code solconnect-sync}, and the legacy chat path) on a Tyrus
 * server, with fault injection for tests, benchmarks and demos. Thread-safe; every method may be
 * called from any thread.
 *
 * <p>Compatible with the original {@code relay-sync.js}: the same frames and replies. Fixed rough
 * edges: sequence numbers are per room; broadcasts keep the client's {@code messageId}; a retried
 * {@code messageId} is not stored or broadcast again but acknowledged again with its original
 * sequence (a {@code sync_update} with {@code "resend": true}, written again because a member asked
 * for it, is broadcast again, still not stored twice); every accepted message is acknowledged (a chat-path frame that carries a
 * {@code messageId} gets a {@code sync_ack} naming it); {@code sync_request} resumes after
 * {@code lastSyncedSequence} in the room's own sequence; bad input gets {@code {"error": ...}} and the
 * connection stays open; a {@code sync_update} with a bad entry is rejected whole. A chat-path
 * frame makes its sender a room member (as in the original); {@code {"type":"join","roomId":R}} does
 * only that, is not stored or broadcast, and is acknowledged when it carries a {@code messageId};
 * {@code {"type":"resend",...}} (a member asking a sender for serials it missed) is broadcast to
 * the room but not stored.
 * Frames over {@code maxFrameBytes} get an error reply; only frames over twice that close the
 * connection with 1009, because Tyrus would have to buffer them whole.
 *
 * <p>Faults: {@link #kill()}, {@link #blackhole()}, {@link #slow(Duration)}, {@link #heal()},
 * {@link #shutdownGracefully()} and {@link #restart()}.
 */
public final class RelayServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RelayServer.class);

    private final RelayServerOptions options;
    private final Optional<JetStreamOptions> backplane;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final Object lock = new Object();
    private Instance current; // guarded by lock
    private final int port;

    /** One run of the server between a start and a kill or shutdown; a restart makes a new one. */
    private record Instance(HttpServer http, RelayContainer container, FaultFilter faults, SyncRelay relay,
                            Set<RelaySocket> sockets, AtomicBoolean shuttingDown) {

        /** Stops listening and releases the run's threads (the Tyrus container's executors too). */
        void close() {
            http.shutdownNow();
            container.stop();
            relay.close();
        }
    }

    private RelayServer(RelayServerOptions options, Optional<JetStreamOptions> backplane, Clock clock) throws IOException {
        this.options = options;
        this.backplane = backplane;
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "relay-server-delay");
            t.setDaemon(true);
            return t;
        });
        try {
            this.current = startInstance(options.port());
        } catch (IOException | RuntimeException e) {
            timer.shutdownNow();
            throw e;
        }
        this.port = current.http().getListener("relay").getPort();
    }

    /**
     * Starts a relay.
     *
     * @param options where and how
     * @return the running relay
     * @throws IOException when the address cannot be bound
     */
    public static RelayServer start(RelayServerOptions options) throws IOException {
        return new RelayServer(options, Optional.empty(), Clock.systemUTC());
    }

    /**
     * Starts a relay of a fleet: every message it accepts is stored in a NATS JetStream stream
     * shared by the fleet before the sender gets its ack, members on every relay of the fleet get it
     * from there, and {@code sync_request} is answered from the stream, in the stream's sequence.
     * Each run (a {@link #restart()} too) connects anew with empty memory; {@link #kill()} drops the
     * NATS connection with everything else. While the stream cannot store a message within
     * {@link JetStreamOptions#publishTimeout()} the sender gets {@code {"error": ...}}, never an ack.
     *
     * @param options   where and how
     * @param backplane the NATS servers and the stream
     * @return the running relay
     * @throws IOException when the address cannot be bound, NATS cannot be reached or JetStream
     *                     refuses the stream
     */
    public static RelayServer start(RelayServerOptions options, JetStreamOptions backplane) throws IOException {
        return new RelayServer(options, Optional.of(backplane), Clock.systemUTC());
    }

    /** Starts a relay whose rate windows and timestamps follow the given clock (tests). */
    static RelayServer start(RelayServerOptions options, Clock clock) throws IOException {
        return new RelayServer(options, Optional.empty(), clock);
    }

    /**
     * Starts a relay on loopback with the default options and an ephemeral port.
     *
     * @return the running relay
     * @throws IOException when no port can be bound
     */
    public static RelayServer start() throws IOException {
        return start(RelayServerOptions.ofDefaults());
    }

    /** {@code {"type":"relay_info","fleetId":ID}} for a relay of a fleet (the id needs no escaping). */
    static java.util.Optional<String> relayInfo(RelayServerOptions options) {
        return options.fleetId().map(id -> "{\"type\":\"relay_info\",\"fleetId\":\"" + id + "\"}");
    }

    private Instance startInstance(int bindPort) throws IOException {
        int hardLimit = (int) Math.min(Integer.MAX_VALUE - 65_536L, 2L * options.maxFrameBytes());
        SyncRelay relay = backplane.isPresent()
                ? SyncRelay.withBackplane(options, clock, (sink, json) -> JetStreamBackplane.start(backplane.get(), sink, json))
                : new SyncRelay(options, clock);
        RelayContainer container = new RelayContainer(hardLimit + 65_536);
        Set<RelaySocket> sockets = ConcurrentHashMap.newKeySet();
        AtomicBoolean shuttingDown = new AtomicBoolean();
        try {
            container.register(ServerEndpointConfig.Builder.create(RelaySocket.class, options.path())
                    .configurator(new ServerEndpointConfig.Configurator() {
                        @Override
                        public <T> T getEndpointInstance(Class<T> type) {
                            return type.cast(new RelaySocket(relay, sockets, hardLimit, shuttingDown,
                                    options.limits().maxQueuedBytes(), relayInfo(options)));
                        }
                    })
                    .build());
        } catch (DeploymentException e) {
            relay.close();
            throw new IOException("cannot deploy the relay endpoint: " + e.getMessage(), e);
        }
        FaultFilter faults = new FaultFilter(timer);
        HttpServer http = new HttpServer();
        NetworkListener listener = new NetworkListener("relay", options.host(), bindPort);
        listener.getTransport().setIOStrategy(WorkerThreadIOStrategy.getInstance());
        listener.getKeepAlive().setIdleTimeoutInSeconds(-1);
        listener.registerAddOn(new WebSocketAddOn(container, ""));
        AddOn faultAddOn = (l, chain) -> chain.add(chain.indexOfType(TransportFilter.class) + 1, faults);
        listener.registerAddOn(faultAddOn);
        http.addListener(listener);
        try {
            http.start();
        } catch (IOException | RuntimeException e) {
            container.stop();
            relay.close();
            throw e;
        }
        LOG.info("relay listening on ws://{}:{}{}", options.host(), listener.getPort(), options.path());
        return new Instance(http, container, faults, relay, sockets, shuttingDown);
    }

    /**
     * The relay's URL, e.g. {@code ws://127.0.0.1:41234/}. Stays the same across restarts.
     *
     * @return the URL
     */
    public URI uri() {
        String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
        return URI.create("ws://" + host + ":" + port + options.path());
    }

    /**
     * The bound port; the same after {@link #restart()}.
     *
     * @return the port
     */
    public int port() {
        return port;
    }

    /**
     * Whether the relay is listening (false after {@link #kill()} or {@link #shutdownGracefully()}).
     *
     * @return true while running
     */
    public boolean running() {
        synchronized (lock) {
            return current != null;
        }
    }

    /**
     * Open WebSocket sessions.
     *
     * @return the count, 0 when stopped
     */
    public int sessions() {
        synchronized (lock) {
            return current == null ? 0 : current.sockets().size();
        }
    }

    /**
     * Frames dropped unanswered because a connection sent more than
     * {@link RelayServerOptions.Limits#framesPerSecond()} in one second, since the last (re)start.
     *
     * @return the count, 0 when stopped
     */
    public long framesDroppedOverRate() {
        synchronized (lock) {
            return current == null ? 0 : current.relay().framesDroppedOverRate();
        }
    }

    /**
     * Crashes the relay: every TCP connection is reset (SO_LINGER 0, no close frame, no FIN
     * handshake) and the port stops listening. State is lost, as in a process crash. Idempotent.
     */
    public void kill() {
        Instance i;
        synchronized (lock) {
            i = current;
            current = null;
        }
        if (i == null) {
            return;
        }
        i.faults().blackhole(true); // Tyrus must not get a close frame out while we tear down
        i.faults().killAll();
        i.close();
        LOG.info("relay on port {} killed", port);
    }

    /**
     * Makes the relay silent: it stops reading from and writing to every connection, including new
     * ones (their TCP connect succeeds, the handshake is never answered), and sends no FIN. Pings
     * go unanswered. Lasts until {@link #heal()}, {@link #kill()} or {@link #restart()}; frames the
     * relay would have written meanwhile are dropped.
     */
    public void blackhole() {
        synchronized (lock) {
            if (current != null) {
                current.faults().blackhole(true);
                LOG.info("relay on port {} blackholed", port);
            }
        }
    }

    /**
     * Adds latency: every read from every connection (frames and pings alike) is held for
     * {@code extra} before it is processed, so replies and pongs come that much later.
     *
     * @param extra the added delay; zero removes it
     */
    public void slow(Duration extra) {
        if (extra.isNegative()) {
            throw new IllegalArgumentException("extra latency must not be negative, was " + extra);
        }
        synchronized (lock) {
            if (current != null) {
                current.faults().delay(extra.toNanos());
                LOG.info("relay on port {} slowed by {} ms", port, extra.toMillis());
            }
        }
    }

    /** Ends {@link #blackhole()} and {@link #slow(Duration)}: parked reads resume in order. */
    public void heal() {
        synchronized (lock) {
            if (current != null) {
                current.faults().delay(0);
                current.faults().blackhole(false);
                LOG.info("relay on port {} healed", port);
            }
        }
    }

    /**
     * Stops the relay politely: every session gets a 1001 (going away) close frame; the relay waits
     * up to 2 s for the connections to close, then the port stops listening. Idempotent.
     */
    public void shutdownGracefully() {
        Instance i;
        synchronized (lock) {
            i = current;
            current = null;
        }
        if (i == null) {
            return;
        }
        i.faults().delay(0);
        i.faults().blackhole(false);
        i.shuttingDown().set(true);
        for (RelaySocket s : i.sockets().toArray(RelaySocket[]::new)) {
            s.closeGracefully();
        }
        try {
            // let the close frames go out and the clients answer before the sockets are torn down
            if (!i.faults().awaitNoConnections(TimeUnit.SECONDS.toNanos(2))) {
                LOG.debug("{} connections still open after 2 s; closing them", i.faults().connectionCount());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        i.close();
        LOG.info("relay on port {} shut down", port);
    }

    /**
     * Starts the relay again on the same port with empty state, as a restarted process would be.
     * A running relay is killed first.
     *
     * @throws IOException when the port cannot be bound again
     */
    public void restart() throws IOException {
        synchronized (lock) {
            kill();
            current = startInstance(port);
        }
    }

    /** Shuts the relay down gracefully and releases its threads. */
    @Override
    public void close() {
        shutdownGracefully();
        timer.shutdownNow();
    }
}
