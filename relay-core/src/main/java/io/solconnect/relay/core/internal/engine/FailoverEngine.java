package io.solconnect.relay.core.internal.engine;

import io.solconnect.relay.api.ClientStatus;
import io.solconnect.relay.api.Delivery;
import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.FailoverRecord;
import io.solconnect.relay.api.InboundMessage;
import io.solconnect.relay.api.OutboundMessage;
import io.solconnect.relay.api.QualityMetrics;
import io.solconnect.relay.api.RelayCandidate;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.RelayError;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.RelayRole;
import io.solconnect.relay.api.RelayStatus;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.Rooms;
import io.solconnect.relay.api.Scheduler;
import io.solconnect.relay.api.SessionState;
import io.solconnect.relay.api.Subscription;
import io.solconnect.relay.api.spi.CloseInfo;
import io.solconnect.relay.api.spi.ConnectionListener;
import io.solconnect.relay.api.spi.ConnectionRecord;
import io.solconnect.relay.api.spi.HealthScorer;
import io.solconnect.relay.api.spi.LoadBalancer;
import io.solconnect.relay.api.spi.ProtocolFrame;
import io.solconnect.relay.api.spi.RelayConnection;
import io.solconnect.relay.api.spi.RelayProtocol;
import io.solconnect.relay.api.spi.RelayStore;
import io.solconnect.relay.api.spi.SequencedProtocol;
import io.solconnect.relay.api.spi.Transport;
import io.solconnect.relay.core.internal.events.EventBus;
import io.solconnect.relay.core.internal.events.SerialLane;
import io.solconnect.relay.core.internal.monitor.ConnectionMonitor;
import io.solconnect.relay.core.internal.monitor.QualityRecorder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session engine: keeps one primary connection and warm standbys, watches them, fails over,
 * and moves the outbox across relays without losing or duplicating a message.
 *
 * <p><b>Threads.</b> Every transport callback and every connect completion is handed to the
 * engine lane (a serial queue on the scheduler), so the engine never runs inside a transport
 * call. Engine state is guarded by one lock, held briefly and never across blocking work: store
 * writes other than {@code outboxPut} run on the blocking executor; {@code outboxPut} runs in the
 * sender's thread under a separate send lock, so that the message is durable before {@code send}
 * accepts it. Application callbacks (messages, events, send completions) run on lanes over the
 * listener executor, never on an I/O thread and never under the lock.
 */
public final class FailoverEngine {

    private static final Logger log = LoggerFactory.getLogger(FailoverEngine.class);
    /** Failover records kept for the status snapshot. */
    static final int RECENT_FAILOVERS = 100;
    /** Hysteresis above the failover threshold before DEGRADED returns to CONNECTED. */
    static final double RECOVERY_MARGIN = 0.05;
    /** Score change that publishes a HealthChanged event. */
    static final double HEALTH_EVENT_DELTA = 0.05;

    // config and balancer change only through retune(), under the lock; volatile for lock-free reads
    private volatile RelayConfig config;
    private final Transport transport;
    private final RelayProtocol protocol;
    /** The protocol's optional capabilities, asked for once; null when it offers none. */
    private final SequencedProtocol sequencing;
    private volatile LoadBalancer balancer;
    private final HealthScorer scorer;
    private final RelayStore store;
    private final Scheduler scheduler;
    private final Executor blocking;
    private final EventBus events;
    private final SerialLane engineLane;
    private final SerialLane appLane;
    private final RandomGenerator random;
    private final String session;
    private final String sender;
    private final Duration window;
    private volatile Duration ackTimeout;
    private volatile Duration outageWindow;
    private volatile Duration convergeAfter;

    private final ReentrantLock sendLock = new ReentrantLock();
    private final Object lock = new Object();
    private final SessionStateMachine state;
    private final Outbox outbox;
    private final MessageIds ids;
    private final Map<String, Long> roomSerials = new java.util.HashMap<>();
    private final String origin;
    private final Inbound inbound;
    private final Map<String, RelayEntry> relays = new LinkedHashMap<>();
    private final Set<String> rooms = new TreeSet<>();
    private final List<Link> standbys = new ArrayList<>();
    private final ArrayDeque<FailoverRecord> failovers = new ArrayDeque<>();
    private final ArrayDeque<long[]> recentDrops = new ArrayDeque<>();
    private final ArrayDeque<Acked> recentAcked = new ArrayDeque<>();
    private final List<Link> pendingStandbys = new ArrayList<>();
    private Scheduler.Cancellable healthTimer;
    private Scheduler.Cancellable ackTimer;
    private Link primary;
    private Link primaryConnecting;
    private long generations;
    private Instant lastCreatedAt = Instant.MIN;

    // the failover in progress: when it was detected, from where, why
    private long detectedNanos = -1;
    /** When the session first left a relay since it was last where the room meets; -1 when there. */
    private long awaySinceNanos = -1;
    /** When the last failover (of any kind) completed; MIN_VALUE before the first. */
    private long lastFailoverNanos = Long.MIN_VALUE;
    private String failoverFrom;
    private String failoverReason;
    private long offlineSinceNanos = -1;
    private int offlineAttempts;
    private Scheduler.Cancellable wake;
    private long wakeAt = Long.MAX_VALUE;
    private boolean started;

    private long sent;
    private long acknowledged;
    private long failed;
    private long malformed;
    private long failoverCount;
    private long unknownAcks;
    private long resendsAsked;
    private long resent;

    /**
     * Creates an engine; nothing happens before {@link #start()}.
     *
     * @param config    the configuration
     * @param parts     the plugins and runtime pieces
     */
    public FailoverEngine(RelayConfig config, Parts parts) {
        this.config = config;
        this.transport = parts.transport;
        this.protocol = parts.protocol;
        this.sequencing = parts.protocol.sequencing().orElse(null);
        this.balancer = parts.balancer;
        this.scorer = parts.scorer;
        this.store = parts.store;
        this.scheduler = parts.scheduler;
        this.blocking = parts.blocking;
        this.events = parts.events;
        this.appLane = parts.appLane;
        this.random = parts.random;
        this.session = parts.session;
        this.sender = parts.sender;
        this.engineLane = new SerialLane("engine " + session, scheduler::execute, Integer.MAX_VALUE);
        this.window = windowFor(config);
        this.ackTimeout = ackTimeoutFor(config);
        this.outageWindow = outageWindowFor(config);
        this.convergeAfter = convergeAfterFor(config);
        this.state = new SessionStateMachine(session, scheduler, events);
        this.outbox = new Outbox(config.outboxMaxMessages(), config.outboxMaxBytes());
        this.ids = new MessageIds(random);
        this.inbound = new Inbound(lock, scheduler, appLane, new Dedup(config.dedupWindow(), config.dedupMaxEntries(),
                scheduler), new SenderOrder(orderHoldFor(config).toNanos()), ackTimeout.dividedBy(2), session, new Asker());
        this.origin = sender + "/" + session;
    }

    /**
     * Asks the senders of the room for the serials a member is missing. Relays share nothing: a
     * member that comes to a relay its sender has been on all along (so the sender never caught
     * that link up) gets back only what the relay's history still holds, and the messages before
     * that reached no relay the member was on. The request goes out on every open link, since the
     * sender is on some of them; a gap is first asked about once it has stayed open for a ping
     * interval (a copy through a slower relay closes it sooner), then again every ack timeout
     * while it lasts. Called under the lock.
     */
    private final class Asker implements Inbound.GapAsker {
        @Override
        public Duration grace() {
            return config.pingInterval();
        }

        @Override
        public Duration every() {
            return ackTimeout;
        }

        @Override
        public void ask(List<SenderOrder.Gap> gaps) {
            SequencedProtocol sc = sequencing;
            if (sc == null) {
                return;
            }
            List<Link> links = new ArrayList<>();
            if (primary != null && primary.open()) {
                links.add(primary);
            }
            standbys.stream().filter(Link::open).forEach(links::add);
            for (SenderOrder.Gap g : gaps) {
                Optional<String> frame = sc.resendFrame(new SequencedProtocol.Resend(g.room(), g.origin(), g.from(), g.to()), sender);
                if (frame.isEmpty()) {
                    return; // the protocol cannot carry a request
                }
                resendsAsked++;
                log.debug("session {}: missing serials {}..{} of {} in {}; asking on {}", session, g.from(), g.to(),
                        g.origin(), g.room(), links);
                for (Link l : links) {
                    write(l, frame.get());
                }
            }
        }
    }

