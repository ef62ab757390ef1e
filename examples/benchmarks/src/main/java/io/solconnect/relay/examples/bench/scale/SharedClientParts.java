package io.solconnect.relay.examples.bench.scale;

import io.solconnect.relay.api.ProviderChoice;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.spi.LoadBalancer;
import io.solconnect.relay.api.spi.LoadBalancerProvider;
import io.solconnect.relay.api.spi.PluginContext;
import io.solconnect.relay.api.spi.ProtocolProvider;
import io.solconnect.relay.api.spi.RelayProtocol;
import io.solconnect.relay.api.spi.RelayStore;
import io.solconnect.relay.api.spi.StoreProvider;
import io.solconnect.relay.api.spi.Transport;
import io.solconnect.relay.api.spi.TransportProvider;
import io.solconnect.relay.core.ProviderRegistry;
import io.solconnect.relay.core.RelayManager;
import io.solconnect.relay.core.Schedulers;

import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every session of {@code bench scale} shares: one {@code tyrus} transport (one Grizzly client
 * container), one scheduler whose threads run every session's engine loop and timers, and one small
 * executor for listeners, send completions, store writes and discovery lookups. Each session gets
 * its own protocol, balancer and {@code memory} store from the provider registry and the transport
 * through {@code RelayManager.Builder.sharedTransport}, so stopping one session never closes the
 * others' connections. Without the builder's executor every {@code RelayManager} would start three
 * threads of its own (listeners, store, discovery).
 *
 * <p>Thread-safe; {@link #close()} once, after every session stopped.
 */
final class SharedClientParts implements AutoCloseable {

    private final RelayConfig config;
    private final ProviderRegistry registry = ProviderRegistry.load();
    private final Schedulers.CloseableScheduler scheduler;
    private final ExecutorService executor;
    private final Transport transport;

    /**
     * @param config           every session's configuration (relays, liveness, failover)
     * @param schedulerThreads threads of the shared scheduler (engine loops and timers)
     * @param executorThreads  threads of the shared listener/store executor
     * @param connectThreads   the transport's connect threads
     */
    SharedClientParts(RelayConfig config, int schedulerThreads, int executorThreads, int connectThreads) {
        this.config = config;
        this.scheduler = Schedulers.system(schedulerThreads);
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(executorThreads, r -> {
            Thread t = new Thread(r, "scale-clients-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.transport = make(TransportProvider.class, config.plugins().transport(),
                Map.of("connectThreads", Integer.toString(connectThreads)), (p, c) -> p.create(c));
    }

    private interface Factory<P, T> {
        Result<T> create(P provider, PluginContext context);
    }

    private <P, T> T make(Class<P> spi, ProviderChoice choice, Map<String, String> extra, Factory<P, T> f) {
        Map<String, String> settings = new java.util.HashMap<>(choice.settings());
        settings.putAll(extra);
        PluginContext ctx = new PluginContext(choice.name(), Map.copyOf(settings), config, scheduler, e -> { });
        return registry.select(spi, choice.name()).flatMap(p -> f.create(p, ctx)).orElseThrow();
    }

    /**
     * Builds one session's client on the shared parts (not started).
     *
     * @return the client
     * @throws io.solconnect.relay.api.RelayException when a provider is missing or refuses the configuration
     */
    RelayManager newClient() {
        RelayProtocol protocol = make(ProtocolProvider.class, config.plugins().protocol(), Map.of(), (p, c) -> p.create(c));
        var strategy = config.selection().strategy();
        LoadBalancer balancer = make(LoadBalancerProvider.class, new ProviderChoice(strategy.algorithm(), strategy.settings()),
                Map.of(), (p, c) -> p.create(c));
        RelayStore store = make(StoreProvider.class, ProviderChoice.of("memory"), Map.of(), (p, c) -> p.create(c));
        return RelayManager.builder(config).sharedTransport(transport).protocol(protocol).loadBalancer(balancer)
                .store(store).scheduler(scheduler).executor(executor).build();
    }

    /** Closes the transport, the executor and the scheduler; call after every client stopped. */
    @Override
    public void close() {
        transport.close();
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        scheduler.close();
    }
}
