package io.solconnect.relay.examples.bench.fleet;

import io.solconnect.relay.api.Delivery;
import io.solconnect.relay.api.LoadBalancingStrategy;
import io.solconnect.relay.api.ProviderChoice;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.SessionState;
import io.solconnect.relay.core.ProviderRegistry;
import io.solconnect.relay.core.RelayManager;
import io.solconnect.relay.core.Schedulers;
import io.solconnect.relay.examples.cli.Payloads;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fresh clients of one round: {@code RelayManager}s (tyrus transport, {@code memory} store,
 * default settings but the given selection strategy with session affinity off and the given number
 * of warm standbys), client {@code i}
 * a member of room {@code prefix + roomOf[i]}, every delivery reported to a {@link DeliveryTally}.
 * Payloads are {@link Payloads} with sender {@code c<i>}, so a receiver knows sender and number
 * without trusting the relay. The clients share one scheduler of four threads (their timers only;
 * each client keeps its own engine loop). Not thread-safe: made, driven and closed by one thread;
 * {@link #send} may be called from another single thread (the pacer).
 */
final class ClientGroup implements AutoCloseable {

    private static final String SENDER_PREFIX = "c";

    private final Schedulers.CloseableScheduler scheduler = Schedulers.system(4);
    private final List<RelayManager> clients = new ArrayList<>();
    private final List<String> rooms = new ArrayList<>();
    private final AtomicLong failovers = new AtomicLong();

    /**
     * Creates, starts and joins the clients; returns before they are connected.
     *
     * @param relays   every relay of the fleet, in the same order for every client
     * @param strategy the load balancer's name, e.g. {@code p2c-ewma}
     * @param standbys the clients' {@code standbyCount}, 0..4
     * @param roomOf   the room index of each client
     * @param prefix   the rooms' name prefix (fresh per round, so no history is replayed)
     * @param tally    where deliveries go
     * @throws IllegalStateException when a client cannot be created (e.g. an unknown strategy)
     */
    ClientGroup(List<RelayEndpoint> relays, String strategy, int standbys, int[] roomOf, String prefix,
                DeliveryTally tally) {
        RelayConfig config = RelayConfig.custom().relays(relays).store(ProviderChoice.of("memory")).standbyCount(standbys)
                .selectionStrategy(LoadBalancingStrategy.of(strategy).withStickySession(false)).build();
        try {
            for (int i = 0; i < roomOf.length; i++) {
                Result<RelayManager> r = RelayManager.create(config, ProviderRegistry.load(), scheduler);
                if (r instanceof Result.Err<RelayManager> e) {
                    throw new IllegalStateException("cannot create a client with strategy " + strategy + ": " + e.error());
                }
                RelayManager m = r.orElseThrow();
                int me = i;
                m.onMessage(msg -> Payloads.parse(msg.payload()).ifPresent(h ->
                        tally.delivered(me, senderIndex(h.from()), h.seq(), System.nanoTime())));
                m.subscribe(RelayEvent.Failover.class, f -> failovers.incrementAndGet());
                clients.add(m);
                String room = prefix + roomOf[i];
                rooms.add(room);
                m.start().flatMap(d -> m.join(room)).orElseThrow();
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private static int senderIndex(String from) {
        if (!from.startsWith(SENDER_PREFIX)) {
            return -1;
        }
        try {
            return Integer.parseInt(from.substring(SENDER_PREFIX.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Waits until every client is connected to a primary.
     *
     * @param timeoutMillis the longest wait
     * @return true when all are
     * @throws InterruptedException when interrupted
     */
    boolean awaitConnected(long timeoutMillis) throws InterruptedException {
        long end = System.nanoTime() + timeoutMillis * 1_000_000;
        while (System.nanoTime() < end) {
            if (clients.stream().allMatch(c -> c.status().state() == SessionState.CONNECTED
                    && c.status().primary().isPresent())) {
                return true;
            }
            Thread.sleep(20); // polling the clients' status; nothing to wait on
        }
        return false;
    }

    /**
     * Client {@code i} sends message {@code seq} to its room.
     *
     * @param i    the client
     * @param seq  the message number
     * @param size the payload size in characters
     * @return the send's completion
     */
    CompletionStage<Result<Delivery>> send(int i, long seq, int size) {
        return clients.get(i).send(rooms.get(i), Payloads.make(seq, SENDER_PREFIX + i, System.currentTimeMillis(), size));
    }

    /**
     * How many clients have each relay as their primary now.
     *
     * @param relays the fleet's relays, in the order wanted
     * @return client counts by relay id (relays without clients count 0), plus {@code "none"} for
     *         clients without a primary when there are any
     */
    Map<String, Integer> primaries(List<RelayEndpoint> relays) {
        Map<String, Integer> out = new LinkedHashMap<>();
        relays.forEach(r -> out.put(r.id(), 0));
        for (RelayManager c : clients) {
            Optional<String> p = c.status().primary();
            out.merge(p.orElse("none"), 1, Integer::sum);
        }
        return out;
    }

    /**
     * Client {@code i}'s primary relay now.
     *
     * @param i the client
     * @return the relay id, empty while it has none
     */
    Optional<String> primaryOf(int i) {
        return clients.get(i).status().primary();
    }

    /**
     * Failovers (primary changes after the first connect) the clients reported.
     *
     * @return the count
     */
    long failovers() {
        return failovers.get();
    }

    /** Stops every client, then the shared scheduler. */
    @Override
    public void close() {
        for (RelayManager c : clients) {
            c.stop();
        }
        scheduler.close();
    }
}