    /**
     * A member asked for serials of ours it is missing: those still remembered as acknowledged
     * ({@link #recentAcked}, at most half the dedup window back) are written again on the link the
     * request came through, paced like a catch-up, encoded so that a relay which remembers their
     * ids forwards them anyway. A serial written again on the same link within an ack timeout is
     * not written again (members asking at once, or asking again while the first resend is on its
     * way). Unacknowledged ones are the outbox's to deliver. Must hold the lock.
     */
    private void resendFor(Link link, SequencedProtocol.Resend r) {
        SequencedProtocol sc = sequencing;
        if (!r.origin().equals(origin) || !link.open() || sc == null) {
            return;
        }
        long now = scheduler.nanoTime();
        long again = ackTimeout.toNanos();
        List<Link.Frame> frames = new ArrayList<>();
        for (Acked a : recentAcked) {
            if (a.serial < r.from() || a.serial > r.to() || !a.message.room().equals(r.room())
                    || (a.resentOn == link.generation && now - a.resentAtNanos < again)) {
                continue;
            }
            Result<String> f = sc.encodeResent(a.message, new SequencedProtocol.Origin(origin, a.serial));
            if (f.isOk()) {
                frames.add(new Link.Frame(a.id, f.orElseThrow()));
                a.resentOn = link.generation;
                a.resentAtNanos = now;
            }
        }
        log.debug("session {}: {} asked for serials {}..{} in {}; writing {} again", session, link.id(), r.from(), r.to(),
                r.room(), frames.size());
        if (frames.isEmpty()) {
            return;
        }
        resent += frames.size();
        pace(link, frames);
    }

    /**
     * Applies changed tuning to the running session: failover threshold, health-check interval,
     * retries, backoff, stable period, ejection time, connect timeout, ping interval and timeout,
     * standby count and the load balancer. Timers and links that already exist finish their current
     * period with the old values (a link's ping timing changes when it reconnects); everything
     * decided from now on uses the new ones. The caller checks that nothing else changed.
     *
     * @param newConfig   the new configuration
     * @param newBalancer the balancer for its selection strategy
     */
    public void retune(RelayConfig newConfig, LoadBalancer newBalancer) {
        synchronized (lock) {
            config = newConfig;
            balancer = newBalancer;
            ackTimeout = ackTimeoutFor(newConfig);
            outageWindow = outageWindowFor(newConfig);
            convergeAfter = convergeAfterFor(newConfig);
            log.info("session {}: configuration retuned (threshold {}, ping {}/{}, standbys {}, strategy {})", session,
                    newConfig.failoverThreshold(), newConfig.pingInterval(), newConfig.pingTimeout(),
                    newConfig.standbyCount(), newConfig.selectionStrategy().algorithm());
            reconcile();
        }
    }

    /**
     * A message a relay acknowledged recently: written again when the session moves to another
     * relay, unless that link already got a copy ({@code copies}).
     */
    private static final class Acked {
        final String id;
        final String frame;
        final String relay;
        final long atNanos;
        final Copies copies;
        final OutboundMessage message;
        /** The message's serial in its room. */
        final long serial;
        /** The link generation it was last written again on at a member's request, and when. */
        long resentOn = -1;
        long resentAtNanos;

        Acked(Outbox.Entry e, String relay, long atNanos) {
            this.id = e.message.id();
            this.frame = e.frame;
            this.relay = relay;
            this.atNanos = atNanos;
            this.copies = e.copies;
            this.message = e.message;
            this.serial = e.serial;
        }
    }

    /** Most acknowledged messages remembered for re-publication after a move. */
    static final int REPUBLISH_MAX = 10_000;

    /** The plugins and runtime pieces an engine works with. */
    public record Parts(Transport transport, RelayProtocol protocol, LoadBalancer balancer, HealthScorer scorer,
                        RelayStore store, Scheduler scheduler, Executor blocking, EventBus events, SerialLane appLane,
                        RandomGenerator random, String session, String sender) {
    }

    /** The metrics window: ten health checks, at least 10 s. */
    public static Duration windowFor(RelayConfig c) {
        Duration tenChecks = c.healthCheckInterval().multipliedBy(10);
        return tenChecks.compareTo(Duration.ofSeconds(10)) < 0 ? Duration.ofSeconds(10) : tenChecks;
    }

    /** Unacknowledged messages are written again after this: four detection times, at least 1 s. */
    static Duration ackTimeoutFor(RelayConfig c) {
        Duration d = c.pingInterval().plus(c.pingTimeout()).multipliedBy(4);
        return d.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : d;
    }

    /**
     * How long the preferred relay must have been an open standby before the session moves to it:
     * the stable period, at most five health checks (5 s by default), so that the members of a room
     * meet again on one relay soon after faults, and a relay that keeps failing cannot make the
     * session flap faster than that.
     */
    static Duration convergeAfterFor(RelayConfig c) {
        Duration five = c.healthCheckInterval().multipliedBy(5);
        return c.stablePeriod().compareTo(five) < 0 ? c.stablePeriod() : five;
    }

    /**
     * How long a message that arrived ahead of a gap in its sender's serials waits for the gap to
     * fill: long enough for both ends to converge on one relay after faults (two ack timeouts plus
     * the convergence delay), at least 10 s.
     */
    static Duration orderHoldFor(RelayConfig c) {
        Duration d = ackTimeoutFor(c).multipliedBy(2).plus(convergeAfterFor(c));
        return d.compareTo(Duration.ofSeconds(10)) < 0 ? Duration.ofSeconds(10) : d;
    }

    /**
     * How far back re-publication reaches when the session moves: messages another relay
     * acknowledged within this time are written again on the new primary. A relay forwards a
     * message when it acknowledges it, so what a failing relay may have acknowledged without
     * forwarding lies within one detection time ({@code pingInterval + pingTimeout}) of the
     * failure; one ack timeout more covers acks still in flight and clients that noticed the fault
     * at other moments (2 s by default; at most half the dedup window, so receivers still drop the
     * copies). Longer splits between clients are the standbys' and the resume's to cover.
     */
    static Duration republishWindowFor(RelayConfig c) {
        Duration d = ackTimeoutFor(c).plus(c.pingInterval()).plus(c.pingTimeout());
        Duration half = c.dedupWindow().dividedBy(2);
        return d.compareTo(half) > 0 ? half : d;
    }

    /** Drops of every open link within this window mean our own network went away. */
    static Duration outageWindowFor(RelayConfig c) {
        Duration d = c.pingInterval().plus(c.pingTimeout());
        return d.compareTo(Duration.ofMillis(500)) < 0 ? Duration.ofMillis(500) : d;
    }

    // ------------------------------------------------------------------------------------------
    // life cycle

    /** Loads the durable outbox and starts the timers; connecting starts when relays are known. */
    public Result<Result.Done> start() {
        Result<List<OutboundMessage>> loaded = store.outboxLoad();
        synchronized (lock) {
            if (started) {
                return Result.err(ErrorCode.INVALID_CONFIG, "the client was already started; create a new one");
            }
            started = true;
            loaded.ifOk(list -> {
                for (OutboundMessage m : list) {
                    if (outbox.get(m.id()) == null) {
                        outbox.add(m, null, false).serial = roomSerials.merge(m.room(), 1L, Long::sum);
                        rooms.add(m.room());
                        inbound.rememberOwn(m);
                        if (m.createdAt().isAfter(lastCreatedAt)) {
                            lastCreatedAt = m.createdAt();
                        }
                    }
                }
                if (!list.isEmpty()) {
                    log.info("session {}: {} unacknowledged messages loaded from the store", session, list.size());
                }
            }).ifErr(e -> log.warn("session {}: could not load the durable outbox: {}", session, e));
            healthTimer = scheduler.schedule(config.healthCheckInterval(), this::healthTick);
            ackTimer = scheduler.schedule(ackTimeout.dividedBy(4), this::ackTick);
        }
        return Result.ok();
    }

    /** Stops: closes links, cancels timers, fails pending sends with CLOSED. Idempotent. */
    public void stop() {
        List<Link> toClose = new ArrayList<>();
        List<Outbox.Entry> pending;
        synchronized (lock) {
            if (state.is(SessionState.CLOSED)) {
                return;
            }
            state.move(SessionState.CLOSED, "stopped");
            if (healthTimer != null) {
                healthTimer.cancel();
            }
            inbound.stop();
            if (ackTimer != null) {
                ackTimer.cancel();
            }
            pendingStandbys.forEach(l -> l.abandoned = true);
            if (wake != null) {
                wake.cancel();
            }
            if (primary != null) {
                toClose.add(primary);
            }
            if (primaryConnecting != null) {
                primaryConnecting.abandoned = true;
            }
            toClose.addAll(standbys);
            for (Link l : toClose) {
                l.role = Link.Role.CLOSING;
                l.monitor.stop();
                // recorded now, so the write is queued before the store is closed
                recordHistory(l, 1001, "client stopped");
            }
            primary = null;
            standbys.clear();
            pending = outbox.snapshot();
        }
        for (Link l : toClose) {
            l.connection.close(1001, "client stopped");
        }
        RelayError closed = RelayError.of(ErrorCode.CLOSED, "the client was stopped before a relay acknowledged the message"
                + (store.durable() ? "; it stays in the durable outbox for the next start" : ""));
        for (Outbox.Entry e : pending) {
            completeLater(e, Result.err(closed));
        }
    }

    // ------------------------------------------------------------------------------------------
    // application side

