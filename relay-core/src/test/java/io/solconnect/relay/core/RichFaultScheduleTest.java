package io.solconnect.relay.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.solconnect.relay.api.Delivery;
import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.InboundMessage;
import io.solconnect.relay.api.LoadBalancingStrategy;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.spi.LoadBalancer;
import io.solconnect.relay.api.spi.PluginContext;
import io.solconnect.relay.api.spi.RelayStore;
import io.solconnect.relay.balancers.Balancers;
import io.solconnect.relay.core.internal.protocol.Protocols;
import io.solconnect.relay.core.internal.store.FileStoreProvider;
import io.solconnect.relay.core.sim.Clients.Client;
import io.solconnect.relay.core.sim.Clients;
import io.solconnect.relay.core.sim.RendezvousBalancer;
import io.solconnect.relay.core.sim.SimNetwork;
import io.solconnect.relay.core.sim.SimRelay;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded fault schedules richer than {@link RandomFaultScheduleTest}'s: faults that hit one client
 * only (its network, or its connections on one relay), relays with their own latency and jitter,
 * resume answers that come late (so live messages race them), relay restarts that lose the history
 * and start the sequence numbers again, and a client restarted on the durable file store. Some
 * seeds use the default timings and the production balancer (the default {@code p2c-ewma} of the
 * {@code relay-balancers} plugin, seeded), without client restarts, and one of them with (seed 6).
 * After the faults heal and the counts are reached, the session runs 45 virtual seconds more and
 * everything is checked again.
 *
 * <p>What must hold: every message is acknowledged exactly once over the client's lifetimes (a
 * restarted client replays its durable outbox), reaches every client that was never restarted
 * exactly once in its sender's order, and no client gets its own messages back. A relay restart
 * loses what only it held, so relays restart only while another relay holds the room.
 */
class RichFaultScheduleTest {

    static final int CLIENTS = 3;
    static final String ROOM = "room-r";
    static final Duration LINGER = Duration.ofSeconds(45);

    @TempDir
    Path tmp;

    @Test
    void tunedTimingsWithPerClientFaultsJitterLateResumesAndRestarts() throws Exception {
        long failovers = 0;
        for (long seed = 1; seed <= 40; seed++) {
            failovers += new Schedule(seed, false, true, tmp.resolve("t" + seed)).run();
        }
        assertTrue(failovers > 40, "the schedules must cause failovers, had " + failovers);
    }

    @Test
    void defaultTimingsAndTheProductionBalancer() throws Exception {
        long failovers = 0;
        for (long seed = 1; seed <= 12; seed++) {
            failovers += new Schedule(seed, true, false, tmp.resolve("d" + seed)).run();
        }
        assertTrue(failovers > 12, "the schedules must cause failovers, had " + failovers);
    }

    /**
     * Found while writing these schedules: a sender restarted on the durable outbox replays the
     * message its old process had not got acknowledged, then sends new ones. Its new primary
     * dropped the acks of the replayed one and the first two new ones, not of the next; the new
     * standby's catch-up then wrote the acknowledged ones first and the outbox after them, so a
     * member hearing the sender only through that relay delivered c0-67..72 before c0-59, c0-65,
     * c0-66 (the new session's first serial it heard started its order, so it had no gap to wait
     * for). A catch-up now goes in acceptance order.
     */
    @Test
    void aSenderRestartedOnTheDurableOutboxKeepsItsOrderAtEveryMember() throws Exception {
        new Schedule(6, true, true, tmp.resolve("r6")).run();
    }

