package io.solconnect.relay.examples.e2e;

import io.solconnect.relay.api.Delivery;
import io.solconnect.relay.api.InboundMessage;
import io.solconnect.relay.api.ProviderChoice;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.core.ProviderRegistry;
import io.solconnect.relay.core.RelayManager;
import io.solconnect.relay.core.Schedulers;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * One real client for the end-to-end tests: a {@link RelayManager} on the {@code tyrus} transport
 * with its own system scheduler, recording every event and every delivered message. Thread-safe.
 */
final class E2EClient implements AutoCloseable {

    /** Generous limit for anything the tests wait for; only hit when something is broken. */
    static final Duration PATIENCE = Duration.ofSeconds(30);

    private final Schedulers.CloseableScheduler scheduler = Schedulers.system();
    private final RelayManager manager;
    private final List<RelayEvent> events = new ArrayList<>(); // guarded by this
    private final List<InboundMessage> received = new ArrayList<>(); // guarded by this
    private final List<CompletableFuture<Result<Delivery>>> sends = new ArrayList<>(); // guarded by this

    E2EClient(RelayConfig config) {
        Result<RelayManager> created = RelayManager.create(config, ProviderRegistry.load(), scheduler);
        if (created instanceof Result.Err<RelayManager> e) {
            scheduler.close();
            throw new IllegalStateException("cannot create the client: " + e.error());
        }
        manager = created.orElseThrow();
        manager.subscribe(RelayEvent.class, e -> {
            synchronized (this) {
                events.add(e);
                notifyAll();
            }
        });
        manager.onMessage(m -> {
            synchronized (this) {
                received.add(m);
                notifyAll();
            }
        });
    }

    /**
     * A configuration for loopback relays with an in-memory store and a connect timeout short
     * enough that a blackholed relay does not stall a test.
     */
    static RelayConfig.Builder config(URI... relays) {
        RelayConfig.Builder b = RelayConfig.custom()
                .store(ProviderChoice.of("memory"))
                .connectTimeout(Duration.ofSeconds(2));
        for (URI u : relays) {
            b.addRelay(u.toString());
        }
        return b;
    }

    RelayManager manager() {
        return manager;
    }

    /**
     * Joins the room, then starts: with session affinity the room is the key of the very first
     * relay pick, so clients of one room start on the same relay.
     */
    void start(String room) {
        Result<Result.Done> r = manager.join(room).flatMap(d -> manager.start());
        if (r instanceof Result.Err<Result.Done> e) {
            throw new IllegalStateException("cannot start: " + e.error());
        }
    }

    CompletableFuture<Result<Delivery>> send(String room, String payload) {
        CompletableFuture<Result<Delivery>> f = manager.send(room, payload).toCompletableFuture();
        synchronized (this) {
            sends.add(f);
        }
        return f;
    }

    /** Waits until every send so far completed, and returns how many failed. */
    long awaitSends() throws Exception {
        List<CompletableFuture<Result<Delivery>>> all;
        synchronized (this) {
            all = List.copyOf(sends);
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(PATIENCE.toSeconds() * 2, TimeUnit.SECONDS);
        return all.stream().filter(f -> !f.join().isOk()).count();
    }

    synchronized List<RelayEvent> events() {
        return List.copyOf(events);
    }

    synchronized <E extends RelayEvent> List<E> events(Class<E> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    synchronized List<InboundMessage> received() {
        return List.copyOf(received);
    }

    /** Waits for an event of the type that matches, published at index {@code from} or later. */
    <E extends RelayEvent> E awaitEvent(Class<E> type, int from, Predicate<? super E> match) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        synchronized (this) {
            while (true) {
                for (int i = from; i < events.size(); i++) {
                    if (type.isInstance(events.get(i)) && match.test(type.cast(events.get(i)))) {
                        return type.cast(events.get(i));
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no " + type.getSimpleName() + " as expected within " + PATIENCE
                            + "; events: " + events);
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }

    synchronized int eventCount() {
        return events.size();
    }

    /** Waits until at least {@code count} messages were delivered. */
    void awaitReceived(int count) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos() * 2;
        synchronized (this) {
            while (received.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("only " + received.size() + " of " + count + " messages delivered; events: "
                            + events);
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }

    /**
     * Listens up to {@code atMost} for a delivery past the first {@code count}; returns what was
     * delivered by then, at once when one more came. For checks that nothing arrives late.
     */
    List<InboundMessage> listenForMoreThan(int count, Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        synchronized (this) {
            while (received.size() <= count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return List.copyOf(received);
        }
    }

    /** Waits for a condition on this client, rechecked on every event and message and every 20 ms. */
    void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        synchronized (this) {
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("timed out waiting for " + what + "; status " + manager.status()
                            + "; events: " + events);
                }
                // status() changes without an event only through our own waits; poll it gently
                TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(20)));
            }
        }
    }

    @Override
    public void close() {
        try {
            manager.stop();
        } finally {
            scheduler.close();
        }
    }
}
