package io.solconnect.relay.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solconnect.relay.api.Delivery;
import io.solconnect.relay.api.InboundMessage;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.SessionState;
import io.solconnect.relay.core.internal.protocol.Protocols;
import io.solconnect.relay.core.sim.Clients;
import io.solconnect.relay.core.sim.MemStore;
import io.solconnect.relay.core.sim.RendezvousBalancer;
import io.solconnect.relay.core.sim.SimNetwork;
import io.solconnect.relay.core.sim.SimRelay;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The engine on real threads: the system scheduler, the client's own listener and I/O threads,
 * and application threads calling {@code send} concurrently, with a failover in the middle. The
 * simulated relays run on the scheduler's single thread; the test waits on latches, never sleeps.
 */
class RealThreadsSmokeTest {

    @Test
    void concurrentSendersAcrossAFailoverOnRealThreads() throws Exception {
        try (Schedulers.CloseableScheduler sched = Schedulers.system(1)) {
            SimNetwork net = new SimNetwork(sched);
            net.relay("ws://127.0.0.1:9401/");
            net.relay("ws://127.0.0.1:9402/");
            RelayConfig cfg = Clients.config(net).build();
            RelayManager sender = build(net, sched, cfg);
            RelayManager receiver = build(net, sched, cfg);
            List<InboundMessage> inbox = new CopyOnWriteArrayList<>();
            CountDownLatch all = new CountDownLatch(400);
            receiver.onMessage(m -> {
                inbox.add(m);
                all.countDown();
            });
            CountDownLatch connected = new CountDownLatch(2);
            CountDownLatch standbys = new CountDownLatch(2);
            for (RelayManager m : List.of(sender, receiver)) {
                m.subscribe(RelayEvent.Connected.class, e -> {
                    if (e.role() == io.solconnect.relay.api.RelayRole.STANDBY) {
                        standbys.countDown();
                    }
                });
                m.subscribe(RelayEvent.StateChanged.class, e -> {
                    if (e.to() == SessionState.CONNECTED && e.from() == SessionState.CONNECTING) {
                        connected.countDown();
                    }
                });
                m.join("room");
                assertTrue(m.start().isOk());
            }
            assertTrue(connected.await(10, TimeUnit.SECONDS));
            assertTrue(standbys.await(10, TimeUnit.SECONDS));
            List<CompletableFuture<Result<Delivery>>> sends = new CopyOnWriteArrayList<>();
            List<Thread> threads = new ArrayList<>();
            CountDownLatch halfway = new CountDownLatch(4);
            for (int t = 0; t < 4; t++) {
                int id = t;
                Thread th = new Thread(() -> {
                    for (int i = 0; i < 100; i++) {
                        sends.add(sender.send("room", "t" + id + "-" + i).toCompletableFuture());
                        if (i == 50) {
                            halfway.countDown();
                        }
                    }
                });
                threads.add(th);
                th.start();
            }
            assertTrue(halfway.await(10, TimeUnit.SECONDS));
            String primary = sender.status().primary().orElseThrow();
            SimRelay p = net.relayById(primary);
            sched.execute(() -> p.closeAll(1001, "restart"));
            for (Thread th : threads) {
                th.join(10_000);
            }
            for (CompletableFuture<Result<Delivery>> f : sends) {
                assertTrue(f.get(30, TimeUnit.SECONDS).isOk());
            }
            assertTrue(all.await(30, TimeUnit.SECONDS), "received " + inbox.size());
            for (int t = 0; t < 4; t++) {
                String prefix = "t" + t + "-";
                List<String> fromThread = inbox.stream().map(InboundMessage::payload).filter(s -> s.startsWith(prefix)).toList();
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    expected.add(prefix + i);
                }
                assertEquals(expected, fromThread, "per-thread order");
            }
            assertTrue(sender.status().counters().failovers() >= 1);
            sender.stop();
            receiver.stop();
        }
    }

    static RelayManager build(SimNetwork net, Schedulers.CloseableScheduler sched, RelayConfig cfg) {
        return RelayManager.builder(cfg).transport(net.transport()).protocol(Protocols.create(false, cfg))
                .loadBalancer(new RendezvousBalancer()).store(new MemStore()).scheduler(sched).build();
    }
}