    /** See {@code RelayClient.send}. */
    public CompletionStage<Result<Delivery>> send(String room, String payload) {
        CompletableFuture<Result<Delivery>> future = new CompletableFuture<>();
        Result<Result.Done> valid = validate(room, payload);
        if (!valid.isOk()) {
            return fail(future, "", valid.failure().orElseThrow());
        }
        int bytes = Rooms.utf8Length(payload);
        sendLock.lock();
        try {
            OutboundMessage m;
            synchronized (lock) {
                if (state.is(SessionState.CLOSED)) {
                    return fail(future, "", RelayError.of(ErrorCode.CLOSED, "the client is stopped"));
                }
                Result<Result.Done> room4 = outbox.reserve(bytes);
                if (!room4.isOk()) {
                    return fail(future, "", room4.failure().orElseThrow());
                }
                Instant now = scheduler.now();
                // strictly increasing per session, so (sender, timestamp, payload) identifies a message
                Instant createdAt = now.isAfter(lastCreatedAt) ? now : lastCreatedAt.plusNanos(1);
                lastCreatedAt = createdAt;
                m = new OutboundMessage(ids.next(createdAt.toEpochMilli()), room, sender, payload, createdAt);
            }
            Result<Result.Done> put = store.outboxPut(m);
            synchronized (lock) {
                if (!put.isOk() || state.is(SessionState.CLOSED)) {
                    outbox.release(bytes);
                    RelayError err = put.isOk() ? RelayError.of(ErrorCode.CLOSED, "the client is stopped")
                            : RelayError.of(put.failure().orElseThrow().code(), "the store refused the message: "
                            + put.failure().orElseThrow().message());
                    if (put.isOk()) {
                        asyncStore(() -> store.outboxRemove(List.of(m.id())));
                    }
                    return fail(future, m.id(), err);
                }
                outbox.add(m, future, true).serial = roomSerials.merge(room, 1L, Long::sum);
                inbound.rememberOwn(m);
                sent++;
                if (rooms.add(room)) {
                    joinOnAllLinks(room);
                }
                pump();
            }
        } finally {
            sendLock.unlock();
        }
        return future;
    }

    private Result<Result.Done> validate(String room, String payload) {
        if (room == null || payload == null) {
            return Result.err(ErrorCode.BAD_INPUT, "room and payload must not be null");
        }
        try {
            Rooms.check(room);
        } catch (IllegalArgumentException e) {
            return Result.err(ErrorCode.BAD_INPUT, e.getMessage());
        }
        if (payload.isEmpty()) {
            return Result.err(ErrorCode.BAD_INPUT, "payload must not be empty (an empty chat frame is a room join)");
        }
        int bytes = Rooms.utf8Length(payload);
        if (bytes > config.maxMessageBytes()) {
            return Result.err(ErrorCode.TOO_LARGE, "payload of " + bytes + " bytes is over the limit of "
                    + config.maxMessageBytes() + " (maxMessageBytes)");
        }
        return Result.ok();
    }

    private CompletionStage<Result<Delivery>> fail(CompletableFuture<Result<Delivery>> f, String id, RelayError e) {
        synchronized (lock) {
            failed++;
        }
        events.publish(RelayEvent.MessageFailed.class, () -> new RelayEvent.MessageFailed(scheduler.now(), id, e));
        f.complete(Result.err(e));
        return f;
    }

    /** See {@code RelayClient.join}. */
    public Result<Result.Done> join(String room) {
        try {
            Rooms.check(room);
        } catch (IllegalArgumentException | NullPointerException e) {
            return Result.err(ErrorCode.BAD_INPUT, String.valueOf(e.getMessage()));
        }
        synchronized (lock) {
            if (state.is(SessionState.CLOSED)) {
                return Result.err(ErrorCode.CLOSED, "the client is stopped");
            }
            if (rooms.add(room)) {
                joinOnAllLinks(room);
            }
        }
        return Result.ok();
    }

    /** Registers an inbound message listener. */
    public Subscription onMessage(Consumer<InboundMessage> listener) {
        return inbound.onMessage(listener);
    }

    // ------------------------------------------------------------------------------------------
    // relay pool

    /**
     * The merged relay list changed. New relays become candidates; relays gone from discovery are
     * drained: not picked again, standby links to them closed gracefully, a primary on one left at
     * the next health check for a standby (its unacknowledged messages are replayed there).
     *
     * @param current every relay discovery lists now
     */
    public void relaysChanged(List<RelayEndpoint> current) {
        engineLane.submit(() -> {
            List<Link> toClose = new ArrayList<>();
            synchronized (lock) {
                if (state.is(SessionState.CLOSED)) {
                    return;
                }
                Set<String> now = new TreeSet<>();
                for (RelayEndpoint e : current) {
                    now.add(e.id());
                    RelayEntry r = relays.get(e.id());
                    if (r == null) {
                        QualityRecorder rec = new QualityRecorder(e, scheduler, window);
                        relays.put(e.id(), new RelayEntry(e, rec, safeScore(e, rec.snapshot())));
                    } else {
                        r.endpoint = e;
                        r.draining = false;
                    }
                }
                for (RelayEntry r : relays.values()) {
                    if (!now.contains(r.id()) && !r.draining) {
                        r.draining = true;
                        log.info("session {}: relay {} left discovery; draining it", session, r.id());
                        for (Link s : standbys) {
                            if (s.relay == r) {
                                toClose.add(s);
                            }
                        }
                    }
                }
                for (Link s : toClose) {
                    retire(s);
                }
                relays.values().removeIf(r -> r.draining && !inUse(r));
                reconcile();
            }
            for (Link s : toClose) {
                s.connection.close(1001, "relay removed from discovery");
            }
        });
    }

    // ------------------------------------------------------------------------------------------
    // connections

    /** Where the engine is with one link; the transport's callbacks go through the engine lane. */
    private final class LinkListener implements ConnectionListener {
        private final Link link;

        LinkListener(Link link) {
            this.link = link;
        }

        @Override
        public void onText(String frame) {
            markAlive();
            // decoded on the transport's thread (protocols are thread-safe): a large frame, such
            // as the sync_response of a standby's resume (up to the relay's whole history), must
            // not hold up the engine lane, where the new primary's live messages wait
            InFrame decoded = decode(link, frame);
            engineLane.submit(() -> frame(link, decoded));
        }

        @Override
        public void onPong(Duration rtt) {
            markAlive();
            engineLane.submit(() -> pong(link, rtt));
        }

        /**
         * Proof of life counts when the bytes arrive, not when the engine lane gets to them: a lane
         * busy with a long replay must not make a live link look silent and get it dropped.
         */
        private void markAlive() {
            ConnectionMonitor m = link.monitor;
            if (m != null) {
                m.alive();
            }
        }

        @Override
        public void onClosed(CloseInfo close) {
            engineLane.submit(() -> closed(link, close));
        }
    }

    /** Opens a link; must hold the lock. */
    private Link connect(RelayEntry r, Link.Role role) {
        Link link = new Link(++generations, r, role);
        link.startedNanos = scheduler.nanoTime();
        r.recorder.connectAttempt();
        log.debug("session {}: connecting to {} as {}", session, r.id(), role);
        CompletionStage<Result<RelayConnection>> stage;
        try {
            stage = transport.connect(r.endpoint, new LinkListener(link));
        } catch (RuntimeException e) {
            stage = CompletableFuture.completedFuture(Result.err(ErrorCode.CONNECT_FAILED, "transport threw: " + e));
        }
        Scheduler.Cancellable guard = scheduler.schedule(config.connectTimeout().plusSeconds(1),
                () -> engineLane.submit(() -> connected(link, Result.err(ErrorCode.TIMEOUT,
                        "connect did not complete within " + config.connectTimeout()))));
        stage.whenComplete((res, ex) -> {
            guard.cancel();
            Result<RelayConnection> r2 = ex != null ? Result.err(ErrorCode.CONNECT_FAILED, ex.toString()) : res;
            engineLane.submit(() -> connected(link, r2));
        });
        return link;
    }

