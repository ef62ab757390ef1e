package io.solconnect.relay.core;

import io.solconnect.relay.api.ClientStatus;
import io.solconnect.relay.api.Delivery;
import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.InboundMessage;
import io.solconnect.relay.api.ProviderChoice;
import io.solconnect.relay.api.RelayClient;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.Scheduler;
import io.solconnect.relay.api.Subscription;
import io.solconnect.relay.api.spi.HealthScorer;
import io.solconnect.relay.api.spi.LoadBalancer;
import io.solconnect.relay.api.spi.RelayDiscovery;
import io.solconnect.relay.api.spi.RelayProtocol;
import io.solconnect.relay.api.spi.RelayStore;
import io.solconnect.relay.api.spi.Transport;
import io.solconnect.relay.core.internal.config.LiveSettings;
import io.solconnect.relay.core.internal.engine.FailoverEngine;
import io.solconnect.relay.core.internal.events.EventBus;
import io.solconnect.relay.core.internal.pool.RelayPool;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

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
 * them (and its own threads, not the scheduler) in {@link #stop()}, except a transport given as
 * {@link Builder#sharedTransport shared}, of which it closes only its own connections.
 */
public final class RelayManager implements RelayClient {

    // What the client is made of (wired from the builder's plugins) and what may change while it
    // runs; assembly from the registry is RegistryAssembly's, the settings precedence SavedSettings'.
    private final ClientParts parts;
    private final FailoverEngine engine;
    private final EventBus events;
    private final LiveReconfigure live;
    private final Object lifecycle = new Object();
    private boolean started;
    private boolean stopped;

    private RelayManager(ClientPlugins plugins) {
        this.parts = new ClientParts(plugins);
        this.engine = parts.engine();
        this.events = parts.events();
        this.live = new LiveReconfigure(parts, plugins.balancer(),
                plugins.provided().map(ClientPlugins.Provided::registry), plugins.scheduler());
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
        return RegistryAssembly.create(config, registry, scheduler);
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
        return parts.start();
    }

    @Override
    public void stop() {
        synchronized (lifecycle) {
            if (stopped) {
                return;
            }
            stopped = true;
        }
        parts.close();
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
        return live.current();
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
    public Result<Result.Done> reconfigure(RelayConfig newConfig) {
        return live.apply(newConfig);
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

    /**
     * Builds a {@link RelayManager} from plugin objects. Not thread-safe. Each setter checks its
     * argument and refuses a second call ({@link IllegalStateException}); {@link #build()} checks
     * that the required parts are there.
     */
    public static final class Builder {
        private final RelayConfig config;
        private Transport transport;
        private boolean transportShared;
        private RelayProtocol protocol;
        private LoadBalancer balancer;
        private HealthScorer scorer;
        private RelayStore store;
        private Scheduler scheduler;
        private Executor executor;
        private RandomGenerator random;
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
         * Sets the transport, owned by the client: {@link RelayManager#stop()} closes it. One of this
         * and {@link #sharedTransport} is required.
         *
         * @param transport opens connections
         * @return this builder
         * @throws IllegalStateException if a transport (owned or shared) was already set
         */
        public Builder transport(Transport transport) {
            this.transport = once(this.transport, transport, "transport");
            return this;
        }

        /**
         * Sets a transport that many clients share and that this client does not own, e.g. one
         * WebSocket container for thousands of sessions in one process. The client opens its
         * connections on it and {@link RelayManager#stop()} closes those connections (and lets its
         * connects still in flight be closed when they complete), but never closes the transport:
         * its owner closes it after the last client that uses it stopped. Clients sharing a
         * transport also share what it was built with (connect timeout, message limits, the address
         * policy of its {@code PluginContext}). One of this and {@link #transport} is required.
         *
         * @param transport opens connections; thread-safe, as every {@link Transport} is
         * @return this builder
         * @throws IllegalStateException if a transport (owned or shared) was already set
         */
        public Builder sharedTransport(Transport transport) {
            this.transport = once(this.transport, transport, "transport");
            this.transportShared = true;
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
         * and store writes one after the other, and {@link RelayManager#stop()} then does not wait for the
         * store to close (it closes when this executor runs the task queued for it).
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
            return build(Optional.empty());
        }

        /** As {@link #build()}, for {@link RegistryAssembly}: with what it made before the builder. */
        RelayManager build(ClientPlugins.Provided provided) {
            return build(Optional.of(provided));
        }

        private RelayManager build(Optional<ClientPlugins.Provided> provided) {
            for (Map.Entry<String, Object> e : Map.<String, Object>of("transport", opt(transport), "protocol", opt(protocol),
                    "loadBalancer", opt(balancer), "store", opt(store), "scheduler", opt(scheduler)).entrySet()) {
                if (e.getValue() == Boolean.FALSE) {
                    throw new IllegalStateException(e.getKey() + " is required");
                }
            }
            return new RelayManager(new ClientPlugins(config, transport, !transportShared, protocol, balancer,
                    Optional.ofNullable(scorer), store, scheduler, Optional.ofNullable(executor), Optional.ofNullable(random), sources, provided));
        }

        private static Object opt(Object o) {
            return o != null;
        }
    }
}
