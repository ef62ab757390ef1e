package io.solconnect.relay.examples.bench.failover;

import io.solconnect.relay.api.ClientStatus;
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
import io.solconnect.relay.examples.server.JetStreamOptions;
import io.solconnect.relay.examples.server.RelayServer;
import io.solconnect.relay.examples.server.RelayServerOptions;
import io.solconnect.relay.examples.server.netns.NamespacedRelay;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * What the failover benchmark and the demo run: local relays on loopback (or, for kernel-made
 * faults, relay processes in their own network namespaces), a sending and a
 * receiving {@link RelayManager} (default configuration, {@code memory} store) in one room, and a
 * thread sending numbered payloads at a steady rate. Not thread-safe: drive it from one thread
 * ({@link #close()} included); the counters it reads are thread-safe.
 */
public final class Rig implements AutoCloseable {

    /** {@link RelayConfig}'s default {@code standbyCount}. */
    public static final int DEFAULT_STANDBYS = 1;

    /** The room both clients use. */
    public static final String ROOM = "bench";

    private final Map<String, RelayServer> relays = new LinkedHashMap<>();
    private final Map<String, NamespacedRelay> namespaced = new LinkedHashMap<>();
    private final Schedulers.CloseableScheduler senderScheduler = Schedulers.system();
    private final Schedulers.CloseableScheduler receiverScheduler = Schedulers.system();
    private final RelayManager sender;
    private final RelayManager receiver;
    private final SeqTracker tracker;
    private final String senderId;
    private final List<Timed<RelayEvent.Failover>> senderFailovers = new ArrayList<>();
    private final List<Timed<RelayEvent.Failover>> receiverFailovers = new ArrayList<>();
    private final AtomicLong sent = new AtomicLong();
    private final SendLog sendLog = new SendLog();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final int standbyCount;
    private volatile String notSteady = "";
    private volatile boolean sending;
    private Thread pump;

    /**
     * A value and when it was seen.
     *
     * @param value   the value
     * @param atNanos {@link System#nanoTime()} when the listener got it
     * @param <T>     the type
     */
    public record Timed<T>(T value, long atNanos) {
    }

    /**
     * Starts the relays and both clients; returns once both clients run (not yet connected).
     *
     * @param relayCount how many relays, 2 or more
     * @throws IOException when a relay cannot bind a port
     */
    public Rig(int relayCount) throws IOException {
        this(relayCount, DEFAULT_STANDBYS);
    }

    /**
     * Starts the relays and both clients with a given number of warm standbys.
     *
     * @param relayCount   how many relays, 2 or more
     * @param standbyCount the clients' {@code standbyCount}
     * @throws IOException when a relay cannot bind a port
     */
    public Rig(int relayCount, int standbyCount) throws IOException {
        this(relayCount, standbyCount, null);
    }

    /**
     * Starts the relays and both clients with a given number of warm standbys and reconnect
     * backoff cap.
     *
     * @param relayCount   how many relays, 2 or more
     * @param standbyCount the clients' {@code standbyCount}
     * @param backoffMax   the clients' {@code backoffMax}, or null for the default
     * @throws IOException when a relay cannot bind a port
     */
    public Rig(int relayCount, int standbyCount, Duration backoffMax) throws IOException {
        this(relayCount, standbyCount, backoffMax, false);
    }

    /**
     * Starts the relays, in this JVM or each as a process in its own network namespace, and both
     * clients.
     *
     * @param relayCount   how many relays, 2 or more
     * @param standbyCount the clients' {@code standbyCount}
     * @param backoffMax   the clients' {@code backoffMax}, or null for the default
     * @param inNamespaces true for {@link NamespacedRelay}s (Linux, root; see
     *                     {@link io.solconnect.relay.examples.server.netns.NetNs#unavailableReason()}),
     *                     listed by {@link #namespacedRelays()}; false for {@link RelayServer}s on
     *                     loopback, listed by {@link #relays()}
     * @throws IOException when a relay cannot bind a port, or a namespace or process cannot be made
     */
    public Rig(int relayCount, int standbyCount, Duration backoffMax, boolean inNamespaces) throws IOException {
        this(relayCount, standbyCount, backoffMax, inNamespaces, null);
    }

    /**
     * Starts a relay fleet on loopback, its relays sharing a NATS JetStream stream (see
     * {@link RelayServer#start(RelayServerOptions, JetStreamOptions)}), and both clients.
     *
     * @param relayCount how many relays, 2 or more
     * @param fleet      the NATS servers and the stream
     * @throws IOException when a relay cannot bind a port or reach NATS
     */
    public Rig(int relayCount, JetStreamOptions fleet) throws IOException {
        this(relayCount, DEFAULT_STANDBYS, null, false, fleet);
    }

    private Rig(int relayCount, int standbyCount, Duration backoffMax, boolean inNamespaces, JetStreamOptions fleet)
            throws IOException {
        this.standbyCount = standbyCount;
        List<RelayEndpoint> endpoints = new ArrayList<>();
        try {
            for (int i = 0; i < relayCount; i++) {
                if (inNamespaces) {
                    NamespacedRelay r = NamespacedRelay.start();
                    RelayEndpoint e = RelayEndpoint.of(r.uri().toString());
                    namespaced.put(e.id(), r);
                    endpoints.add(e);
                } else {
                    RelayServer s = fleet == null ? RelayServer.start()
                            : RelayServer.start(RelayServerOptions.ofDefaults(), fleet);
                    RelayEndpoint e = RelayEndpoint.of(s.uri().toString());
                    relays.put(e.id(), s);
                    endpoints.add(e);
                }
            }
            RelayConfig.Builder b = RelayConfig.custom().relays(endpoints).store(ProviderChoice.of("memory"))
                    .standbyCount(standbyCount);
            if (inNamespaces) { // plain ws to the namespaces' private addresses, which are not loopback
                b.allowedSchemes(Set.of("ws", "wss")).allowPrivateAddresses(true);
            }
            if (backoffMax != null) {
                b.backoffMax(backoffMax);
            }
            RelayConfig config = b.build();
            sender = create(config, senderScheduler);
            receiver = create(config, receiverScheduler);
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        senderId = sender.session();
        tracker = new SeqTracker(senderId);
        receiver.onMessage(m -> tracker.delivered(m.payload(), m.relay(), System.nanoTime()));
        sender.subscribe(RelayEvent.Failover.class, f -> add(senderFailovers, f));
        receiver.subscribe(RelayEvent.Failover.class, f -> add(receiverFailovers, f));
        receiver.start().flatMap(d -> receiver.join(ROOM)).orElseThrow();
        sender.start().flatMap(d -> sender.join(ROOM)).orElseThrow();
    }

    private static RelayManager create(RelayConfig config, Schedulers.CloseableScheduler scheduler) {
        Result<RelayManager> r = RelayManager.create(config, ProviderRegistry.load(), scheduler);
        if (r instanceof Result.Err<RelayManager> e) {
            throw new IllegalStateException("cannot create a client: " + e.error());
        }
        return r.orElseThrow();
    }

    private static <T> void add(List<Timed<T>> list, T value) {
        long now = System.nanoTime();
        synchronized (list) {
            list.add(new Timed<>(value, now));
        }
    }

    /**
     * Starts the sending thread: payloads of {@code size} characters numbered from 1, at
     * {@code rate} per second (it catches up after a stall rather than drifting).
     *
     * @param rate messages per second
     * @param size payload size in characters
     * @param err  where failed sends are reported
     */
    public void startSending(double rate, int size, PrintStream err) {
        sending = true;
        long interval = (long) (1e9 / rate);
        pump = new Thread(() -> {
            long next = System.nanoTime();
            while (sending) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                    continue;
                }
                next += interval;
                long seq = sent.get() + 1;
                sendLog.record(seq, System.nanoTime()); // before it counts as sent: readers find its time
                sent.incrementAndGet();
                sender.send(ROOM, Payloads.make(seq, senderId, System.currentTimeMillis(), size)).whenComplete((r, t) -> {
                    if (r != null && r.isOk()) {
                        acked.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                        tracker.refused(seq);
                        err.println("message " + seq + " failed: " + (r != null ? r.failure().orElseThrow() : t));
                    }
                });
            }
        }, "bench-sender");
        pump.setDaemon(true);
        pump.start();
    }

    /**
     * Stops the sending thread and waits for it.
     *
     * @throws InterruptedException when interrupted
     */
    public void stopSending() throws InterruptedException {
        sending = false;
        if (pump != null) {
            pump.join();
        }
    }

    /**
     * Waits until every message sent was acknowledged and delivered, or the timeout passed.
     *
     * @param timeoutMillis the longest wait
     * @return true when nothing is outstanding
     * @throws InterruptedException when interrupted
     */
    public boolean awaitDrained(long timeoutMillis) throws InterruptedException {
        long end = System.nanoTime() + timeoutMillis * 1_000_000;
        while (System.nanoTime() < end) {
            if (acked.get() + failed.get() >= sent.get() && tracker.complete(sent.get())) {
                return true;
            }
            Thread.sleep(20); // polling counters of running threads; nothing to wait on
        }
        return false;
    }

    /**
     * Waits until both clients have the same primary and at least one open standby each (when
     * standbys are configured), and a
     * message sent after this call was delivered: the clients are paired, though they may still be
     * working through the previous fault (re-sending, catching up, converging). What
     * {@code --storm} injects faults at.
     *
     * @param timeoutMillis the longest wait
     * @return the common primary, or empty on timeout
     * @throws InterruptedException when interrupted
     */
    public Optional<String> awaitPaired(long timeoutMillis) throws InterruptedException {
        long start = System.nanoTime();
        long end = start + timeoutMillis * 1_000_000;
        while (System.nanoTime() < end) {
            var s = sender.status();
            var r = receiver.status();
            if (s.primary().isPresent() && s.primary().equals(r.primary())
                    && (standbyCount == 0 || !s.standby().isEmpty() && !r.standby().isEmpty())
                    && tracker.lastDeliveryNanos() > start
                    && running(s.primary().get())) {
                return s.primary();
            }
            Thread.sleep(10);
        }
        return Optional.empty();
    }

    /**
     * Waits for the steady state a fault is injected into: for {@value #STEADY_MS} ms without a
     * break, both clients are CONNECTED to the same primary (a running relay) with the same set of
     * open standbys (at least one when standbys are configured), the sender holds at most
     * {@value #STEADY_OUTBOX} unacknowledged messages, and the receiver got every message sent in
     * that period up to {@value #STEADY_LAG_MS} ms ago (no backlog, nothing missing). A system
     * still re-sending, catching up or converging after the previous fault is not steady.
     *
     * @param timeoutMillis the longest wait
     * @return the common primary, or empty on timeout
     * @throws InterruptedException when interrupted
     */
    public Optional<String> awaitSteady(long timeoutMillis) throws InterruptedException {
        long end = System.nanoTime() + timeoutMillis * 1_000_000;
        ArrayDeque<long[]> samples = new ArrayDeque<>(); // {nanoTime, sent}
        long since = -1; // when the structural conditions last became true
        ClientStatus s = sender.status();
        ClientStatus r = receiver.status();
        while (System.nanoTime() < end) {
            long now = System.nanoTime();
            samples.addLast(new long[] {now, sent.get()});
            s = sender.status();
            r = receiver.status();
            boolean paired = s.state() == SessionState.CONNECTED && r.state() == SessionState.CONNECTED
                    && s.primary().isPresent() && s.primary().equals(r.primary())
                    && running(s.primary().get())
                    && Set.copyOf(s.standby()).equals(Set.copyOf(r.standby()))
                    && (standbyCount == 0 || !s.standby().isEmpty())
                    && s.outboxDepth() <= STEADY_OUTBOX;
            if (!paired) {
                since = -1;
            } else if (since < 0) {
                since = now;
            }
            while (samples.size() > 1 && now - samples.peekFirst()[0] > STEADY_MS * 1_000_000L) {
                samples.pollFirst();
            }
            if (since >= 0 && now - since >= STEADY_MS * 1_000_000L) {
                long first = samples.peekFirst()[1];
                long upTo = first;
                for (long[] x : samples) {
                    if (now - x[0] >= STEADY_LAG_MS * 1_000_000L) {
                        upTo = x[1];
                    }
                }
                if (tracker.completeBetween(first, upTo)) {
                    return s.primary();
                }
            }
            Thread.sleep(10);
        }
        notSteady = String.format(Locale.ROOT,
                "sender %s on %s+%s outbox %d, receiver %s on %s+%s, first message not delivered: %d of %d sent",
                s.state(), s.primary().orElse("-"), s.standby(), s.outboxDepth(), r.state(), r.primary().orElse("-"),
                r.standby(), tracker.firstMissing(), sent.get());
        return Optional.empty();
    }

    /**
     * Why the last {@link #awaitSteady} that timed out found the clients not steady.
     *
     * @return the conditions when it gave up, or an empty string
     */
    public String notSteadyReason() {
        return notSteady;
    }

    /** How long {@link #awaitSteady} needs its conditions to hold, ms. */
    public static final int STEADY_MS = 400;
    /** Messages sent longer ago than this must have arrived for {@link #awaitSteady}, ms. */
    public static final int STEADY_LAG_MS = 100;
    /** Most unacknowledged messages the sender may hold in {@link #awaitSteady}. */
    public static final int STEADY_OUTBOX = 50;

    /**
     * The relay servers in this JVM by relay id; empty when the relays run in network namespaces.
     *
     * @return the map, in start order
     */
    public Map<String, RelayServer> relays() {
        return relays;
    }

    /**
     * The relay processes in network namespaces by relay id; empty unless the rig was made with
     * {@code inNamespaces}.
     *
     * @return the map, in start order
     */
    public Map<String, NamespacedRelay> namespacedRelays() {
        return namespaced;
    }

    private boolean running(String relayId) {
        RelayServer local = relays.get(relayId);
        if (local != null) {
            return local.running();
        }
        NamespacedRelay r = namespaced.get(relayId);
        return r != null && r.running();
    }

    /**
     * The sending client.
     *
     * @return the client
     */
    public RelayManager sender() {
        return sender;
    }

    /**
     * The receiving client.
     *
     * @return the client
     */
    public RelayManager receiver() {
        return receiver;
    }

    /**
     * The receiver's tally.
     *
     * @return the tracker
     */
    public SeqTracker tracker() {
        return tracker;
    }

    /**
     * Failover events of a client seen at or after a moment.
     *
     * @param ofSender true for the sender's, false for the receiver's
     * @param sinceNanos the moment, on {@link System#nanoTime()}
     * @return the events, oldest first
     */
    public List<Timed<RelayEvent.Failover>> failoversSince(boolean ofSender, long sinceNanos) {
        List<Timed<RelayEvent.Failover>> list = ofSender ? senderFailovers : receiverFailovers;
        synchronized (list) {
            return list.stream().filter(t -> t.atNanos() >= sinceNanos).toList();
        }
    }

    /** When each message was handed to {@code send}. */
    SendLog sendLog() {
        return sendLog;
    }

    /**
     * Messages the sending thread passed to {@code send}.
     *
     * @return the count
     */
    public long sent() {
        return sent.get();
    }

    /**
     * Sends acknowledged by a relay.
     *
     * @return the count
     */
    public long acked() {
        return acked.get();
    }

    /**
     * Sends that completed with an error.
     *
     * @return the count
     */
    public long failed() {
        return failed.get();
    }

    /**
     * When, on the wall clock, {@code Instant} {@code at} was relative to a {@code nanoTime}
     * reference taken together with {@code refWall}.
     *
     * @param at      the instant
     * @param refWall the wall-clock reference
     * @return milliseconds from the reference (negative before it)
     */
    public static double millisAfter(Instant at, Instant refWall) {
        return java.time.Duration.between(refWall, at).toNanos() / 1e6;
    }

    /** Stops the clients and the relays. */
    @Override
    public void close() {
        sending = false;
        if (sender != null) {
            sender.stop();
        }
        if (receiver != null) {
            receiver.stop();
        }
        senderScheduler.close();
        receiverScheduler.close();
        for (RelayServer s : relays.values()) {
            s.close();
        }
        for (NamespacedRelay r : namespaced.values()) {
            r.close();
        }
    }
}