    private void connected(Link link, Result<RelayConnection> result) {
        RelayConnection late = null;
        List<Link> surplus = List.of();
        synchronized (lock) {
            pendingStandbys.remove(link);
            if (link.connection != null || link.closed) {
                // a second completion (our guard timer, or a late success after the guard fired)
                if (result.isOk() && result.orElseThrow() != link.connection) {
                    late = result.orElseThrow();
                }
            } else if (!result.isOk()) {
                link.closed = true;
                RelayError e = result.failure().orElseThrow();
                log.info("session {}: connect to {} failed: {}", session, link.id(), e);
                link.relay.recorder.error();
                relayFailed(link.relay, e.toString(), false, true);
                if (link == primaryConnecting) {
                    primaryConnecting = null;
                }
                reconcile();
            } else {
                RelayConnection c = result.orElseThrow();
                link.connection = c;
                link.openedNanos = scheduler.nanoTime();
                link.openedAt = scheduler.now();
                link.relay.recorder.connected();
                link.monitor = new ConnectionMonitor(scheduler, config.pingInterval(), config.pingTimeout(),
                        new ConnectionMonitor.Actions() {
                            @Override
                            public boolean ping() {
                                Result<Result.Done> r = c.ping();
                                if (!r.isOk()) {
                                    link.relay.recorder.error();
                                    // the monitor only says "could not be written"; the why is here
                                    log.info("session {}: ping to {} failed: {}", session, link.id(),
                                            r.failure().map(Object::toString).orElse("?"));
                                }
                                return r.isOk();
                            }

                            @Override
                            public void dead(String reason) {
                                engineLane.submit(() -> linkDead(link, reason));
                            }
                        });
                if (link.abandoned || state.is(SessionState.CLOSED) || link.relay.draining) {
                    link.closed = true;
                    late = c;
                    if (link == primaryConnecting) {
                        primaryConnecting = null;
                    }
                } else {
                    link.monitor.start();
                    for (String room : rooms) {
                        joinRoom(link, room);
                    }
                    log.info("session {}: connected to {} as {}", session, link.id(), link.role);
                    RelayRole role = link.role == Link.Role.PRIMARY ? RelayRole.PRIMARY : RelayRole.STANDBY;
                    events.publish(RelayEvent.Connected.class, () -> new RelayEvent.Connected(scheduler.now(), link.id(), role));
                    scheduleStableCheck(link);
                    if (link == primaryConnecting) {
                        primaryConnecting = null;
                        becomePrimary(link, false);
                    } else {
                        standbys.add(link);
                        catchUpStandby(link);
                        if (link.extra) {
                            link.extra = false;
                            List<RelayEntry> keep = new ArrayList<>(preferredRelays(scheduler.nanoTime()));
                            keep.add(link.relay);
                            surplus = trimStandbys(keep);
                        }
                    }
                    reconcile();
                }
            }
        }
        if (late != null) {
            late.close(1000, "not needed");
        }
        for (Link l : surplus) {
            l.connection.close(1000, "switching relay");
        }
    }

    private void scheduleStableCheck(Link link) {
        scheduler.schedule(config.stablePeriod(), () -> {
            synchronized (lock) {
                if (link.open()) {
                    link.relay.stable();
                }
            }
        });
    }

    private void joinRoom(Link link, String room) {
        for (String f : protocol.joinFrames(room, sender)) {
            write(link, f);
        }
        long last = link.relay.lastSequence.getOrDefault(room, 0L);
        Optional<String> resume = protocol.resumeFrame(room, sender, last);
        if (resume.isEmpty()) {
            return;
        }
        write(link, resume.get());
        // Live messages the relay forwards between the join and its answer are newer than the
        // history in that answer: they wait for it, or their sender's order would start at them and
        // the older ones would come late. Only our codecs mark the answer; a relay that never
        // answers holds them up for at most an ack timeout.
        if (sequencing != null && sequencing.marksResumeReplies() && link.resumesPending++ == 0) {
            int round = ++link.resumeRound;
            scheduler.schedule(ackTimeout, () -> engineLane.submit(() -> {
                List<InFrame> released;
                synchronized (lock) {
                    if (link.resumesPending == 0 || link.resumeRound != round) {
                        return;
                    }
                    log.debug("session {}: no answer to a resume from {} within {} ms; going on", session, link.id(),
                            ackTimeout.toMillis());
                    released = releaseEarly(link);
                }
                released.forEach(e -> frame(link, e));
            }));
        }
    }

    private void joinOnAllLinks(String room) {
        if (primary != null && primary.open()) {
            joinRoom(primary, room);
        }
        for (Link s : standbys) {
            if (s.open()) {
                joinRoom(s, room);
            }
        }
    }

    /** Writes a frame; a failed write is counted, and the close that follows drives any failover. */
    private CompletionStage<Result<Result.Done>> write(Link link, String frame) {
        link.relay.recorder.outbound(Rooms.utf8Length(frame));
        CompletionStage<Result<Result.Done>> st;
        try {
            st = link.connection.send(frame);
        } catch (RuntimeException e) {
            st = CompletableFuture.completedFuture(Result.err(ErrorCode.IO, e.toString()));
        }
        st.whenComplete((r, ex) -> {
            if (ex != null || !r.isOk()) {
                synchronized (lock) {
                    link.relay.recorder.error();
                }
            }
        });
        return st;
    }

    /** An inbound frame, decoded, and its size in bytes. */
    record InFrame(ProtocolFrame frame, List<Optional<SequencedProtocol.Origin>> origins, SequencedProtocol.Resend resend,
                   boolean resumeReply, int bytes) {
    }

    private InFrame decode(Link link, String text) {
        int bytes = Rooms.utf8Length(text);
        if (sequencing != null) {
            SequencedProtocol.Decoded dec = sequencing.decodeSequenced(link.id(), text, scheduler.now());
            return new InFrame(dec.frame(), dec.origins(), dec.resend().orElse(null), dec.resumeReply(), bytes);
        }
        return new InFrame(protocol.decode(link.id(), text, scheduler.now()), List.of(), null, false, bytes);
    }

    private void frame(Link link, InFrame in) {
        ProtocolFrame f = in.frame();
        List<Optional<SequencedProtocol.Origin>> origins = in.origins();
        List<InboundMessage> toDeliver = List.of();
        List<InFrame> released = List.of();
        synchronized (lock) {
            if (link.connection == null || (link.closed && link.role != Link.Role.CLOSING) || state.is(SessionState.CLOSED)) {
                return; // frames of a retired (CLOSING) link still count: its acks are real
            }
            if (!link.closed) {
                link.monitor.alive();
            }
            if (link.resumesPending > 0) {
                if (in.resumeReply()) {
                    if (--link.resumesPending == 0) {
                        released = releaseEarly(link);
                    }
                } else if (f instanceof ProtocolFrame.Deliver) {
                    link.early.add(in); // counted when processed, after the resume's history
                    return;
                }
            }
            link.relay.recorder.inbound(in.bytes());
            if (f instanceof ProtocolFrame.Deliver d) {
                long seen = inbound.firstSightings();
                toDeliver = inbound.accept(d, origins, link.relay);
                if (inbound.firstSightings() != seen) {
                    link.lastFreshNanos = scheduler.nanoTime();
                }
            } else if (f instanceof ProtocolFrame.Ack a) {
                if (link.pacedAwaiting != null && a.messageIds().contains(link.pacedAwaiting)) {
                    link.pacedAwaiting = null;
                    schedulePaced(link);
                }
                for (String id : a.messageIds()) {
                    acknowledge(id, link, true);
                }
            } else if (in.resend() != null) {
                resendFor(link, in.resend());
            } else if (f instanceof ProtocolFrame.Error e) {
                link.relay.recorder.error();
                log.info("session {}: relay {} reported an error: {}", session, link.id(), e.message());
            } else if (f instanceof ProtocolFrame.Malformed m) {
                malformed++;
                link.relay.recorder.error();
                log.warn("session {}: malformed frame from {}: {}", session, link.id(), m.reason());
                events.publish(RelayEvent.FrameRejected.class,
                        () -> new RelayEvent.FrameRejected(scheduler.now(), link.id(), m.reason()));
            }
        }
        inbound.deliver(toDeliver);
        for (InFrame e : released) {
            frame(link, e);
        }
    }

    /** Ends the wait for a link's resume answers; returns the live frames held meanwhile, in order. Must hold the lock. */
    private static List<InFrame> releaseEarly(Link link) {
        link.resumesPending = 0;
        List<InFrame> out = List.copyOf(link.early);
        link.early.clear();
        return out;
    }

    private void acknowledge(String id, Link link, boolean confirmed) {
        Outbox.Entry e = outbox.remove(id);
        if (e == null) {
            unknownAcks++;
            log.trace("session {}: ack from {} for an unknown or already acknowledged id", session, link.id());
            return;
        }
        acknowledged++;
        if (confirmed && e.frame != null) {
            recentAcked.addLast(new Acked(e, link.id(), scheduler.nanoTime()));
            while (recentAcked.size() > Math.min(REPUBLISH_MAX, config.outboxMaxMessages())) {
                recentAcked.pollFirst();
            }
        }
        asyncStore(() -> store.outboxRemove(List.of(id)));
        events.publish(RelayEvent.MessageAcknowledged.class,
                () -> new RelayEvent.MessageAcknowledged(scheduler.now(), link.id(), id, confirmed));
        Delivery d = new Delivery(id, link.id(), scheduler.now(), confirmed, Math.max(1, e.attempts));
        completeLater(e, Result.ok(d));
    }

    private void completeLater(Outbox.Entry e, Result<Delivery> r) {
        if (e.future != null) {
            appLane.submit(() -> e.future.complete(r));
        }
    }

    private void pong(Link link, Duration rtt) {
        synchronized (lock) {
            if (link.closed || link.monitor == null) {
                return;
            }
            link.monitor.alive();
            link.relay.recorder.rtt(rtt);
        }
    }

    private void linkDead(Link link, String reason) {
        RelayConnection c;
        synchronized (lock) {
            if (link.closed) {
                return;
            }
            link.relay.recorder.error();
            c = link.connection;
            log.warn("session {}: link to {} is dead: {}", session, link.id(), reason);
            lost(link, reason, 1006, false);
        }
        c.abort();
    }

