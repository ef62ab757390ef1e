package io.solconnect.relay.core;

import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.ProviderChoice;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.Scheduler;
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
import io.solconnect.relay.core.internal.discovery.ConnectGuard;
import io.solconnect.relay.core.internal.events.EventBus;
import io.solconnect.relay.core.internal.events.SerialLane;
import io.solconnect.relay.core.internal.logging.LogContext;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assembles a client from the provider registry and a configuration, for
 * {@link RelayManager#create}: the store first (so that the settings saved in it apply, selection
 * included), then the transport, protocol, health scorer, balancer and every discovery source, each
 * selected with {@link ProviderRegistry#select} and created with its settings and a
 * {@link PluginContext}. On the first failure the objects already created are closed again.
 * Stateless; safe from any thread.
 */
final class RegistryAssembly {

    // logged under the manager's name, as operators have configured it
    private static final Logger log = LoggerFactory.getLogger(RelayManager.class);

    private RegistryAssembly() {
    }

    /** See {@link RelayManager#create}. */
    static Result<RelayManager> create(RelayConfig config, ProviderRegistry registry, Scheduler scheduler) {
        String session = ClientThreads.hex(new SecureRandom(), 4);
        LogContext logs = new LogContext(session);
        ExecutorService listeners = Executors.newSingleThreadExecutor(ClientThreads.daemon("solconnect-events-" + session));
        EventBus bus = new EventBus(new SerialLane("events " + session, logs.wrap(listeners), ClientParts.EVENT_QUEUE));
        // trust is decided by the configuration given, before settings saved from the status page apply
        ConnectGuard guard = new ConnectGuard(config);
        ClientPlugins.Provided provided = new ClientPlugins.Provided(registry, session, bus, listeners, guard);
        List<AutoCloseable> made = new ArrayList<>();
        Result<RelayManager> out = logs.call(() -> build(config, scheduler, logs.wrap(scheduler), provided, made));
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

    private static Result<RelayManager> build(RelayConfig given, Scheduler scheduler, Scheduler logged,
                                              ClientPlugins.Provided provided, List<AutoCloseable> made) {
        ProviderRegistry registry = provided.registry();
        ConnectGuard guard = provided.guard();
        Consumer<RelayEvent> sink = provided.events()::publish;
        Result<RelayStore> store = make(registry, StoreProvider.class, given.plugins().store(), given, guard, logged, sink,
                (p, c) -> p.create(c));
        if (!store.isOk()) {
            return Result.err(store.failure().orElseThrow());
        }
        made.add(store.orElseThrow());
        RelayConfig config = SavedSettings.over(given, store.orElseThrow(), true);
        RelayManager.Builder b = RelayManager.builder(config).scheduler(scheduler).store(store.orElseThrow());
        Result<Transport> transport = make(registry, TransportProvider.class, config.plugins().transport(), config, guard, logged, sink,
                (p, c) -> p.create(c));
        if (!transport.isOk()) {
            return Result.err(transport.failure().orElseThrow());
        }
        made.add(transport.orElseThrow());
        b.transport(transport.orElseThrow());
        Result<RelayProtocol> protocol = make(registry, ProtocolProvider.class, config.plugins().protocol(), config, guard, logged, sink,
                (p, c) -> p.create(c));
        if (!protocol.isOk()) {
            return Result.err(protocol.failure().orElseThrow());
        }
        b.protocol(protocol.orElseThrow());
        Result<HealthScorer> scorer = make(registry, HealthScorerProvider.class, config.plugins().healthScorer(), config, guard, logged,
                sink, (p, c) -> p.create(c));
        if (!scorer.isOk()) {
            return Result.err(scorer.failure().orElseThrow());
        }
        b.healthScorer(scorer.orElseThrow());
        Result<LoadBalancer> balancer = balancer(registry, config, guard, logged, sink);
        if (!balancer.isOk()) {
            return Result.err(balancer.failure().orElseThrow());
        }
        b.loadBalancer(balancer.orElseThrow());
        for (ProviderChoice d : config.plugins().discovery()) {
            Result<RelayDiscovery> source = make(registry, DiscoveryProvider.class, d, config, guard, logged, sink,
                    (p, c) -> p.create(c));
            if (!source.isOk()) {
                return Result.err(source.failure().orElseThrow());
            }
            made.add(source.orElseThrow());
            b.discovery(d.name(), source.orElseThrow());
        }
        return Result.ok(b.build(provided));
    }

    /**
     * Creates the balancer {@code config.selection.strategy} names; also used when the strategy
     * changes at run time.
     *
     * @return the balancer, or the provider error
     */
    static Result<LoadBalancer> balancer(ProviderRegistry registry, RelayConfig config, ConnectGuard guard,
                                         Scheduler scheduler, Consumer<RelayEvent> sink) {
        ProviderChoice lb = new ProviderChoice(config.selection().strategy().algorithm(), config.selection().strategy().settings());
        return make(registry, LoadBalancerProvider.class, lb, config, guard, scheduler, sink, (p, c) -> p.create(c));
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
}
