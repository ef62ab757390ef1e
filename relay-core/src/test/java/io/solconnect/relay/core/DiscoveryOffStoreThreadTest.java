package io.solconnect.relay.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.spi.DiscoveryResult;
import io.solconnect.relay.api.spi.RelayDiscovery;
import io.solconnect.relay.core.internal.protocol.Protocols;
import io.solconnect.relay.core.sim.Clients;
import io.solconnect.relay.core.sim.MemStore;
import io.solconnect.relay.core.sim.RendezvousBalancer;
import io.solconnect.relay.core.sim.SimNetwork;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A discovery lookup that hangs (a DNS server that never answers) must not hold up the store's
 * writes: with the client's default threads, a message is sent, acknowledged and removed from the
 * store's outbox while a second source's lookup is still blocked.
 */
class DiscoveryOffStoreThreadTest {

    @Test
    void aHangingLookupDoesNotDelayStoreWrites() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch lookupStarted = new CountDownLatch(1);
        try (Schedulers.CloseableScheduler sched = Schedulers.system(1)) {
            SimNetwork net = new SimNetwork(sched);
            net.relay("ws://127.0.0.1:9411/");
            // the relay is on loopback, which the engine admits from a plugin source only when allowed
            RelayConfig cfg = Clients.config(net).allowPrivateAddresses(true).build();
            List<RelayEndpoint> relays = cfg.relays();
            MemStore store = new MemStore();
            CountDownLatch removed = new CountDownLatch(1);
            store.afterRemove = removed::countDown;
            RelayManager m = RelayManager.builder(cfg).transport(net.transport()).protocol(Protocols.create(false, cfg))
                    .loadBalancer(new RendezvousBalancer()).store(store).scheduler(sched)
                    .discovery("fixed", new Fixed(relays))
                    .discovery("hanging", new RelayDiscovery() {
                        @Override
                        public Result<DiscoveryResult> discover() {
                            lookupStarted.countDown();
                            try {
                                release.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            return Result.ok(new DiscoveryResult(List.of(), Duration.ofHours(1), List.of()));
                        }

                        @Override
                        public void close() {
                            release.countDown();
                        }
                    })
                    .build();
            try {
                m.join("room");
                assertTrue(m.start().isOk());
                assertTrue(lookupStarted.await(10, TimeUnit.SECONDS), "the hanging lookup began");
                assertTrue(m.send("room", "hello").toCompletableFuture().get(10, TimeUnit.SECONDS).isOk());
                assertTrue(removed.await(10, TimeUnit.SECONDS),
                        "the acknowledged message left the store's outbox while the lookup still hangs");
                assertTrue(release.getCount() == 1, "the lookup was still blocked");
            } finally {
                release.countDown();
                m.stop();
            }
        }
    }

    /** A source that always answers the same relays at once. */
    private record Fixed(List<RelayEndpoint> relays) implements RelayDiscovery {
        @Override
        public Result<DiscoveryResult> discover() {
            return Result.ok(new DiscoveryResult(relays, Duration.ofHours(1), List.of()));
        }

        @Override
        public void close() {
        }
    }
}