    private void closed(Link link, CloseInfo close) {
        synchronized (lock) {
            if (link.connection == null) {
                return; // the connect result decides about a link that never opened
            }
            if (link.monitor != null) {
                link.monitor.stop();
            }
            // A relay may have restarted behind this close, and the original relays restart their
            // sequence numbers with the process: resuming from the old position would skip what
            // the restarted relay holds. The next connection resumes from 0; dedup drops what we had.
            link.relay.lastSequence.clear();
            if (link.connection != null && link.openedAt != null) {
                recordHistory(link, close.code(), close.reason());
                link.relay.recorder.disconnected();
                events.publish(RelayEvent.Disconnected.class,
                        () -> new RelayEvent.Disconnected(scheduler.now(), link.id(), close.code(), close.reason()));
            }
            if (link.closed) {
                relays.values().removeIf(r -> r.draining && !inUse(r));
                return; // we already acted on it (dead link, retired, stopped)
            }
            String reason = "transport closed " + close.code() + (close.reason().isEmpty() ? "" : " " + close.reason());
            if (close.kind() != CloseInfo.Kind.LOCAL) {
                link.relay.recorder.error();
            }
            lost(link, reason, close.code(), close.kind() == CloseInfo.Kind.TERMINAL);
            relays.values().removeIf(r -> r.draining && !inUse(r));
        }
    }

    private void recordHistory(Link link, int code, String reason) {
        if (link.recorded || link.openedAt == null) {
            return;
        }
        link.recorded = true;
        ConnectionRecord rec = new ConnectionRecord(link.id(), link.openedAt,
                Duration.ofNanos(Math.max(0, scheduler.nanoTime() - link.openedNanos)), code, reason);
        asyncStore(() -> store.appendHistory(rec));
    }

    /** A link failed (closed by the peer, errored, or missed its pong). Must hold the lock. */
    private void lost(Link link, String reason, int code, boolean terminal) {
        link.closed = true;
        link.relay.unlinkedAtNanos = scheduler.nanoTime();
        if (link.monitor != null) {
            link.monitor.stop();
        }
        if (state.is(SessionState.CLOSED)) {
            return;
        }
        long now = scheduler.nanoTime();
        boolean outage = recordDrop(link, now);
        if (!outage) {
            relayFailed(link.relay, reason, terminal, false);
        }
        if (link == primary) {
            primary = null;
            outbox.resetWrites();
            beginFailover(link.id(), reason, now);
            if (outage) {
                goOffline(outageReason());
            } else {
                promoteStandbyOrReconnect();
            }
        } else {
            standbys.remove(link);
            if (outage && primary == null) {
                goOffline(outageReason());
            }
        }
        if (outage) {
            forgiveAll();
        }
        reconcile();
    }

    private String outageReason() {
        return "all " + recentDrops.size() + " open links dropped within " + outageWindow.toMillis()
                + " ms: local network down?";
    }

    /**
     * Remembers a drop and tells whether it completes a local outage: every link we had open went
     * down within the outage window, and there were at least two, to two different relays.
     */
    private boolean recordDrop(Link link, long now) {
        recentDrops.addLast(new long[] {now, link.generation});
        while (!recentDrops.isEmpty() && recentDrops.peekFirst()[0] < now - outageWindow.toNanos()) {
            recentDrops.pollFirst();
        }
        boolean othersOpen = (primary != null && primary != link && primary.open())
                || standbys.stream().anyMatch(s -> s != link && s.open());
        return !othersOpen && recentDrops.size() >= 2 && relays.size() >= 2;
    }

    /** After a local outage, relays are not to blame: clear their failures and backoff. */
    private void forgiveAll() {
        for (RelayEntry r : relays.values()) {
            r.forgive();
        }
    }

    /**
     * Failures in a row must span at least this long to eject a relay: jittered backoff can bunch
     * {@code maxRetries} refused connects into a few ms, as when a relay process restarts, and an
     * ejection then keeps this session off a relay that is back a moment later while other
     * members, whose attempts came later, use it (the benchmark lost messages that way).
     */
    static final Duration EJECT_MIN_SPAN = Duration.ofSeconds(1);

    /**
     * Counts a failure: backoff always; ejection after {@code maxRetries} failures in a row, over at
     * least {@link #EJECT_MIN_SPAN}, that end with a failed connect attempt, or at once for a
     * terminal close, never while OFFLINE (the fault is probably ours) and never for the last
     * usable relay.
     */
    private void relayFailed(RelayEntry r, String reason, boolean terminal, boolean connectAttempt) {
        long now = scheduler.nanoTime();
        long delay = r.fail(now, config.backoffInitial(), config.backoffMax(), config.stablePeriod(), random);
        int limit = Math.max(1, config.maxRetries());
        // while OFFLINE the fault is probably ours: back off, but eject nobody
        long span = now - r.failingSinceNanos;
        boolean persistent = connectAttempt && r.failures >= limit && span >= EJECT_MIN_SPAN.toNanos();
        if ((terminal || persistent) && !state.is(SessionState.OFFLINE)
                && !lastEligible(r, now)) {
            String why = terminal ? "a terminal close"
                    : r.failures + " failures in a row over " + span / 1_000_000 + " ms";
            long length = r.eject(now, config.ejectionTime());
            Instant until = scheduler.now().plusNanos(length);
            log.warn("session {}: ejecting relay {} for {} ms after {}: {}", session, r.id(), length / 1_000_000,
                    why, reason);
            events.publish(RelayEvent.Ejected.class, () -> new RelayEvent.Ejected(scheduler.now(), r.id(), until, reason));
            scheduler.schedule(Duration.ofNanos(length), () -> {
                synchronized (lock) {
                    if (!state.is(SessionState.CLOSED) && relays.get(r.id()) == r && !r.ejected(scheduler.nanoTime())) {
                        events.publish(RelayEvent.Restored.class, () -> new RelayEvent.Restored(scheduler.now(), r.id()));
                        reconcile();
                    }
                }
            });
        } else {
            log.debug("session {}: relay {} failed ({}), next attempt in {} ms", session, r.id(), reason, delay / 1_000_000);
        }
    }

