package io.solconnect.relay.examples.bench.fleet;

import io.solconnect.relay.api.RelayEndpoint;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One throughput round of {@code bench fleet --mode throughput}: {@code flooders} fresh clients on
 * one relay (no standbys: there is no other relay), all members of one room, each sending
 * {@code messages / flooders} messages as fast as it may with at most {@code window} unacknowledged,
 * each on its own thread. Every member gets every other member's messages, so a round delivers {@code messages * (flooders - 1)} times.
 * Accepted per second: acknowledgements from the first send to the last acknowledgement; delivered
 * per second: first deliveries to members from the first send to the last delivery. Not
 * thread-safe: one round at a time.
 *
 * @param relay    the relay
 * @param label    what the relay is ({@code backplane} or {@code memory}), for the output
 * @param flooders how many clients
 * @param messages messages per round, all clients together
 * @param window   unacknowledged messages per client at most
 * @param size     payload size in characters
 * @param drain    the longest wait for everything to arrive
 */
record FloodRound(RelayEndpoint relay, String label, int flooders, int messages, int window, int size, Duration drain) {

    private static final long CONNECT_TIMEOUT_MS = 30_000;
    private static final long ACK_TIMEOUT_S = 30;

    /**
     * What one round measured.
     *
     * @param label        the relay's kind
     * @param acceptedPerS acknowledged messages per second
     * @param deliveredPerS first deliveries to members per second
     * @param sent         messages handed to {@code send}
     * @param failed       sends that completed with an error
     * @param lost         deliveries missing when the drain ended
     * @param duplicates   second deliveries of a message to a member
     */
    record Figures(String label, double acceptedPerS, double deliveredPerS, long sent, long failed, long lost,
                   long duplicates) {

        /** One line, {@code key=value} pairs. */
        String format() {
            return String.format(Locale.ROOT, "accepted_per_s=%.0f delivered_per_s=%.0f sent=%d failed=%d lost=%d"
                    + " duplicates=%d", acceptedPerS, deliveredPerS, sent, failed, lost, duplicates);
        }
    }

    /**
     * Runs the round.
     *
     * @param room the room, fresh per round
     * @return the figures
     * @throws InterruptedException  when interrupted
     * @throws IllegalStateException when the clients cannot be created, do not connect, or a send
     *                               waits for a window slot longer than 30 s
     */
    Figures run(String room) throws InterruptedException {
        int per = Math.max(1, messages / flooders);
        DeliveryTally tally = new DeliveryTally(new int[flooders], per);
        AtomicLong acked = new AtomicLong();
        AtomicLong lastAckNanos = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        try (ClientGroup group = new ClientGroup(List.of(relay), "round-robin", 0, new int[flooders], room, tally)) {
            if (!group.awaitConnected(CONNECT_TIMEOUT_MS)) {
                throw new IllegalStateException("the flooders did not all connect to the " + label + " relay within "
                        + CONNECT_TIMEOUT_MS + " ms");
            }
            long start = System.nanoTime();
            List<Thread> threads = new ArrayList<>();
            List<Throwable> problems = new ArrayList<>();
            for (int c = 0; c < flooders; c++) {
                int client = c;
                Semaphore slots = new Semaphore(window);
                Thread t = new Thread(() -> {
                    try {
                        for (int seq = 1; seq <= per; seq++) {
                            if (!slots.tryAcquire(ACK_TIMEOUT_S, TimeUnit.SECONDS)) {
                                throw new IllegalStateException("no acknowledgement for " + ACK_TIMEOUT_S + " s");
                            }
                            int s = seq;
                            tally.sent(client, s, System.nanoTime());
                            group.send(client, s, size).whenComplete((r, x) -> {
                                if (r != null && r.isOk()) {
                                    acked.incrementAndGet();
                                    lastAckNanos.accumulateAndGet(System.nanoTime(), Math::max);
                                } else {
                                    failed.incrementAndGet();
                                    tally.failed(client, s);
                                }
                                slots.release();
                            });
                        }
                    } catch (InterruptedException | RuntimeException e) {
                        synchronized (problems) {
                            problems.add(e);
                        }
                    }
                }, "bench-flooder-" + c);
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join();
            }
            synchronized (problems) {
                if (!problems.isEmpty()) {
                    throw new IllegalStateException("a flooder stopped on the " + label + " relay: " + problems.get(0),
                            problems.get(0));
                }
            }
            long drainEnd = System.nanoTime() + drain.toNanos();
            while (System.nanoTime() < drainEnd
                    && (tally.missing() > 0 || acked.get() + failed.get() < tally.sentTotal())) {
                Thread.sleep(10); // polling counters the clients' threads update
            }
            double acceptedSeconds = Math.max(1, lastAckNanos.get() - start) / 1e9;
            double deliveredSeconds = Math.max(1, tally.lastDeliveryNanos() - start) / 1e9;
            return new Figures(label, acked.get() / acceptedSeconds, tally.deliveries() / deliveredSeconds,
                    tally.sentTotal(), tally.failedTotal(), tally.missing(), tally.duplicates());
        }
    }
}
