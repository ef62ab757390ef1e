package io.solconnect.relay.examples.bench.fleet;

import io.solconnect.relay.api.RelayEndpoint;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * One latency round of {@code bench fleet}: fresh clients with one strategy join rooms of
 * {@code roomSize} members; every client sends at a fixed rate into its room (the clients' sends
 * spread evenly over each period by one pacing thread); nothing is measured during the warm-up;
 * then send → {@code onMessage} of every message sent during the measured period is recorded at
 * each other member; then the round waits until every message arrived everywhere (or the drain
 * timeout passed) and listens a little longer for duplicates. Which relay each client has as its
 * primary is read at the end of the measured period. Not thread-safe: one round at a time.
 *
 * @param relays   the fleet's relays
 * @param slow     the slowed relay's id, if any
 * @param strategy the load balancer's name
 * @param standbys the clients' warm standbys ({@code standbyCount})
 * @param clients  how many clients
 * @param roomSize members per room
 * @param rate     messages per second per client
 * @param size     payload size in characters
 * @param warmup   sending before the measured period
 * @param measure  the measured period
 * @param drain    the longest wait for everything to arrive afterwards
 * @param linger   how long to keep listening for duplicates once everything arrived
 */
record LatencyRound(List<RelayEndpoint> relays, Optional<String> slow, String strategy, int standbys, int clients,
                    int roomSize, double rate, int size, Duration warmup, Duration measure, Duration drain, Duration linger) {

    /** How long the clients of a round may take to connect, ms. */
    private static final long CONNECT_TIMEOUT_MS = 30_000;

    /**
     * What one round measured.
     *
     * @param strategy    the load balancer
     * @param p50Ms       median delivery latency of the measured messages, ms
     * @param p99Ms       99th percentile, ms
     * @param p99SlowMs   99th percentile of the messages of clients whose primary was the slowed
     *                    relay at the end of the measured period, ms (NaN for none)
     * @param p99OtherMs  the same for the other clients, ms
     * @param measured    measured deliveries
     * @param sent        messages handed to {@code send}
     * @param failed      sends that completed with an error
     * @param lost        deliveries missing when the drain ended
     * @param duplicates  second deliveries of a message to a member
     * @param onSlow      clients whose primary was the slowed relay at the end of the measured period
     * @param primaries   clients per relay id at that moment
     * @param failovers   primary changes the clients reported during the round
     */
    record Figures(String strategy, double p50Ms, double p99Ms, double p99SlowMs, double p99OtherMs, long measured, long sent, long failed, long lost,
                   long duplicates, int onSlow, Map<String, Integer> primaries, long failovers) {

        /** One line, {@code key=value} pairs. */
        String format(int clients) {
            return String.format(Locale.ROOT, "p50_ms=%.2f p99_ms=%.2f p99_senders_on_slow_ms=%.1f p99_senders_elsewhere_ms=%.1f"
                            + " n=%d sent=%d failed=%d lost=%d duplicates=%d on_slow=%d/%d failovers=%d primaries=%s",
                    p50Ms, p99Ms, p99SlowMs, p99OtherMs, measured, sent, failed, lost,
                    duplicates, onSlow, clients, failovers, primaries.entrySet().stream()
                            .map(e -> e.getValue().toString()).collect(Collectors.joining(",", "[", "]")));
        }
    }

    /**
     * Runs the round.
     *
     * @param roomPrefix the rooms' name prefix, fresh per round
     * @return the figures
     * @throws InterruptedException  when interrupted
     * @throws IllegalStateException when the clients cannot be created or do not connect
     */
    Figures run(String roomPrefix) throws InterruptedException {
        int[] roomOf = new int[clients];
        for (int i = 0; i < clients; i++) {
            roomOf[i] = i / roomSize;
        }
        double seconds = (warmup.toNanos() + measure.toNanos()) / 1e9;
        int perClient = (int) Math.ceil(rate * seconds) + 2;
        DeliveryTally tally = new DeliveryTally(roomOf, perClient);
        AtomicLong acked = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        try (ClientGroup group = new ClientGroup(relays, strategy, standbys, roomOf, roomPrefix, tally)) {
            if (!group.awaitConnected(CONNECT_TIMEOUT_MS)) {
                throw new IllegalStateException("the clients of a " + strategy + " round did not all connect within "
                        + CONNECT_TIMEOUT_MS + " ms: " + group.primaries(relays));
            }
            long interval = (long) (1e9 / (rate * clients));
            long start = System.nanoTime();
            long measureFrom = start + warmup.toNanos();
            long end = measureFrom + measure.toNanos();
            boolean measuring = false;
            for (long k = 0; ; k++) {
                long due = start + k * interval;
                int client = (int) (k % clients);
                int seq = (int) (k / clients) + 1;
                if (due >= end || seq > perClient) {
                    break;
                }
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                if (!measuring && System.nanoTime() >= measureFrom) {
                    tally.startMeasuring(System.nanoTime());
                    measuring = true;
                }
                tally.sent(client, seq, System.nanoTime());
                group.send(client, seq, size).whenComplete((r, t) -> {
                    if (r != null && r.isOk()) {
                        acked.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                        tally.failed(client, seq);
                    }
                });
            }
            tally.stopMeasuring(System.nanoTime());
            Map<String, Integer> primaries = group.primaries(relays);
            boolean[] onSlowRelay = new boolean[clients];
            for (int i = 0; i < clients; i++) {
                onSlowRelay[i] = slow.isPresent() && group.primaryOf(i).equals(slow);
            }
            long drainEnd = System.nanoTime() + drain.toNanos();
            while (System.nanoTime() < drainEnd
                    && (tally.missing() > 0 || acked.get() + failed.get() < tally.sentTotal())) {
                Thread.sleep(20); // polling counters the clients' threads update
            }
            if (tally.missing() == 0) {
                Thread.sleep(linger.toMillis()); // late duplicates, if any, arrive meanwhile
            }
            int onSlow = slow.map(id -> primaries.getOrDefault(id, 0)).orElse(0);
            return new Figures(strategy, tally.percentileMs(50), tally.percentileMs(99),
                    tally.percentileMs(99, i -> onSlowRelay[i]), tally.percentileMs(99, i -> !onSlowRelay[i]), tally.measured(),
                    tally.sentTotal(), tally.failedTotal(), tally.missing(), tally.duplicates(), onSlow, primaries,
                    group.failovers());
        }
    }
}
