package io.solconnect.relay.core.sim;

import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.spi.RelayProtocol;
import io.solconnect.relay.core.RelayManager;
import io.solconnect.relay.core.VirtualScheduler;
import io.solconnect.relay.core.internal.protocol.Protocols;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/** Builds clients wired to a {@link SimNetwork}, all in one virtual time. */
public final class Clients {
    private Clients() {
    }

    /** A client plus what it saw. */
    public static final class Client {
        public final RelayManager manager;
        public final MemStore store;
        public final List<RelayEvent> events = new CopyOnWriteArrayList<>();
        public final List<io.solconnect.relay.api.InboundMessage> inbox = new CopyOnWriteArrayList<>();

        public Client(RelayManager manager, MemStore store) {
            this.manager = manager;
            this.store = store;
            manager.subscribe(RelayEvent.class, events::add);
            manager.onMessage(inbox::add);
        }

        public <E extends RelayEvent> List<E> events(Class<E> type) {
            return events.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    public static RelayConfig.Builder config(SimNetwork net) {
        List<RelayEndpoint> eps = net.relays().stream().map(r -> r.endpoint).toList();
        return RelayConfig.custom().relays(eps);
    }

    public static Client client(SimNetwork net, VirtualScheduler vs, RelayConfig config, long seed) {
        return client(net, vs, config, seed, new MemStore());
    }

    public static Client client(SimNetwork net, VirtualScheduler vs, RelayConfig config, long seed, MemStore store) {
        return client(net, vs, config, seed, store, null);
    }

    /** As {@link #client(SimNetwork, VirtualScheduler, RelayConfig, long, MemStore)} with a given protocol (null: the built-in one the config names). */
    public static Client client(SimNetwork net, VirtualScheduler vs, RelayConfig config, long seed, MemStore store,
                                RelayProtocol protocol) {
        boolean legacy = config.plugins().protocol().name().equals("solconnect-legacy");
        RelayManager m = RelayManager.builder(config)
                .transport(net.transport())
                .protocol(protocol != null ? protocol : Protocols.create(legacy, config))
                .loadBalancer(new RendezvousBalancer())
                .store(store)
                .scheduler(vs)
                .executor(vs::execute)
                .random(new Random(seed))
                .build();
        return new Client(m, store);
    }

    /** A client joined to {@code "room"}, started, with 20 virtual ms to connect. */
    public static Client started(SimNetwork net, VirtualScheduler vs, RelayConfig config, long seed) {
        Client c = client(net, vs, config, seed);
        c.manager.join("room");
        c.manager.start();
        vs.advance(Duration.ofMillis(20));
        return c;
    }
}
