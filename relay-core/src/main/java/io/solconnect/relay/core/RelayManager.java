package io.solconnect.relay.core;

import io.solconnect.relay.api.ClientStatus;
import io.solconnect.relay.api.Delivery;
import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.InboundMessage;
import io.solconnect.relay.api.ProviderChoice;
import io.solconnect.relay.api.RelayClient;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.Scheduler;
import io.solconnect.relay.api.Subscription;
import io.solconnect.relay.api.spi.DiscoveryProvider;
import io.solconnect.relay.api.spi.HealthScorer;
import io.solconnect.relay.api.spi.HealthScorerProvider;
import io.solconnect.relay.api.spi.LoadBalancer;
import io.solconnect.relay.api.spi.LoadBalancerProvider;
import io.solconnect.relay.api.spi.PluginContext;
import io.solconnect.relay.api.spi.ProtocolProvider;
import io.solconnect.relay.api.spi.RelayDiscovery;
import io.solconnect.relay.api.spi.RelayProtocol;
import io.solconnect.relay.api.spi.RelayStore;
import io.solconnect.relay.api.spi.StoreProvider;
import io.solconnect.relay.api.spi.Transport;
import io.solconnect.relay.api.spi.TransportProvider;
import io.solconnect.relay.core.internal.config.LiveSettings;
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
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point integrators use: a {@link RelayClient} that keeps one session connected to a
 * fleet of relays, with a warm standby, failover, a bounded outbox and inbound deduplication.
 *
 * <p>Build one either from a configuration and the providers it names
 * ({@link #create(RelayConfig, ProviderRegistry, Scheduler)}), or from plugin objects you built
 * yourself ({@link #builder(RelayConfig)}), which needs no {@link java.util.ServiceLoader}.
 *
 * <p><b>Settings precedence.</b> The configuration given in code (or loaded from a file by the
 * application) comes first; the settings saved from the status page ({@link #reconfigure}) are
 * loaded from the store when the client is built and override the live options: the relay list,
 * {@code liveness} and {@code failover}, and {@code selection} for a client built by
 * {@link #create} (a client from {@link #builder} keeps the balancer it was given, so its given
 * {@code selection} stays). Every other option is always the given one. Saved settings that are
 * unreadable or break a rule are ignored with a warning.
 *
 * <p><b>Threads.</b> Every method is thread-safe and non-blocking, except {@link #send} which,
 * with a durable store, waits for the message to reach the disk before it returns. Engine work
 * runs on the {@link Scheduler}'s threads. Message listeners, event listeners and the completion
 * of send stages run on the listener executor (by default one daemon thread per client named
 * {@code solconnect-listeners-<session>}); store writes run on the blocking executor (by default one
 * daemon thread named {@code solconnect-io-<session>}). When the builder is given an executor, both
 * use it. Discovery lookups run on a third daemon thread, {@code solconnect-discovery-<session>},
 * so that a lookup that waits on a silent server never delays a store write; when the builder is
 * given an executor, lookups run on it too (give one with more than one thread). The client owns the plugin objects it is given and closes
 * them (and its own threads, not the scheduler) in {@link #stop()}.
 */
public final class RelayManager implements RelayClient {

    private static final Logger log = LoggerFactory.getLogger(RelayManager.class);
    /** Events waiting for slow listeners, at most; older ones are dropped and counted. */
    static final int EVENT_QUEUE = 100_000;

    private final RelayConfig config;
    private final FailoverEngine engine;
    private final RelayPool pool;
    private final EventBus events;
    private final Transport transport;
    private final RelayStore store;
    private final Executor blocking;
    private final List<ExecutorService> owned;
    /** The {@code static} source (the configuration's relays), when the client has one. */
    private final Optional<StaticDiscovery> staticSource;
    /** The address policy shared by the pool and every plugin: trust, resolvers, connect-time checks. */
    private final ConnectGuard guard;
    private final Scheduler scheduler;
    private final LogContext logs;
    /** Set when built by {@link #create}: creates a new balancer on reconfiguration. */
    private volatile ProviderRegistry registry;
    // the balancer in use; replaced by reconfigure (synchronized)
    private LoadBalancer balancer;
    private volatile RelayConfig current;
    private final Object lifecycle = new Object();
    private boolean started;
    private boolean stopped;

    private RelayManager(Builder b) {
        this.guard = b.guard != null ? b.guard : new ConnectGuard(b.config);
        RelayConfig config = b.savedApplied ? b.config : withSavedSettings(b.config, b.store, false);
        this.config = config;
        this.current = config;
        this.scheduler = b.scheduler;
        this.transport = b.transport;
        this.store = b.store;
        this.owned = new ArrayList<>();
        RandomGenerator random = b.random != null ? b.random : new SecureRandom();
        String session = b.session != null ? b.session : hex(random, 4);
        this.logs = new LogContext(session);
        // Every task of this client (engine, timers, pool, discovery, store, listeners) logs with its session key.
        Scheduler sched = logs.wrap(b.scheduler);
        Executor listenersExec;
        if (b.executor != null) {
            listenersExec = logs.wrap(b.executor);
            blocking = logs.wrap(b.executor);
        } else {
            ExecutorService l = Executors.newSingleThreadExecutor(daemon("solconnect-listeners-" + session));
            ExecutorService io = Executors.newSingleThreadExecutor(daemon("solconnect-io-" + session));
            owned.add(l);
            owned.add(io);
            listenersExec = logs.wrap(l);
            blocking = logs.wrap(io);
        }
        this.events = b.events != null ? b.events : new EventBus(new SerialLane("events " + session, listenersExec, EVENT_QUEUE));
        SerialLane appLane = new SerialLane("messages " + session, listenersExec, Integer.MAX_VALUE);
        String sender = config.sender().isEmpty() ? "client-" + hex(random, 6) : config.sender();
        HealthScorer scorer = b.scorer;
        if (scorer == null) {
            scorer = new DefaultHealthScorerProvider().create(new PluginContext(DefaultHealthScorerProvider.NAME, Map.of(),
                    config, sched, events::publish)).orElseThrow();
        }
        this.balancer = b.balancer;
        this.engine = new FailoverEngine(config, new FailoverEngine.Parts(b.transport, b.protocol, b.balancer, scorer,
                b.store, sched, blocking, events, appLane, random, session, sender));
        List<RelayPool.Source> sources = new ArrayList<>(b.sources);
        if (sources.isEmpty()) {
            sources.add(new RelayPool.Source(StaticDiscoveryProvider.NAME,
                    new StaticDiscovery(config.relays(), StaticDiscoveryProvider.DEFAULT_REFRESH)));
        }
        this.staticSource = sources.stream().map(RelayPool.Source::discovery)
                .filter(StaticDiscovery.class::isInstance).map(StaticDiscovery.class::cast).findFirst();
        Executor lookups;
        if (b.executor != null) {
            lookups = logs.wrap(b.executor);
        } else {
            ExecutorService d = Executors.newSingleThreadExecutor(daemon("solconnect-discovery-" + session));
            owned.add(d);
            lookups = logs.wrap(d);
        }
        this.pool = new RelayPool(sources, guard, b.store, sched, blocking, lookups, events, engine::relaysChanged);
    }

    /**
     * Builds a client from a configuration and the providers it names: the transport, protocol,
     * store, health scorer, balancer ({@code selection.strategy.algorithm}) and every discovery
     * source, each selected with {@link ProviderRegistry#select} and created with its settings.
     * Objects created before a failure are closed again.
     *
     * @param config    the configuration
     * @param registry  the providers found
     * @param scheduler time and timers (e.g. {@link Schedulers#system()}); not closed by the client
     * @return the client, not started; or the first provider error ({@code unknown_provider},
     *         {@code duplicate_provider}, {@code invalid_config}, {@code provider_failed})
     */
    public static Result<RelayManager> create(RelayConfig config, ProviderRegistry registry, Scheduler scheduler) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(scheduler, "scheduler");
        Builder b = builder(config).scheduler(scheduler);
        // Trust is decided by the configuration given, before settings saved from the status page apply.
        b.guard = new ConnectGuard(config);
        b.session = hex(new SecureRandom(), 4);
        LogContext logs = new LogContext(b.session);
        ExecutorService listeners = Executors.newSingleThreadExecutor(daemon("solconnect-events-" + b.session));
        EventBus bus = new EventBus(new SerialLane("events " + b.session, logs.wrap(listeners), EVENT_QUEUE));
        b.events = bus;
        b.ownedEarly = listeners;
        Consumer<RelayEvent> sink = bus::publish;
        List<AutoCloseable> made = new ArrayList<>();
        Result<RelayManager> out = logs.call(() -> build(config, registry, logs.wrap(scheduler), b, sink, made));
        if (!out.isOk()) {
            for (AutoCloseable c : made) {
                try {
                    c.close();
                } catch (Exception e) {
                    log.warn("closing {} after a failed create", c.getClass().getName(), e);
                }
            }
            listeners.shutdown();
        }
        return out;
    }

    private static Result<RelayManager> build(RelayConfig config, ProviderRegistry registry, Scheduler scheduler,
                                              Builder b, Consumer<RelayEvent> sink, List<AutoCloseable> made) {
        Result<RelayStore> store = make(registry, StoreProvider.class, config.plugins().store(), config, b.guard, scheduler, sink,
                (p, c) -> p.create(c));
        if (!store.isOk()) {
            return Result.err(store.failure().orElseThrow());
        }
        made.add(store.orElseThrow());
        b.store(store.orElseThrow());
        config = withSavedSettings(config, store.orElseThrow(), true);
        b.config = config;
        b.savedApplied = true;
        Result<Transport> transport = make(registry, TransportProvider.class, config.plugins().transport(), config, b.guard, scheduler, sink,
                (p, c) -> p.create(c));
        if (!transport.isOk()) {
            return Result.err(transport.failure().orElseThrow());
        }
        made.add(transport.orElseThrow());
        b.transport(transport.orElseThrow());
        Result<RelayProtocol> protocol = make(registry, ProtocolProvider.class, config.plugins().protocol(), config, b.guard, scheduler, sink,
                (p, c) -> p.create(c));
        if (!protocol.isOk()) {
            return Result.err(protocol.failure().orElseThrow());
        }
        b.protocol(protocol.orElseThrow());
        Result<HealthScorer> scorer = make(registry, HealthScorerProvider.class, config.plugins().healthScorer(), config, b.guard, scheduler,
                sink, (p, c) -> p.create(c));
        if (!scorer.isOk()) {
            return Result.err(scorer.failure().orElseThrow());
        }
        b.healthScorer(scorer.orElseThrow());
        ProviderChoice lb = new ProviderChoice(config.selection().strategy().algorithm(), config.selection().strategy().settings());
        Result<LoadBalancer> balancer = make(registry, LoadBalancerProvider.class, lb, config, b.guard, scheduler, sink,
                (p, c) -> p.create(c));
        if (!balancer.isOk()) {
            return Result.err(balancer.failure().orElseThrow());
        }
        b.loadBalancer(balancer.orElseThrow());
        for (ProviderChoice d : config.plugins().discovery()) {
            Result<RelayDiscovery> source = make(registry, DiscoveryProvider.class, d, config, b.guard, scheduler, sink,
                    (p, c) -> p.create(c));
            if (!source.isOk()) {
                return Result.err(source.failure().orElseThrow());
            }
            made.add(source.orElseThrow());
            b.discovery(d.name(), source.orElseThrow());
        }
        RelayManager m = b.build();
        m.registry = registry;
        return Result.ok(m);
    }

    /**
     * The precedence of settings: what the application gives (built in code or loaded from a file)
     * is overridden by what the status page saved in the store, for the live options only.
     */
    private static RelayConfig withSavedSettings(RelayConfig given, RelayStore store, boolean withSelection) {
        Result<Optional<RelayConfig>> saved;
        try {
            saved = store.loadConfig();
        } catch (RuntimeException e) {
            saved = Result.err(ErrorCode.PROVIDER_FAILED, "the store threw while loading the saved settings: " + e);
        }
        if (!saved.isOk()) {
            log.warn("saved settings not applied: {}", saved.failure().orElseThrow());
            return given;
        }
        Optional<RelayConfig> s = saved.orElseThrow();
        if (s.isEmpty()) {
            return given;
        }
        try {
            RelayConfig merged = LiveSettings.withSaved(given, s.get(), withSelection);
            if (!merged.equals(given)) {
                log.info("applied the settings saved from the status page (relays, {}liveness, failover) over the given "
                        + "configuration", withSelection ? "selection, " : "");
            }
            return merged;
        } catch (IllegalArgumentException e) {
            log.warn("saved settings not applied: {}", e.getMessage());
            return given;
        }
    }

    private interface Factory<P, T> {
        Result<T> create(P provider, PluginContext context);
    }

    private static <P, T> Result<T> make(ProviderRegistry registry, Class<P> spi, ProviderChoice choice, RelayConfig config,
                                         ConnectGuard guard, Scheduler scheduler, Consumer<RelayEvent> sink, Factory<P, T> factory) {
        return registry.select(spi, choice.name()).flatMap(p -> {
            try {
                Result<T> r = factory.create(p, new PluginContext(choice.name(), choice.settings(), config, scheduler, sink,
                        guard));
                return Objects.requireNonNull(r, "create returned null");
            } catch (RuntimeException e) {
                return Result.err(ErrorCode.PROVIDER_FAILED, ProviderRegistry.shortSpiName(spi.getSimpleName())
                        + " provider '" + choice.name() + "' threw while creating: " + e);
            }
        });
    }

    /**
     * Starts a builder for a client made of plugin objects you built yourself.
     *
     * @param config the configuration
     * @return the builder
     */
    public static Builder builder(RelayConfig config) {
        return new Builder(config);
    }

    @Override
    public Result<Result.Done> start() {
        synchronized (lifecycle) {
            if (stopped) {
                return Result.err(ErrorCode.CLOSED, "the client was stopped; build a new one");
            }
            if (started) {
                return Result.ok();
            }
            started = true;
        }
        return logs.call(() -> {
            Result<Result.Done> r = engine.start();
            if (r.isOk()) {
                pool.start();
                log.info("started as sender {} with {} relays configured", engine.sender(), config.relays().size());
            }
            return r;
        });
    }

    @Override
    public void stop() {
        synchronized (lifecycle) {
            if (stopped) {
                return;
            }
            stopped = true;
        }
        logs.run(this::stopParts);
    }

    private void stopParts() {
        engine.stop();
        pool.close();
        try {
            transport.close();
        } catch (RuntimeException e) {
            log.warn("transport failed to close", e);
        }
        // after the store writes already queued on the blocking executor
        blocking.execute(() -> {
            try {
                store.close();
            } catch (RuntimeException e) {
                log.warn("store failed to close", e);
            }
        });
        owned.forEach(ExecutorService::shutdown);
        log.info("stopped");
    }

    @Override
    public CompletionStage<Result<Delivery>> send(String room, String payload) {
        return engine.send(room, payload);
    }

    @Override
    public Result<Result.Done> join(String room) {
        return engine.join(room);
    }

    @Override
    public Subscription onMessage(Consumer<InboundMessage> listener) {
        return engine.onMessage(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public <E extends RelayEvent> Subscription subscribe(Class<E> type, Consumer<? super E> listener) {
        return events.subscribe(type, listener);
    }

    @Override
    public ClientStatus status() {
        return engine.status();
    }

    @Override
    public RelayConfig config() {
        return current;
    }

    /**
     * Applies a new configuration to the running client and saves it through the store.
     *
     * <p>What can change at run time is the allow-list {@link LiveSettings#LIVE}: the relay list
     * (for a client whose relays come from the {@code static} source: built by {@link #builder}
     * without discovery sources, or by {@link #create} with {@code static} among its discovery
     * sources; relays removed are drained), {@code selection} (a new strategy or region creates a
     * new balancer through the registry, so only for clients built by {@link #create}),
     * {@code liveness} and {@code failover}. Links already open keep their ping timing until they
     * reconnect. Any other difference (outbox, dedup, security, plugins, sender, and any option
     * added later) is refused with {@link ErrorCode#INVALID_CONFIG} naming the options by JSON
     * path: restart the client to apply those.
     */
    @Override
    public synchronized Result<Result.Done> reconfigure(RelayConfig newConfig) {
        Objects.requireNonNull(newConfig, "config");
        RelayConfig before = current;
        List<String> fixedFields = LiveSettings.restartOnlyChanges(before, newConfig);
        if (!fixedFields.isEmpty()) {
            return Result.err(ErrorCode.INVALID_CONFIG, "cannot change while the client runs: "
                    + String.join(", ", fixedFields) + "; restart the client to apply them");
        }
        LoadBalancer newBalancer = null;
        boolean strategyChanged = !newConfig.selection().strategy().equals(before.selection().strategy())
                || !newConfig.selection().region().equals(before.selection().region());
        if (strategyChanged) {
            if (registry == null) {
                return Result.err(ErrorCode.INVALID_CONFIG, "selectionStrategy and region can change at run time only "
                        + "for a client built by RelayManager.create(...)");
            }
            ProviderChoice lb = new ProviderChoice(newConfig.selection().strategy().algorithm(),
                    newConfig.selection().strategy().settings());
            Result<LoadBalancer> made = make(registry, LoadBalancerProvider.class, lb, newConfig, guard, scheduler,
                    events::publish, (p, c) -> p.create(c));
            if (!made.isOk()) {
                return Result.err(made.failure().orElseThrow());
            }
            newBalancer = made.orElseThrow();
        }
        if (!newConfig.relays().equals(before.relays())) {
            List<String> refused = new ArrayList<>();
            for (RelayEndpoint r : newConfig.relays()) {
                guard.runTimeRefusal(r).ifPresent(refused::add);
            }
            if (!refused.isEmpty()) {
                return Result.err(ErrorCode.FORBIDDEN, "relays refused by the address policy (only relays in the "
                        + "configuration file are trusted with loopback and private addresses): "
                        + String.join("; ", refused));
            }
            Result<Result.Done> relays = replaceRelays(newConfig);
            if (!relays.isOk()) {
                return relays;
            }
        }
        engine.retune(newConfig, newBalancer != null ? newBalancer : balancer);
        if (newBalancer != null) {
            balancer = newBalancer;
        }
        current = newConfig;
        return store.saveConfig(newConfig);
    }

    /** The one relay replacement path: the {@code static} source takes the new list and is read at once. */
    private Result<Result.Done> replaceRelays(RelayConfig newConfig) {
        if (staticSource.isEmpty()) {
            return Result.err(ErrorCode.INVALID_CONFIG, "this client takes its relays from discovery sources; "
                    + "change them there");
        }
        staticSource.get().replace(newConfig.relays());
        pool.refreshNow(StaticDiscoveryProvider.NAME);
        return Result.ok();
    }

    /** Acknowledgements that named no held message (unknown or repeated ids); for tests and diagnostics. */
    long engineUnknownAcks() {
        return engine.unknownAcks();
    }

    /**
     * The session id that appears in this client's log lines, as the MDC key
     * {@code relay.session}.
     *
     * @return eight hex digits, random per client
     */
    public String session() {
        return engine.session();
    }

    private static String hex(RandomGenerator r, int bytes) {
        byte[] b = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return HexFormat.of().formatHex(b);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Builds a {@link RelayManager} from plugin objects. Not thread-safe. Each setter checks its
     * argument and refuses a second call ({@link IllegalStateException}); {@link #build()} checks
     * that the required parts are there.
     */
    public static final class Builder {
        private RelayConfig config;
        private Transport transport;
        private RelayProtocol protocol;
        private LoadBalancer balancer;
        private HealthScorer scorer;
        private RelayStore store;
        private Scheduler scheduler;
        private Executor executor;
        private RandomGenerator random;
        private EventBus events;
        private ExecutorService ownedEarly;
        private boolean savedApplied;
        private ConnectGuard guard;
        private String session;
        private final List<RelayPool.Source> sources = new ArrayList<>();

        private Builder(RelayConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        private static <T> T once(T current, T value, String name) {
            Objects.requireNonNull(value, name);
            if (current != null) {
                throw new IllegalStateException(name + " was already set");
            }
            return value;
        }

        /**
         * Sets the transport (required).
         *
         * @param transport opens connections
         * @return this builder
         */
        public Builder transport(Transport transport) {
            this.transport = once(this.transport, transport, "transport");
            return this;
        }

        /**
         * Sets the wire protocol (required).
         *
         * @param protocol the codec
         * @return this builder
         */
        public Builder protocol(RelayProtocol protocol) {
            this.protocol = once(this.protocol, protocol, "protocol");
            return this;
        }

        /**
         * Sets the load balancer (required).
         *
         * @param balancer picks relays
         * @return this builder
         */
        public Builder loadBalancer(LoadBalancer balancer) {
            this.balancer = once(this.balancer, balancer, "loadBalancer");
            return this;
        }

        /**
         * Sets the health scorer; default: the {@code default} scorer.
         *
         * @param scorer scores relays
         * @return this builder
         */
        public Builder healthScorer(HealthScorer scorer) {
            this.scorer = once(this.scorer, scorer, "healthScorer");
            return this;
        }

        /**
         * Sets the store (required).
         *
         * @param store keeps history, known relays and the durable outbox
         * @return this builder
         */
        public Builder store(RelayStore store) {
            this.store = once(this.store, store, "store");
            return this;
        }

        /**
         * Adds a discovery source; without any, the configuration's {@code relays} are used as the
         * {@code static} source.
         *
         * @param name      the source name used in events and the store
         * @param discovery the source
         * @return this builder
         * @throws IllegalArgumentException if the name is not a provider-style name or is repeated
         */
        public Builder discovery(String name, RelayDiscovery discovery) {
            if (!ProviderChoice.validName(name)) {
                throw new IllegalArgumentException("discovery name must match [a-z0-9][a-z0-9-]{0,63}, was '" + name + "'");
            }
            if (sources.stream().anyMatch(s -> s.name().equals(name))) {
                throw new IllegalArgumentException("discovery source '" + name + "' was already added");
            }
            sources.add(new RelayPool.Source(name, Objects.requireNonNull(discovery, "discovery")));
            return this;
        }

        /**
         * Sets the scheduler (required): time and timers for the engine and its timing decisions.
         *
         * @param scheduler e.g. {@link Schedulers#system()}
         * @return this builder
         */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = once(this.scheduler, scheduler, "scheduler");
            return this;
        }

        /**
         * Sets the executor for listeners, send completions, store writes and discovery lookups;
         * default: three daemon threads owned by the client (lookups on their own, so that a slow
         * lookup never delays a store write). A single-threaded executor given here runs lookups
         * and store writes one after the other.
         *
         * @param executor runs those tasks; may block in store and discovery work
         * @return this builder
         */
        public Builder executor(Executor executor) {
            this.executor = once(this.executor, executor, "executor");
            return this;
        }

        /**
         * Sets the random source for ids, backoff jitter and the session id; default
         * {@link SecureRandom}. A seeded generator makes a test reproducible.
         *
         * @param random the generator; used under the engine's lock
         * @return this builder
         */
        public Builder random(RandomGenerator random) {
            this.random = once(this.random, random, "random");
            return this;
        }

        /**
         * Builds the client (not started).
         *
         * @return the client
         * @throws IllegalStateException naming a missing required part
         */
        public RelayManager build() {
            for (Map.Entry<String, Object> e : Map.<String, Object>of("transport", opt(transport), "protocol", opt(protocol),
                    "loadBalancer", opt(balancer), "store", opt(store), "scheduler", opt(scheduler)).entrySet()) {
                if (e.getValue() == Boolean.FALSE) {
                    throw new IllegalStateException(e.getKey() + " is required");
                }
            }
            RelayManager m = new RelayManager(this);
            if (ownedEarly != null) {
                m.owned.add(ownedEarly);
            }
            return m;
        }

        private static Object opt(Object o) {
            return o != null;
        }
    }
}
