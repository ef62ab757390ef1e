package io.solconnect.relay.core;

import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.Scheduler;
import io.solconnect.relay.api.spi.HealthScorer;
import io.solconnect.relay.api.spi.PluginContext;
import io.solconnect.relay.api.spi.RelayStore;
import io.solconnect.relay.api.spi.Transport;
import io.solconnect.relay.core.internal.discovery.ConnectGuard;
import io.solconnect.relay.core.internal.discovery.StaticDiscovery;
import io.solconnect.relay.core.internal.discovery.StaticDiscoveryProvider;
import io.solconnect.relay.core.internal.engine.FailoverEngine;
import io.solconnect.relay.core.internal.events.EventBus;
import io.solconnect.relay.core.internal.events.SerialLane;
import io.solconnect.relay.core.internal.health.DefaultHealthScorerProvider;
import io.solconnect.relay.core.internal.logging.LogContext;
import io.solconnect.relay.core.internal.pool.RelayPool;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running parts of one client, wired from its {@link ClientPlugins}: its threads, event bus,
 * failover engine and relay pool (with the {@code static} source when no discovery source was
 * given), plus the transport and store it owns. Starts them in order and closes them in order.
 *
 * <p>Built by {@link RelayManager}'s constructor; {@link #start()} and {@link #close()} are each
 * called at most once, by the manager, which serialises its lifecycle. The accessors are safe from
 * any thread.
 */
final class ClientParts {

    // logged under the manager's name, as operators have configured it
    private static final Logger log = LoggerFactory.getLogger(RelayManager.class);

    /** How long {@link #close()} waits for the store to finish its queued writes and close. */
    static final Duration STORE_CLOSE_WAIT = Duration.ofSeconds(10);
    /** Events waiting for slow listeners, at most; older ones are dropped and counted. */
    static final int EVENT_QUEUE = 100_000;

    private final RelayConfig config;
    private final LogContext logs;
    private final ClientThreads threads;
    private final EventBus events;
    private final FailoverEngine engine;
    private final RelayPool pool;
    private final Transport transport;
    /** False for a transport shared with other clients: only our connections are ours to close. */
    private final boolean ownsTransport;
    private final RelayStore store;
    /** The {@code static} source (the configuration's relays), when the client has one. */
    private final Optional<StaticDiscovery> staticSource;
    /** The address policy shared by the pool and every plugin: trust, resolvers, connect-time checks. */
    private final ConnectGuard guard;

    ClientParts(ClientPlugins p) {
        // trust is decided by the configuration given, before settings saved from the status page apply
        this.guard = p.provided().map(ClientPlugins.Provided::guard).orElseGet(() -> new ConnectGuard(p.config()));
        this.config = p.provided().isPresent() ? p.config() : SavedSettings.over(p.config(), p.store(), false);
        this.transport = p.transport();
        this.ownsTransport = p.ownsTransport();
        this.store = p.store();
        RandomGenerator random = p.random().orElseGet(SecureRandom::new);
        String session = p.provided().map(ClientPlugins.Provided::session).orElseGet(() -> ClientThreads.hex(random, 4));
        this.logs = new LogContext(session);
        // Every task of this client (engine, timers, pool, discovery, store, listeners) logs with its session key.
        Scheduler sched = logs.wrap(p.scheduler());
        this.threads = new ClientThreads(session, logs, p.executor(), p.provided().map(ClientPlugins.Provided::eventThread));
        this.events = p.provided().map(ClientPlugins.Provided::events)
                .orElseGet(() -> new EventBus(new SerialLane("events " + session, threads.listeners(), EVENT_QUEUE)));
        SerialLane appLane = new SerialLane("messages " + session, threads.listeners(), Integer.MAX_VALUE);
        String sender = config.sender().isEmpty() ? "client-" + ClientThreads.hex(random, 6) : config.sender();
        HealthScorer scorer = p.scorer().orElseGet(() -> new DefaultHealthScorerProvider().create(new PluginContext(
                DefaultHealthScorerProvider.NAME, Map.of(), config, sched, events::publish)).orElseThrow());
        this.engine = new FailoverEngine(config, new FailoverEngine.Parts(p.transport(), p.protocol(), p.balancer(), scorer,
                p.store(), sched, threads.blocking(), events, appLane, random, session, sender));
        List<RelayPool.Source> sources = new ArrayList<>(p.sources());
        if (sources.isEmpty()) {
            sources.add(new RelayPool.Source(StaticDiscoveryProvider.NAME,
                    new StaticDiscovery(config.relays(), StaticDiscoveryProvider.DEFAULT_REFRESH)));
        }
        this.staticSource = sources.stream().map(RelayPool.Source::discovery)
                .filter(StaticDiscovery.class::isInstance).map(StaticDiscovery.class::cast).findFirst();
        this.pool = new RelayPool(sources, guard, p.store(), sched, threads.blocking(), threads.lookups(), events,
                engine::relaysChanged);
    }

    /** The address policy of this client (the pool's and every plugin's). */
    ConnectGuard guard() {
        return guard;
    }

    /** The configuration the client was built with, saved settings applied. */
    RelayConfig config() {
        return config;
    }

    EventBus events() {
        return events;
    }

    FailoverEngine engine() {
        return engine;
    }

    RelayPool pool() {
        return pool;
    }

    RelayStore store() {
        return store;
    }

    Optional<StaticDiscovery> staticSource() {
        return staticSource;
    }

    /** Starts the engine, then (if it started) the pool's discovery; logs with the session key. */
    Result<Result.Done> start() {
        return logs.call(() -> {
            Result<Result.Done> r = engine.start();
            if (r.isOk()) {
                pool.start();
                log.info("started as sender {} with {} relays configured", engine.sender(), config.relays().size());
            }
            return r;
        });
    }

    /**
     * Stops the engine (which closes the client's connections) and the pool, closes the transport
     * unless it is shared with other clients, closes the store after the writes already queued
     * and, when the store runs on the client's own thread, waits for that (at most
     * {@link #STORE_CLOSE_WAIT}), and shuts down the client's own threads. A part that throws is
     * logged and the others are still closed.
     */
    void close() {
        logs.run(this::closeParts);
    }

    private void closeParts() {
        engine.stop();
        pool.close();
        // engine.stop() closed our links; a connect still in flight is closed when it completes
        if (ownsTransport) {
            try {
                transport.close();
            } catch (RuntimeException e) {
                log.warn("transport failed to close", e);
            }
        }
        CompletableFuture<Void> storeClosed = new CompletableFuture<>();
        Runnable closeStore = () -> {
            try {
                store.close();
            } catch (RuntimeException e) {
                log.warn("store failed to close", e);
            } finally {
                storeClosed.complete(null);
            }
        };
        try {
            // after the store writes already queued on the blocking executor
            threads.blocking().execute(closeStore);
        } catch (RejectedExecutionException e) {
            closeStore.run(); // a given executor that was shut down: nothing more can be queued there
        }
        threads.shutdown();
        if (threads.ownsBlocking()) {
            awaitStoreClosed(storeClosed);
        }
        log.info("stopped");
    }

    /** Waits for the store's close, so that a caller may delete its files once stop() returned. */
    private static void awaitStoreClosed(CompletableFuture<Void> storeClosed) {
        try {
            storeClosed.get(STORE_CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("the store was still writing after {} ms; stop() returns without waiting longer",
                    STORE_CLOSE_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("unreachable: the close task completes normally", e);
        }
    }
}