    /** One seeded schedule. */
    static final class Schedule {
        final long seed;
        final boolean defaults;
        final boolean clientRestarts;
        final Path dir;
        final Random rnd;
        final VirtualScheduler vs = new VirtualScheduler();
        final SimNetwork net = new SimNetwork(vs);
        final List<SimRelay> relays;
        final List<SimNetwork.Port> ports = new ArrayList<>();
        final List<Client> clients = new ArrayList<>();
        /** Every instance each client had, oldest first (client 0 may be restarted). */
        final List<List<Client>> lives = new ArrayList<>();
        final Map<Integer, List<String>> sent = new HashMap<>();
        final Map<Integer, List<CompletableFuture<Result<Delivery>>>> futures = new HashMap<>();
        final RelayConfig base;
        final StringBuilder plan = new StringBuilder();
        boolean restarting;
        /** How many messages each client had sent when client 0 restarted. */
        final Map<Integer, Integer> sentAtRestart = new HashMap<>();

        Schedule(long seed, boolean defaults, boolean clientRestarts, Path dir) {
            this.seed = seed;
            this.defaults = defaults;
            this.clientRestarts = clientRestarts;
            this.dir = dir;
            this.rnd = new Random(seed * 7919);
            relays = List.of(net.relay("ws://127.0.0.1:9201/"), net.relay("ws://127.0.0.1:9202/"),
                    net.relay("ws://127.0.0.1:9203/"));
            for (SimRelay r : relays) {
                r.keepIds = rnd.nextBoolean();
                r.historyLimit = defaults ? 1000 : 300;
                r.latency = Duration.ofMillis(1 + rnd.nextInt(25));
                r.jitter = Duration.ofMillis(rnd.nextInt(15));
                r.jitterRandom = new Random(seed * 31 + r.id().hashCode());
                r.resumeDelay = Duration.ofMillis(rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(150));
                plan.append(String.format("%s lat=%s jit=%s resume=%s; ", r.id(), r.latency.toMillis(),
                        r.jitter.toMillis(), r.resumeDelay.toMillis()));
            }
            RelayConfig.Builder b = Clients.config(net);
            if (!defaults) {
                b.stablePeriod(Duration.ofSeconds(2)).ejectionTime(Duration.ofSeconds(1))
                        .backoff(Duration.ofMillis(100), Duration.ofSeconds(1));
            }
            base = b.build();
        }

        Client newClient(int who) {
            RelayConfig cfg = RelayConfig.from(base).sender("s" + who).build();
            RelayStore store = who == 0 ? fileStore(cfg) : new io.solconnect.relay.core.sim.MemStore();
            LoadBalancer lb = defaults
                    ? Balancers.create(seeded(cfg.selection().strategy()), "").orElseThrow()
                    : new RendezvousBalancer();
            RelayManager m = RelayManager.builder(cfg)
                    .transport(net.transport(ports.get(who)))
                    .protocol(Protocols.create(false, cfg))
                    .loadBalancer(lb)
                    .store(store)
                    .scheduler(vs)
                    .executor(vs::execute)
                    .random(new Random(seed * 31 + who + lives.get(who).size() * 1000L))
                    .build();
            Client c = new Client(m, null);
            lives.get(who).add(c);
            m.join(ROOM);
            m.start();
            return c;
        }

        LoadBalancingStrategy seeded(LoadBalancingStrategy s) {
            Map<String, String> settings = new HashMap<>(s.settings());
            settings.put("seed", Long.toString(seed));
            return new LoadBalancingStrategy(s.algorithm(), s.weights(), s.stickySession(), s.healthWeight(), settings);
        }

        RelayStore fileStore(RelayConfig cfg) {
            return new FileStoreProvider().create(new PluginContext("file", Map.of("directory", dir.toString()), cfg, vs,
                    e -> { })).orElseThrow();
        }