    /** Whether every other usable relay is ejected, so that ejecting {@code r} would leave none. */
    private boolean lastEligible(RelayEntry r, long now) {
        for (RelayEntry o : relays.values()) {
            if (o != r && !o.draining && !o.ejected(now)) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------------------------------
    // failover

    private void beginFailover(String from, String reason, long now) {
        if (awaySinceNanos < 0) {
            awaySinceNanos = now; // members may stay on the relay we leave: see republish
        }
        if (detectedNanos < 0) {
            detectedNanos = now;
            failoverFrom = from;
            failoverReason = reason;
        }
        if (!state.is(SessionState.OFFLINE)) {
            state.move(SessionState.FAILING_OVER, reason);
        }
    }

    private void promoteStandbyOrReconnect() {
        List<Link> open = standbys.stream().filter(Link::open).toList();
        if (!open.isEmpty()) {
            Link next = open.get(0);
            if (open.size() > 1) {
                Map<String, Link> byId = new LinkedHashMap<>();
                open.forEach(l -> byId.put(l.id(), l));
                Optional<RelayCandidate> pick = balancer.pick(open.stream().map(l -> candidate(l.relay)).toList(), affinityKey());
                next = pick.map(c -> byId.get(c.id())).orElse(next);
            }
            standbys.remove(next);
            becomePrimary(next, false);
        }
    }

    /** Makes an open link the primary and replays the outbox on it. Must hold the lock. */
    private void becomePrimary(Link link, boolean home) {
        link.role = Link.Role.PRIMARY;
        primary = link;
        int replayed = (int) outbox.entries().stream().filter(e -> e.attempts > 0).count();
        SessionState before = state.state();
        String reason = detectedNanos >= 0 ? failoverReason : "connected to " + link.id();
        state.move(SessionState.CONNECTED, before == SessionState.CONNECTING ? "connected to " + link.id()
                : "primary is now " + link.id() + " after: " + reason);
        // the new primary carries traffic from here: the switch time ends before the writes start
        long now = scheduler.nanoTime();
        Instant tookOver = scheduler.now(); // before the writes below, which can take long (replay, re-publication)
        pump();
        if (before != SessionState.CONNECTING) {
            // after the outbox, so pending messages go first; receivers reorder by sender serial
            republish(link, home);
        }
        if (before == SessionState.OFFLINE) {
            Duration off = Duration.ofNanos(now - offlineSinceNanos);
            events.publish(RelayEvent.Online.class, () -> new RelayEvent.Online(scheduler.now(), link.id(), off));
            offlineAttempts = 0;
        }
        if (detectedNanos >= 0) {
            Duration took = Duration.ofNanos(now - detectedNanos);
            Optional<String> from = Optional.ofNullable(failoverFrom);
            RelayEvent.Failover ev = new RelayEvent.Failover(tookOver, from, link.id(), reason, took, replayed);
            failovers.addLast(ev.toRecord());
            while (failovers.size() > RECENT_FAILOVERS) {
                failovers.pollFirst();
            }
            failoverCount++;
            lastFailoverNanos = now;
            log.info("session {}: failover {} -> {} in {} ms ({}), {} replayed", session, from.orElse("(none)"),
                    link.id(), took.toNanos() / 1e6, reason, replayed);
            events.publish(RelayEvent.Failover.class, () -> ev);
            detectedNanos = -1;
            failoverFrom = null;
            failoverReason = null;
        }
    }

    /**
     * Relays share nothing: a message acknowledged by the relay we leave may never reach room members
     * who are (or will be) on the new one. So messages acknowledged by another relay within
     * {@link #republishWindowFor} (at most {@value #REPUBLISH_MAX}) are written again, in order, after the outbox
     * replay; receivers, who remember ids for the whole dedup window, drop the copies. Their
     * acknowledgements arrive as unknown ids and change nothing.
     */
    private void republish(Link link, boolean home) {
        long window = republishWindowFor(config).toNanos();
        // back on the relay the room meets on: members who stayed there while we were away heard
        // nothing we published elsewhere since we left it (ackedSince caps the reach)
        long from = home && awaySinceNanos >= 0 ? awaySinceNanos - window : scheduler.nanoTime() - window;
        if (home) {
            awaySinceNanos = -1;
        }
        List<Link.Frame> frames = ackedSince(link, from);
        frames.forEach(f -> write(link, f.text()));
        int n = frames.size();
        if (n > 0) {
            log.debug("session {}: republished {} recently acknowledged messages on {}", session, n, link.id());
        }
    }

    /**
     * The frames to write on {@code link}, in acknowledgement order, of the remembered messages
     * acknowledged at or after {@code fromNanos} by another relay than the link's and not copied to
     * it yet; notes them as copied. Forgets those older than half the dedup window first (receivers
     * would no longer drop the copies). Must hold the lock.
     */
    private List<Link.Frame> ackedSince(Link link, long fromNanos) {
        long now = scheduler.nanoTime();
        long keep = config.dedupWindow().toNanos() / 2;
        while (!recentAcked.isEmpty() && now - recentAcked.peekFirst().atNanos > keep) {
            recentAcked.pollFirst();
        }
        List<Link.Frame> out = new ArrayList<>();
        for (Acked a : recentAcked) {
            if (a.atNanos >= fromNanos && !a.relay.equals(link.id()) && !a.copies.on(link.generation)) {
                out.add(new Link.Frame(a.id, a.frame));
                a.copies.add(link.generation);
            }
        }
        return out;
    }

    /**
     * A standby that just opened may connect us with members who missed our messages: members on
     * that relay heard them only through our links to it (relays share nothing), and some moved
     * there from a relay that failed before we did. It gets what we published since our last link
     * to that relay ended, less {@link #republishWindowFor} (acks in flight), at most half the
     * dedup window back and {@value #REPUBLISH_MAX} messages, acknowledged by another relay, then
     * the outbox entries already written elsewhere, in order; receivers drop what they had. A
     * relay we never had a link to gets all that is remembered. Messages the link already got are
     * skipped, and the rest is written a batch at a time ({@link #writePaced}). Must hold the lock.
     */
    private void catchUpStandby(Link link) {
        long since = link.relay.unlinkedAtNanos == Long.MIN_VALUE ? Long.MIN_VALUE
                : link.relay.unlinkedAtNanos - republishWindowFor(config).toNanos();
        List<Link.Frame> frames = new ArrayList<>(ackedSince(link, since)); // at most half the dedup window back
        for (Outbox.Entry e : outbox.snapshot()) {
            if (e.attempts > 0 && e.frame != null && !e.copies.on(link.generation)) {
                frames.add(new Link.Frame(e.message.id(), e.frame));
                e.copies.add(link.generation);
            }
        }
        if (!frames.isEmpty()) {
            log.debug("session {}: catching up standby {} with {} recent messages", session, link.id(), frames.size());
            pace(link, frames);
        }
    }

    /**
     * Queues frames for paced writing behind whatever the link already has queued, and starts the
     * writing when none is under way (a queue that is not empty has its next batch scheduled or
     * awaiting an ack). Must hold the lock.
     */
    private void pace(Link link, List<Link.Frame> frames) {
        boolean idle = link.paced.isEmpty();
        link.paced.addAll(frames);
        if (idle && !frames.isEmpty()) {
            writePaced(link);
        }
    }

    /**
     * A catch-up runs at most {@value #CATCH_UP_BATCH} frames per {@value #CATCH_UP_TICK_MS} ms
     * (2,000 messages a second), and a batch only once the relay has acknowledged the one before
     * (for a protocol without acknowledgements: once the transport has sent it). The relay forwards
     * every frame to its members, and live messages on the link queue behind whatever catch-up is
     * still unread at the relay: a catch-up paced by the clock alone filled the socket buffers of
     * a busy relay (at 10,000 a second the benchmark's crash tail reached 900 ms; at 2,000, when
     * the relay fell behind, the live copies on a standby still arrived 170 ms late, and a crash
     * of the primary then took 100 to 700 ms to reach the receiver). Waiting for the ack keeps at
     * most one batch ahead of them and slows the catch-up to what the relay keeps up with. An ack
     * that does not come within {@value #CATCH_UP_ACK_WAIT_MS} ms (a rejected frame, a relay that
     * drops acks) lets the next batch go anyway. New messages do not wait for the catch-up:
     * members who lack the older ones hold the newer ones until it fills the gap (per-sender
     * order), members who have them get the new ones at once.
     */
    static final int CATCH_UP_BATCH = 20;
    static final int CATCH_UP_TICK_MS = 10;
    static final int CATCH_UP_ACK_WAIT_MS = 500;

    /** Writes the next batch of a link's paced frames; arranges for the rest. Must hold the lock. */
    private void writePaced(Link link) {
        Link.Frame last = null;
        CompletionStage<Result<Result.Done>> written = null;
        for (int i = 0; i < CATCH_UP_BATCH && !link.paced.isEmpty(); i++) {
            last = link.paced.pollFirst();
            written = write(link, last.text());
        }
        link.pacedAwaiting = null;
        if (last == null || link.paced.isEmpty()) {
            log.debug("session {}: catch-up of {} written", session, link.id());
            return;
        }
        if (protocol.acknowledges()) {
            String awaited = last.id();
            link.pacedAwaiting = awaited;
            scheduler.schedule(Duration.ofMillis(CATCH_UP_ACK_WAIT_MS), () -> {
                synchronized (lock) {
                    if (awaited.equals(link.pacedAwaiting)) {
                        log.debug("session {}: no ack from {} for catch-up message {} within {} ms; going on",
                                session, link.id(), awaited, CATCH_UP_ACK_WAIT_MS);
                        link.pacedAwaiting = null;
                        schedulePaced(link);
                    }
                }
            });
        } else {
            written.whenComplete((r, ex) -> {
                synchronized (lock) {
                    schedulePaced(link);
                }
            });
        }
    }

    /** The next paced batch of a link in {@value #CATCH_UP_TICK_MS} ms. Must hold the lock. */
    private void schedulePaced(Link link) {
        scheduler.schedule(Duration.ofMillis(CATCH_UP_TICK_MS), () -> {
            synchronized (lock) {
                if (link.open()) {
                    writePaced(link); // also once promoted: the catch-up is older news
                } else {
                    link.paced.clear();
                    link.pacedAwaiting = null;
                }
            }
        });
    }

    private void goOffline(String reason) {
        if (!state.is(SessionState.OFFLINE)) {
            offlineSinceNanos = scheduler.nanoTime();
            failoverFrom = null; // no relay is left by the recovery: its Failover has an empty 'from'
            state.move(SessionState.OFFLINE, reason);
            events.publish(RelayEvent.Offline.class, () -> new RelayEvent.Offline(scheduler.now(), reason));
        }
    }

    /**
     * Brings the session towards its goal: a primary, then {@code standbyCount} standbys. Idempotent;
     * called after every change. Must hold the lock.
     */
    private void reconcile() {
        if (!started || state.is(SessionState.CLOSED) || relays.isEmpty()) {
            return;
        }
        long now = scheduler.nanoTime();
        if (primary == null && primaryConnecting == null) {
            if (!standbys.isEmpty()) {
                if (detectedNanos < 0) {
                    detectedNanos = now;
                    failoverReason = "no primary";
                }
                promoteStandbyOrReconnect();
            }
        }
        if (primary == null && primaryConnecting == null) {
            Optional<RelayEntry> pick = pick(now);
            if (pick.isPresent()) {
                primaryConnecting = connect(pick.get(), Link.Role.PRIMARY);
                if (state.is(SessionState.OFFLINE)) {
                    offlineAttempts++;
                }
            } else {
                if (!state.is(SessionState.CONNECTING) || relays.values().stream().anyMatch(r -> r.failures > 0 || r.ejected(now))) {
                    if (detectedNanos < 0 && !state.is(SessionState.OFFLINE)) {
                        detectedNanos = now;
                        failoverReason = "no relay reachable";
                    }
                    goOffline("no relay reachable: all " + relays.size() + " relays are backing off or ejected");
                }
                wakeAt(nextEligible(now));
            }
        }
        if (primary != null) {
            int want = config.standbyCount();
            // A standby connect that has not answered within a detection time no longer holds its
            // slot: a silent relay keeps it pending for the whole connect timeout, and meanwhile
            // the session would hear the room through its primary alone. Another relay is tried
            // beside it; if both open, the quiet one is retired at a health check.
            long stall = config.pingInterval().plus(config.pingTimeout()).toNanos();
            while (standbys.size() + pendingStandbys.stream().filter(l -> now - l.startedNanos < stall).count() < want) {
                Optional<RelayEntry> pick = pick(now);
                if (pick.isEmpty()) {
                    wakeAt(nextEligible(now));
                    break;
                }
                Link l = connect(pick.get(), Link.Role.STANDBY);
                pendingStandbys.add(l);
                wakeAt(now + stall);
            }
        }
    }

    /** Candidates not in use, not ejected, not draining and not backing off, best priority group only. */
    private Optional<RelayEntry> pick(long now) {
        List<RelayEntry> eligible = new ArrayList<>();
        for (RelayEntry r : relays.values()) {
            if (!r.draining && !r.ejected(now) && !r.backingOff(now) && !inUse(r)) {
                eligible.add(r);
            }
        }
        if (eligible.isEmpty()) {
            return Optional.empty();
        }
        int best = eligible.stream().mapToInt(r -> r.endpoint.priority()).min().orElseThrow();
        List<RelayCandidate> candidates = eligible.stream().filter(r -> r.endpoint.priority() == best)
                .map(this::candidate).toList();
        Optional<RelayCandidate> c;
        try {
            c = balancer.pick(candidates, affinityKey());
        } catch (RuntimeException e) {
            log.warn("session {}: load balancer threw; taking the first candidate", session, e);
            c = Optional.of(candidates.get(0));
        }
        return c.map(x -> relays.get(x.id())).or(() -> Optional.of(relays.get(candidates.get(0).id())));
    }

    private RelayCandidate candidate(RelayEntry r) {
        long now = scheduler.nanoTime();
        boolean healthy = r.score >= config.failoverThreshold() && !r.ejected(now);
        Duration healthyFor = healthy && r.healthySinceNanos >= 0 ? Duration.ofNanos(now - r.healthySinceNanos) : Duration.ZERO;
        return new RelayCandidate(r.endpoint, r.score, healthy, healthyFor, r.recorder.snapshot());
    }

    private String affinityKey() {
        return config.selectionStrategy().stickySession() && !rooms.isEmpty() ? rooms.iterator().next() : "";
    }

    private boolean inUse(RelayEntry r) {
        if (primary != null && primary.relay == r) {
            return true;
        }
        if (primaryConnecting != null && primaryConnecting.relay == r) {
            return true;
        }
        for (Link l : standbys) {
            if (l.relay == r) {
                return true;
            }
        }
        for (Link l : pendingStandbys) {
            if (l.relay == r) {
                return true;
            }
        }
        return false;
    }

    private long nextEligible(long now) {
        long next = Long.MAX_VALUE;
        for (RelayEntry r : relays.values()) {
            if (r.draining || inUse(r)) {
                continue;
            }
            long at = Math.max(r.nextAttemptNanos, r.ejectedUntilNanos);
            next = Math.min(next, Math.max(at, now + 1));
        }
        return next;
    }

    private void wakeAt(long nanos) {
        if (nanos == Long.MAX_VALUE || state.is(SessionState.CLOSED)) {
            return;
        }
        if (wake != null && wakeAt <= nanos && wakeAt > scheduler.nanoTime()) {
            return;
        }
        if (wake != null) {
            wake.cancel();
        }
        wakeAt = nanos;
        wake = scheduler.schedule(Duration.ofNanos(Math.max(0, nanos - scheduler.nanoTime())), () -> {
            synchronized (lock) {
                wake = null;
                wakeAt = Long.MAX_VALUE;
                reconcile();
            }
        });
    }

    // ------------------------------------------------------------------------------------------
    // writing the outbox

    /** Writes every outbox entry not yet written on the current primary, in order. Must hold the lock. */
    private void pump() {
        if (primary == null || !primary.open()
                || !(state.is(SessionState.CONNECTED) || state.is(SessionState.DEGRADED))) {
            return;
        }
        Link link = primary;
        long now = scheduler.nanoTime();
        for (Outbox.Entry e : outbox.snapshot()) {
            if (e.writtenOn == link.generation) {
                continue;
            }
            if (e.frame == null) {
                Result<String> enc = sequencing != null
                        ? sequencing.encode(e.message, new SequencedProtocol.Origin(origin, e.serial)) : protocol.encode(e.message);
                if (!enc.isOk()) {
                    outbox.remove(e.message.id());
                    failed++;
                    asyncStore(() -> store.outboxRemove(List.of(e.message.id())));
                    RelayError err = enc.failure().orElseThrow();
                    events.publish(RelayEvent.MessageFailed.class,
                            () -> new RelayEvent.MessageFailed(scheduler.now(), e.message.id(), err));
                    completeLater(e, Result.err(err));
                    continue;
                }
                e.frame = enc.orElseThrow();
            }
            boolean first = e.attempts == 0;
            writeEntry(link, e, now);
            if (first) {
                // Relays share nothing: a copy on every warm standby reaches the members who sit
                // there (clients notice faults at different moments and may part for a while).
                // Receivers drop the copies; the first acknowledgement, from any link, counts.
                for (Link s : standbys) {
                    if (s.open()) {
                        write(s, e.frame);
                        e.copies.add(s.generation);
                    }
                }
            }
        }
    }

    private void writeEntry(Link link, Outbox.Entry e, long now) {
        e.writtenOn = link.generation;
        e.writtenAtNanos = now;
        e.attempts++;
        CompletionStage<Result<Result.Done>> st = write(link, e.frame);
        if (!protocol.acknowledges()) {
            st.whenComplete((r, ex) -> {
                if (ex == null && r.isOk()) {
                    engineLane.submit(() -> {
                        synchronized (lock) {
                            if (outbox.get(e.message.id()) == e) {
                                acknowledge(e.message.id(), link, false);
                            }
                        }
                    });
                }
            });
        }
    }

    /** Writes again messages the primary has not acknowledged within the ack timeout. */
    private void ackTick() {
        synchronized (lock) {
            if (state.is(SessionState.CLOSED)) {
                return;
            }
            ackTimer = scheduler.schedule(ackTimeout.dividedBy(4), this::ackTick);
            if (primary == null || !primary.open() || !protocol.acknowledges()) {
                return;
            }
            long now = scheduler.nanoTime();
            int again = 0;
            for (Outbox.Entry e : outbox.snapshot()) {
                if (e.writtenOn == primary.generation && now - e.writtenAtNanos >= ackTimeout.toNanos()) {
                    writeEntry(primary, e, now);
                    again++;
                }
            }
            if (again > 0) {
                primary.relay.recorder.error();
                log.info("session {}: {} messages unacknowledged by {} for {} ms; written again", session, again,
                        primary.id(), ackTimeout.toMillis());
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // health

    private void healthTick() {
        List<Link> toClose = new ArrayList<>();
        synchronized (lock) {
            if (state.is(SessionState.CLOSED)) {
                return;
            }
            healthTimer = scheduler.schedule(config.healthCheckInterval(), this::healthTick);
            long now = scheduler.nanoTime();
            for (RelayEntry r : relays.values()) {
                r.recorder.sampleHistory();
                double old = r.score;
                r.score = safeScore(r.endpoint, r.recorder.snapshot());
                boolean healthy = r.score >= config.failoverThreshold() && !r.ejected(now);
                if (healthy && r.healthySinceNanos < 0) {
                    r.healthySinceNanos = now;
                } else if (!healthy) {
                    r.healthySinceNanos = -1;
                }
                if (Math.abs(old - r.score) >= HEALTH_EVENT_DELTA) {
                    double nw = r.score;
                    events.publish(RelayEvent.HealthChanged.class,
                            () -> new RelayEvent.HealthChanged(scheduler.now(), r.id(), old, nw));
                }
            }
            if (primary != null) {
                Link switchTo = null;
                String why = null;
                boolean home = false;
                double score = primary.relay.score;
                if (score < config.failoverThreshold()) {
                    state.move(SessionState.DEGRADED, String.format("primary %s scores %.2f, below the failover threshold %.2f",
                            primary.id(), score, config.failoverThreshold()));
                    switchTo = bestStandby(s -> s.relay.score >= config.failoverThreshold());
                    why = String.format("quality %.2f below threshold %.2f", score, config.failoverThreshold());
                } else if (state.is(SessionState.DEGRADED) && score >= config.failoverThreshold() + RECOVERY_MARGIN) {
                    state.move(SessionState.CONNECTED, String.format("primary %s recovered to %.2f", primary.id(), score));
                }
                if (switchTo == null && primary.relay.draining) {
                    switchTo = bestStandby(s -> true);
                    why = "relay " + primary.id() + " left discovery";
                }
                List<RelayEntry> wanted = preferredRelays(now);
                Optional<RelayEntry> preferred = wanted.stream().findFirst();
                if (switchTo == null && !state.is(SessionState.DEGRADED)) {
                    if (preferred.isPresent() && preferred.get() != primary.relay) {
                        RelayEntry want = preferred.get();
                        Link standby = standbys.stream().filter(l -> l.relay == want && l.open()).findFirst().orElse(null);
                        if (standby != null && now - standby.openedNanos >= convergeAfter.toNanos()) {
                            switchTo = standby;
                            home = true;
                            why = "back to preferred relay " + want.id() + " (stable for " + convergeAfter.toMillis() + " ms)";
                        } else if (standby == null && !inUse(want)) {
                            connectExtraStandby(want);
                        }
                    }
                }
                if (switchTo == null && !state.is(SessionState.DEGRADED)
                        && (lastFailoverNanos == Long.MIN_VALUE || now - lastFailoverNanos >= config.stablePeriod().toNanos())) {
                    // the standbys converge too, on the room's next choices (make before break),
                    // but only once the session has been settled for a stable period: right after
                    // faults the members' views differ, and retiring a standby then can cut off a
                    // member who sits on that relay alone (the benchmark lost thousands that way)
                    wanted.stream().skip(1).filter(r -> !inUse(r)).findFirst().ifPresent(this::connectExtraStandby);
                }
                if (standbys.size() > config.standbyCount()) {
                    toClose.addAll(trimStandbys(wanted));
                }
                if (switchTo != null) {
                    Link old = primary;
                    if (home) {
                        // a swap: members who have not converged yet may still talk on the old
                        // primary; it stays as a standby (trimmed once quiet, see trimStandbys)
                        old.role = Link.Role.STANDBY;
                        standbys.add(old);
                    } else {
                        retire(old);
                        toClose.add(old);
                    }
                    primary = null;
                    outbox.resetWrites();
                    beginFailover(old.id(), why, now);
                    standbys.remove(switchTo);
                    becomePrimary(switchTo, home);
                }
            }
            reconcile();
        }
        for (Link l : toClose) {
            l.connection.close(1000, "switching relay");
        }
    }

    /**
     * The relays this session should be linked to when nothing is wrong, best first: the primary's
     * relay, then {@code standbyCount} standby relays. Usable relays only (including those in use),
     * priority groups in order; within a group, with session affinity on, the balancer's picks for
     * the room key one after another, which rank the relays the same way on every client of the
     * room, so that members share their standbys too and a fault moves them to the same relay.
     * Without affinity only the priority counts and only the primary's relay is given (the
     * current primary is kept when it is in the best group).
     */
    private List<RelayEntry> preferredRelays(long now) {
        List<RelayEntry> usable = relays.values().stream()
                .filter(r -> !r.draining && !r.ejected(now) && r.score >= config.failoverThreshold()
                        && (inUse(r) || !r.backingOff(now)))
                .toList();
        if (usable.isEmpty()) {
            return List.of();
        }
        TreeMap<Integer, List<RelayEntry>> groups = new TreeMap<>();
        usable.forEach(r -> groups.computeIfAbsent(r.endpoint.priority(), k -> new ArrayList<>()).add(r));
        if (!config.selectionStrategy().stickySession()) {
            List<RelayEntry> best = groups.firstEntry().getValue();
            return List.of(primary != null && best.contains(primary.relay) ? primary.relay : best.get(0));
        }
        int want = 1 + config.standbyCount();
        List<RelayEntry> out = new ArrayList<>();
        try {
            for (List<RelayEntry> group : groups.values()) {
                List<RelayEntry> left = new ArrayList<>(group);
                while (!left.isEmpty() && out.size() < want) {
                    Optional<RelayEntry> r = balancer.pick(left.stream().map(this::candidate).toList(), affinityKey())
                            .map(c -> relays.get(c.id()));
                    if (r.isEmpty() || !left.remove(r.get())) {
                        return out;
                    }
                    out.add(r.get());
                }
                if (out.size() >= want) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            log.warn("session {}: load balancer threw while ranking relays", session, e);
        }
        return out;
    }

    /**
     * Opens a link to the preferred relay beside a full set of standbys (make before break): the
     * weakest other standby is retired only once the new link is open ({@link #trimStandbys}), so a
     * preferred relay that does not answer (down, or silent until the connect timeout) never costs
     * the session a link it was hearing the room through. At most one such link is pending.
     */
    private void connectExtraStandby(RelayEntry want) {
        if (config.standbyCount() == 0 || standbys.size() + pendingStandbys.size() < config.standbyCount()
                || pendingStandbys.stream().anyMatch(l -> l.extra)) {
            return; // no standbys wanted, a free slot that the next fill takes, or one already on its way
        }
        Link l = connect(want, Link.Role.STANDBY);
        l.extra = true;
        pendingStandbys.add(l);
    }

    /**
     * Retires standbys beyond {@code standbyCount}, weakest first, but only quiet ones: a standby
     * that brought a message no other link had within the last ack timeout is how this session
     * hears a member who sits on another relay (clients notice faults at different moments), and
     * closing it would cut that member off until both converge. Such a standby stays, over the
     * count, until it goes quiet (checked at every health check). Links to the relays in
     * {@code keep} (the preferred ones) are never retired. Returns the retired links, whose
     * connections the caller closes outside the lock.
     */
    private List<Link> trimStandbys(Collection<RelayEntry> keep) {
        List<Link> out = new ArrayList<>();
        long quietSince = scheduler.nanoTime() - ackTimeout.toNanos();
        while (standbys.size() > config.standbyCount()) {
            Link worst = standbys.stream().filter(l -> !keep.contains(l.relay) && l.lastFreshNanos < quietSince)
                    .min(Comparator.comparingDouble(l -> l.relay.score)).orElse(null);
            if (worst == null) {
                break;
            }
            log.debug("session {}: retiring standby {}: {} standbys wanted", session, worst.id(), config.standbyCount());
            retire(worst);
            out.add(worst);
        }
        return out;
    }

    private Link bestStandby(java.util.function.Predicate<Link> ok) {
        Link best = null;
        for (Link s : standbys) {
            if (s.open() && ok.test(s) && (best == null || s.relay.score > best.relay.score)) {
                best = s;
            }
        }
        return best;
    }

    /** Takes a link out of service on purpose: no failure is counted, its close is ours. */
    private void retire(Link l) {
        l.closed = true;
        l.relay.unlinkedAtNanos = scheduler.nanoTime();
        l.role = Link.Role.CLOSING;
        if (l.monitor != null) {
            l.monitor.stop();
        }
        standbys.remove(l);
    }

    private double safeScore(RelayEndpoint e, QualityMetrics m) {
        try {
            double s = scorer.score(e, m);
            return Double.isFinite(s) ? Math.max(0, Math.min(1, s)) : 0;
        } catch (RuntimeException ex) {
            log.warn("session {}: health scorer threw for {}; scoring 0", session, e.id(), ex);
            return 0;
        }
    }

    private void asyncStore(java.util.function.Supplier<Result<Result.Done>> op) {
        try {
            blocking.execute(() -> op.get().ifErr(e -> log.warn("session {}: store operation failed: {}", session, e)));
        } catch (RuntimeException e) {
            log.warn("session {}: store operation not run: {}", session, e.toString());
        }
    }

    // ------------------------------------------------------------------------------------------
    // status

    /** A consistent snapshot. */
    public ClientStatus status() {
        synchronized (lock) {
            long now = scheduler.nanoTime();
            List<RelayStatus> list = new ArrayList<>();
            for (RelayEntry r : relays.values()) {
                RelayRole role;
                boolean connected;
                if (primary != null && primary.relay == r) {
                    role = RelayRole.PRIMARY;
                    connected = true;
                } else if (standbys.stream().anyMatch(s -> s.relay == r && s.open())) {
                    role = RelayRole.STANDBY;
                    connected = true;
                } else if (r.draining) {
                    role = RelayRole.DRAINING;
                    connected = false;
                } else if (r.ejected(now)) {
                    role = RelayRole.EJECTED;
                    connected = false;
                } else {
                    role = RelayRole.CANDIDATE;
                    connected = false;
                }
                Optional<Instant> until = r.ejected(now)
                        ? Optional.of(scheduler.now().plusNanos(r.ejectedUntilNanos - now)) : Optional.empty();
                list.add(new RelayStatus(r.endpoint, role, connected, r.score, r.recorder.snapshot(), until,
                        r.recorder.rttHistory()));
            }
            return new ClientStatus(scheduler.now(), state.state(), Optional.ofNullable(primary).map(Link::id),
                    standbys.stream().filter(Link::open).map(Link::id).toList(), outbox.size(), outbox.bytes(), list,
                    List.copyOf(failovers), new ClientStatus.Counters(sent, acknowledged, failed, inbound.delivered(), inbound.duplicates(),
                    malformed, failoverCount, resendsAsked, resent));
        }
    }

    /** Acks that named no held message (unknown ids, duplicates), for tests and logs. */
    public long unknownAcks() {
        synchronized (lock) {
            return unknownAcks;
        }
    }

    /** The session id used in logs. */
    public String session() {
        return session;
    }

    /** The sender id written into frames. */
    public String sender() {
        return sender;
    }
}
