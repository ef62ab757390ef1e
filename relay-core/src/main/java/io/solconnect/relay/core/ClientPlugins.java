package io.solconnect.relay.core;

import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.Scheduler;
import io.solconnect.relay.api.spi.HealthScorer;
import io.solconnect.relay.api.spi.LoadBalancer;
import io.solconnect.relay.api.spi.RelayProtocol;
import io.solconnect.relay.api.spi.RelayStore;
import io.solconnect.relay.api.spi.Transport;
import io.solconnect.relay.core.internal.discovery.ConnectGuard;
import io.solconnect.relay.core.internal.events.EventBus;
import io.solconnect.relay.core.internal.pool.RelayPool;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.random.RandomGenerator;

/**
 * What {@link RelayManager.Builder} collected, handed over in one immutable value to
 * {@link ClientParts}, which wires a client from it. The empty optionals are the builder's
 * defaults. Immutable.
 *
 * @param ownsTransport whether the client closes the transport when it stops (false for a shared one)
 * @param provided what {@link RelayManager#create} made before the builder, when it made the client
 */
record ClientPlugins(RelayConfig config, Transport transport, boolean ownsTransport, RelayProtocol protocol, LoadBalancer balancer,
                     Optional<HealthScorer> scorer, RelayStore store, Scheduler scheduler, Optional<Executor> executor,
                     Optional<RandomGenerator> random, List<RelayPool.Source> sources, Optional<Provided> provided) {

    ClientPlugins {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(balancer, "loadBalancer");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(scheduler, "scheduler");
        sources = List.copyOf(sources);
    }

    /**
     * What {@link RegistryAssembly} made before the builder: the registry (a new strategy at run
     * time creates its balancer there), the session id and the event bus the plugins were given,
     * and the thread that bus runs on (owned by the client from then on), and the address policy the
     * plugins were given (trust decided by the configuration given, before saved settings). The
     * configuration has the saved settings applied already.
     */
    record Provided(ProviderRegistry registry, String session, EventBus events, ExecutorService eventThread,
                    ConnectGuard guard) {
        Provided {
            Objects.requireNonNull(guard, "guard");
            Objects.requireNonNull(registry, "registry");
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(events, "events");
            Objects.requireNonNull(eventThread, "eventThread");
        }
    }
}