        long run() {
            for (int i = 0; i < CLIENTS; i++) {
                ports.add(new SimNetwork.Port());
                lives.add(new ArrayList<>());
                clients.add(newClient(i));
                sent.put(i, new ArrayList<>());
                futures.put(i, new ArrayList<>());
            }
            vs.advance(Duration.ofMillis(100));
            int faults = 4 + rnd.nextInt(6);
            Set<Integer> restarted = new HashSet<>();
            for (int f = 0; f < faults; f++) {
                long at = rnd.nextInt(3000);
                long lasts = 50 + rnd.nextInt(1450);
                SimRelay target = relays.get(rnd.nextInt(relays.size()));
                int who = rnd.nextInt(CLIENTS);
                int kind = rnd.nextInt(8);
                if (kind == 6 && !restarted.isEmpty()) {
                    kind = 0; // one relay restart per schedule: two could wipe every copy of a message
                }
                if (kind == 6) {
                    restarted.add(f);
                }
                int k = kind;
                plan.append(String.format("@%d %s client=%d kind=%d for %d; ", at, target.id(), who, kind, lasts));
                vs.schedule(Duration.ofMillis(at), () -> inject(target, who, k, true));
                vs.schedule(Duration.ofMillis(at + lasts), () -> inject(target, who, k, false));
            }
            boolean restartClient = rnd.nextInt(3) == 0 && clientRestarts;
            if (restartClient) {
                long at = 500 + rnd.nextInt(2500);
                long down = 10 + rnd.nextInt(500);
                plan.append(String.format("@%d client 0 restarts after %d; ", at, down));
                vs.schedule(Duration.ofMillis(at), () -> {
                    restarting = true;
                    sent.forEach((k, v) -> sentAtRestart.put(k, v.size()));
                    clients.get(0).manager.stop();
                });
                vs.schedule(Duration.ofMillis(at + down), () -> {
                    clients.set(0, newClient(0));
                    restarting = false;
                });
            }
            for (int i = 0; i < CLIENTS; i++) {
                int who = i;
                long t = rnd.nextInt(20);
                int n = 0;
                while (t < 3500) {
                    String payload = "c" + who + "-" + n++;
                    vs.schedule(Duration.ofMillis(t), () -> {
                        if (who == 0 && restarting) {
                            return;
                        }
                        futures.get(who).add(clients.get(who).manager.send(ROOM, payload).toCompletableFuture());
                        sent.get(who).add(payload);
                    });
                    t += 8 + rnd.nextInt(70);
                }
            }
            vs.advance(Duration.ofMillis(4700));
            long deadline = vs.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (vs.nanoTime() < deadline && !settled()) {
                vs.advance(Duration.ofMillis(100));
            }
            check("");
            vs.advance(LINGER);
            check(" after another " + LINGER.toSeconds() + " s");
            long failovers = 0;
            for (List<Client> life : lives) {
                for (Client c : life) {
                    failovers += c.manager.status().counters().failovers();
                    c.manager.stop();
                }
            }
            vs.runUntilIdle();
            return failovers;
        }

        boolean settled() {
            for (int i = 0; i < CLIENTS; i++) {
                if (clients.get(i).manager.status().outboxDepth() != 0) {
                    return false;
                }
                for (int j = 0; j < CLIENTS; j++) {
                    if (j != i && received(i, j).size() < sent.get(j).size()) {
                        return false;
                    }
                }
            }
            return true;
        }

        /** What client {@code i}'s current instance got from client {@code j}. */
        List<String> received(int i, int j) {
            String from = "s" + j;
            return clients.get(i).inbox.stream().filter(m -> m.sender().equals(from)).map(InboundMessage::payload).toList();
        }

        void inject(SimRelay r, int who, int kind, boolean on) {
            switch (kind) {
                case 0 -> {
                    if (on) {
                        r.crashConnections();
                    }
                }
                case 1 -> r.blackhole = on;
                case 2 -> r.dropAcks = on;
                case 3 -> {
                    r.down = on;
                    if (on) {
                        r.crashConnections();
                    }
                }
                case 4 -> ports.get(who).down = on; // this client's network only
                case 5 -> {
                    if (on) {
                        r.crashConnectionsOf("s" + who); // this client's connection to this relay only
                    }
                }
                case 6 -> {
                    if (on) {
                        r.restart();
                    }
                }
                case 7 -> r.pongDelay = on ? Duration.ofMillis(400) : Duration.ZERO;
                default -> throw new IllegalArgumentException();
            }
        }

