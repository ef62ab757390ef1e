package io.solconnect.relay.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.core.internal.protocol.Protocols;
import io.solconnect.relay.core.sim.Clients;
import io.solconnect.relay.core.sim.MemStore;
import io.solconnect.relay.core.sim.RendezvousBalancer;
import io.solconnect.relay.core.sim.SimNetwork;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * {@code stop()} returns only once the store has finished the writes queued before it and is
 * closed: a caller may delete a file store's directory right after. (A clean-clone CI run once
 * failed to delete such a directory because the store was still writing.)
 */
class StopWaitsForStoreTest {

    @Test
    void stopReturnsAfterTheQueuedWritesAndTheStoreClose() throws Exception {
        try (Schedulers.CloseableScheduler sched = Schedulers.system(1)) {
            SimNetwork net = new SimNetwork(sched);
            net.relay("ws://127.0.0.1:9411/");
            RelayConfig cfg = Clients.config(net).build();
            MemStore store = new MemStore();
            CountDownLatch removing = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            store.afterRemove = () -> {
                removing.countDown();
                await(release);
            };
            RelayManager m = RelayManager.builder(cfg).transport(net.transport()).protocol(Protocols.create(false, cfg))
                    .loadBalancer(new RendezvousBalancer()).store(store).scheduler(sched).build();
            Thread caller = Thread.currentThread();
            // releases the store's write once this thread waits inside stop() for the store
            Thread releaser = new Thread(() -> {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!waitsForStore(caller) && System.nanoTime() < deadline) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
                release.countDown();
            }, "releaser");
            try {
                m.join("room");
                assertTrue(m.start().isOk());
                assertTrue(m.send("room", "hello").toCompletableFuture().get(10, TimeUnit.SECONDS).isOk());
                assertTrue(removing.await(10, TimeUnit.SECONDS), "the store began removing the acknowledged message");
                assertFalse(store.closed);
                releaser.start();
                m.stop();
                assertTrue(store.closed, "stop() returned before the store finished writing and closed");
            } finally {
                release.countDown();
                m.stop();
            }
        }
    }

    private static boolean waitsForStore(Thread t) {
        return Arrays.stream(t.getStackTrace()).anyMatch(f -> f.getMethodName().equals("awaitStoreClosed"));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