        void check(String when) {
            StringBuilder st = new StringBuilder();
            for (Client c : clients) {
                var s = c.manager.status();
                st.append(String.format("[%s primary=%s standby=%s depth=%d] ", s.state(), s.primary().orElse("-"),
                        s.standby(), s.outboxDepth()));
            }
            String ctx = "seed " + seed + (defaults ? " (defaults)" : "") + when + " plan " + plan + " status " + st;
            for (int i = 0; i < CLIENTS; i++) {
                Set<String> ids = new HashSet<>();
                int closed = 0;
                for (CompletableFuture<Result<Delivery>> f : futures.get(i)) {
                    Result<Delivery> r = f.getNow(null);
                    if (r != null && r.isOk()) {
                        ids.add(r.orElseThrow().messageId());
                    } else if (r != null && i == 0 && r.failure().orElseThrow().code() == ErrorCode.CLOSED) {
                        closed++; // stopped while held: stays in the durable outbox for the next start
                    } else {
                        fail("send not acknowledged: " + r + "; " + ctx);
                    }
                }
                Map<String, Integer> acks = new HashMap<>();
                for (Client life : lives.get(i)) {
                    for (RelayEvent.MessageAcknowledged a : life.events(RelayEvent.MessageAcknowledged.class)) {
                        acks.merge(a.messageId(), 1, Integer::sum);
                    }
                }
                assertTrue(acks.keySet().containsAll(ids), "a send result without its ack event; " + ctx);
                assertEquals(sent.get(i).size(), acks.size(), "acknowledged ids (" + closed + " replayed after restart); " + ctx);
                assertTrue(acks.values().stream().allMatch(n -> n == 1), "an id acknowledged twice: " + acks + "; " + ctx);
                assertEquals(0, clients.get(i).manager.status().outboxDepth(), ctx);
                String self = "s" + i;
                for (Client life : lives.get(i)) {
                    List<String> echoes = life.inbox.stream().filter(m -> m.sender().equals(self)).map(InboundMessage::payload)
                            .toList();
                    // a restarted client (same sender, new process) may get its history back from a resume
                    if (life == lives.get(i).get(0)) {
                        assertTrue(echoes.isEmpty(), "client " + i + " got its own messages back: " + echoes + "; " + ctx);
                    }
                }
                for (int j = 0; j < CLIENTS; j++) {
                    if (j == i) {
                        continue;
                    }
                    List<String> got = received(i, j);
                    if (lives.get(i).size() == 1) {
                        if (!got.equals(sent.get(j))) {
                            fail("client " + i + " got from s" + j + " " + RandomFaultScheduleTest.diff(sent.get(j), got)
                                    + "; " + ctx);
                        }
                    } else {
                        // A new process knows nothing of the old one: like a member who joins late, it
                        // takes a sender's order from the first message it sees, and history that a
                        // slower relay's resume brings afterwards comes after it; history held only by
                        // a relay that restarted, or by one it is not on, it never gets. It must get
                        // nothing twice, and everything sent after it came back in order.
                        assertEquals(new HashSet<>(got).size(), got.size(), "restarted client " + i + " got a copy from s" + j
                                + ": " + got + "; " + ctx);
                        assertTrue(sent.get(j).containsAll(got), ctx);
                        List<String> after = sent.get(j).subList(sentAtRestart.get(j), sent.get(j).size());
                        List<String> gotAfter = got.stream().filter(after::contains).toList();
                        if (!gotAfter.equals(after)) {
                            fail("restarted client " + i + " got from s" + j + " after its restart "
                                    + RandomFaultScheduleTest.diff(after, gotAfter) + "; " + ctx);
                        }
                    }
                }
            }
        }
    }
}
