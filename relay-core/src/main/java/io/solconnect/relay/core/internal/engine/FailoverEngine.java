package io.solconnect.relay.core.internal.engine;

import io.solconnect.relay.api.ClientStatus;
import io.solconnect.relay.api.Delivery;
import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.InboundMessage;
import io.solconnect.relay.api.OutboundMessage;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.RelayError;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.Rooms;
import io.solconnect.relay.api.Scheduler;
import io.solconnect.relay.api.SessionState;
import io.solconnect.relay.api.Subscription;
import io.solconnect.relay.api.spi.HealthScorer;
import io.solconnect.relay.api.spi.LoadBalancer;
import io.solconnect.relay.api.spi.RelayProtocol;
import io.solconnect.relay.api.spi.RelayStore;
import io.solconnect.relay.api.spi.SequencedProtocol;
import io.solconnect.relay.api.spi.Transport;
import io.solconnect.relay.core.internal.events.EventBus;
import io.solconnect.relay.core.internal.events.SerialLane;
import io.solconnect.relay.core.internal.logging.LogContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session engine: keeps one primary connection and warm standbys, watches them, fails over,
 * and moves the outbox across relays without losing or duplicating a message. This class is the
 * front door: it builds the parts (see the package documentation) and turns the application's
 * calls into tasks of the engine loop.
 *
 * <p><b>Threads.</b> All engine state belongs to one {@link EngineLoop}; see the package
 * documentation. Every public method is thread-safe.
 */
public final class FailoverEngine {

    private static final Logger log = LoggerFactory.getLogger(FailoverEngine.class);

    private final String session;
    private final String sender;
    private final RelayStore store;
    private final Scheduler scheduler;
    private final EventBus events;
    private final EngineLoop loop;
    private final Timings timings;
    private final SessionStateMachine state;
    private final Counters counters = new Counters();
    private final Links links = new Links();
    private final RelayBook book;
    private final Inbound inbound;
    private final OutboxWriter writer;
    private final Connector connector;
    private final FailoverCoordinator coordinator;
    private final Reconciler reconciler;
    private final FrameRouter router;
    private final StatusView status;
    private Scheduler.Cancellable ackTimer;

    /** The plugins and runtime pieces an engine works with. */
    public record Parts(Transport transport, RelayProtocol protocol, LoadBalancer balancer, HealthScorer scorer,
                        RelayStore store, Scheduler scheduler, Executor blocking, EventBus events, SerialLane appLane,
                        RandomGenerator random, String session, String sender) {
    }

    /**
     * Creates an engine; nothing happens before {@link #start()}.
     *
     * @param config the configuration
     * @param parts  the plugins and runtime pieces
     */
    public FailoverEngine(RelayConfig config, Parts parts) {
        this.session = parts.session;
        this.sender = parts.sender;
        this.store = parts.store;
        this.scheduler = parts.scheduler;
        this.events = parts.events;
        String origin = sender + "/" + session;
        SequencedProtocol sequencing = parts.protocol.sequencing().orElse(null);
        this.loop = new EngineLoop("engine " + session, scheduler, new LogContext(session));
        this.timings = new Timings(config);
        this.state = new SessionStateMachine(session, scheduler, events);
        this.book = new RelayBook(session, timings, parts.balancer, parts.scorer, scheduler, loop, events, parts.random, state);
        AsyncStore async = new AsyncStore(store, parts.blocking, session);
        Outbox outbox = new Outbox(timings.outboxMaxMessages(), timings.outboxMaxBytes());
        RecentlyAcked acked = new RecentlyAcked();
        Pacer pacer = new Pacer(session, loop, parts.protocol.acknowledges(),
                new FrameJoiner(parts.protocol.batching(), timings.maxMessageBytes()));
        Republisher republisher = new Republisher(session, sender, origin, timings, scheduler, links, outbox, acked, pacer,
                counters, sequencing);
        this.inbound = new Inbound(loop, scheduler, parts.appLane, new Dedup(timings.dedupWindow(), timings.dedupMaxEntries(),
                scheduler), new SenderOrder(Timings.orderHoldFor(config).toNanos()), timings.ackTimeout().dividedBy(2), session,
                republisher);
        this.writer = new OutboxWriter(session, sender, origin, timings, parts.protocol, scheduler, loop, events,
                parts.appLane, async, state, links, outbox, acked, counters, parts.random);
        Fleets fleets = new Fleets();
        this.router = new FrameRouter(session, scheduler, events, state, inbound, writer, pacer, republisher, counters,
                fleets);
        this.connector = new Connector(session, sender, timings, parts.transport, parts.protocol, scheduler, loop, events,
                state, links, book, fleets);
        this.coordinator = new FailoverCoordinator(session, timings, scheduler, events, async, state, links, book, writer,
                republisher, router, counters);
        this.reconciler = new Reconciler(session, timings, scheduler, loop, state, links, book, connector, coordinator);
        coordinator.wire(reconciler);
        router.wireFleets(fleet -> coordinator.fleetBroken(fleet).forEach(connector::resumeFromStart));
        router.wire(coordinator::exceeded);
        router.wireMalformedCounted(this::armAckTick);
        inbound.wire(connector::joined);
        connector.wire(coordinator);
        // within one fleet every relay reads the room's log: no room-key stickiness (see RelayBook#sticky)
        book.wire(links::inUse, () -> book.sticky() ? connector.firstRoom() : "", reconciler::reconcile);
        this.status = new StatusView(scheduler, state, links, book, writer, coordinator, inbound, counters);
    }

    /** The metrics window: ten health checks, at least 10 s. */
    public static Duration windowFor(RelayConfig c) {
        return Timings.windowFor(c);
    }

    /**
     * Applies changed tuning to the running session: failover threshold, health-check interval,
     * retries, backoff, stable period, ejection time, connect timeout, ping interval and timeout,
     * standby count and the load balancer. Timers and links that already exist finish their current
     * period with the old values (a link's ping timing changes when it reconnects); everything
     * decided from now on uses the new ones. The caller checks that nothing else changed. Runs on
     * the engine loop (at once when it is free); never blocks.
     *
     * @param newConfig   the new configuration
     * @param newBalancer the balancer for its selection strategy
     */
    public void retune(RelayConfig newConfig, LoadBalancer newBalancer) {
        loop.run(() -> {
            timings.retune(newConfig);
            book.balancer(newBalancer);
            log.info("configuration retuned (threshold {}, ping {}/{}, standbys {}, strategy {})",
                    newConfig.selection().failoverThreshold(), newConfig.liveness().pingInterval(),
                    newConfig.liveness().pingTimeout(), newConfig.failover().standbyCount(),
                    newConfig.selection().strategy().algorithm());
            reconciler.reconcile();
        });
    }

    // ------------------------------------------------------------------------------------------
    // life cycle

    /** Loads the durable outbox and starts the timers; connecting starts when relays are known. */
    public Result<Result.Done> start() {
        Result<List<OutboundMessage>> loaded = store.outboxLoad();
        return loop.call(() -> {
            if (reconciler.started()) {
                return Result.err(ErrorCode.INVALID_CONFIG, "the client was already started; create a new one");
            }
            loaded.ifOk(list -> {
                for (OutboundMessage m : list) {
                    Outbox.Entry e = writer.load(m);
                    if (e != null) {
                        connector.remember(m.room());
                        inbound.rememberOwn(m);
                        writer.encode(e);
                    }
                }
                if (!list.isEmpty()) {
                    log.info("{} unacknowledged messages loaded from the store", list.size());
                }
            }).ifErr(e -> log.warn("could not load the durable outbox: {}", e));
            reconciler.start();
            armAckTick();
            return Result.ok();
        });
    }

    /**
     * Writes again what the primary left unacknowledged, and publishes a due summary of malformed
     * frames (idle links bring no frame that would); every quarter ack timeout while the outbox
     * holds a message or malformed frames wait to be summed up. An idle session has no such timer
     * (it would fire 2.5 times a second per session for nothing: 25,000 times a second for 10,000
     * sessions in one process); the next message accepted or malformed frame counted arms it again.
     */
    private void ackTick() {
        ackTimer = null;
        if (state.is(SessionState.CLOSED)) {
            return;
        }
        try {
            writer.rewriteOverdue();
            router.reportCountedMalformed();
        } finally {
            if (writer.size() > 0 || router.malformedPending()) {
                armAckTick();
            }
        }
    }

    /** Starts the ack tick unless it runs; in the loop. */
    private void armAckTick() {
        if (ackTimer == null && !state.is(SessionState.CLOSED)) {
            ackTimer = loop.schedule(timings.ackTimeout().dividedBy(4), this::ackTick);
        }
    }

    /** Stops: closes links, cancels timers, fails pending sends with CLOSED. Idempotent. */
    public void stop() {
        List<Link> toClose = loop.call(() -> {
            if (!coordinator.stop()) {
                return List.of();
            }
            reconciler.stop();
            inbound.stop();
            if (ackTimer != null) {
                ackTimer.cancel();
            }
            List<Link> out = links.stopAll(scheduler.nanoTime());
            for (Link l : out) {
                // recorded now, so the write is queued before the store is closed
                coordinator.recordHistory(l, 1001, "client stopped");
            }
            writer.failAll(RelayError.of(ErrorCode.CLOSED, "the client was stopped before a relay acknowledged the message"
                    + (store.durable() ? "; it stays in the durable outbox for the next start" : "")));
            return out;
        });
        for (Link l : toClose) {
            l.connection().close(1001, "client stopped");
        }
    }

    // ------------------------------------------------------------------------------------------
    // application side

    /**
     * See {@code RelayClient.send}. Admission and acceptance run on the engine loop; the durable
     * store write runs on the caller's thread in between, so the message is durable before
     * {@code send} accepts it.
     */
    public CompletionStage<Result<Delivery>> send(String room, String payload) {
        CompletableFuture<Result<Delivery>> future = new CompletableFuture<>();
        RelayError invalid = invalid(room, payload);
        if (invalid != null) {
            return fail(future, "", invalid);
        }
        int bytes = Rooms.utf8Length(payload);
        Result<OutboundMessage> admitted = loop.call(() -> {
            if (bytes > timings.maxMessageBytes()) {
                return Result.err(ErrorCode.TOO_LARGE, "payload of " + bytes + " bytes is over the limit of "
                        + timings.maxMessageBytes() + " (maxMessageBytes)");
            }
            return writer.admit(room, payload, bytes);
        });
        if (!admitted.isOk()) {
            return fail(future, "", admitted.failure().orElseThrow());
        }
        OutboundMessage m = admitted.orElseThrow();
        Result<Result.Done> put = store.outboxPut(m);
        RelayError refused = loop.call(() -> {
            if (!put.isOk() || state.is(SessionState.CLOSED)) {
                writer.unadmit(bytes);
                if (put.isOk()) {
                    writer.forget(m.id());
                }
                return put.isOk() ? RelayError.of(ErrorCode.CLOSED, "the client is stopped")
                        : RelayError.of(put.failure().orElseThrow().code(), "the store refused the message: "
                        + put.failure().orElseThrow().message());
            }
            Outbox.Entry e = writer.accept(m, bytes, future);
            armAckTick();
            inbound.rememberOwn(m);
            connector.join(room);
            if (writer.encode(e)) {
                writer.pump();
            }
            return null;
        });
        if (refused != null) {
            return fail(future, m.id(), refused);
        }
        return future;
    }

    private static RelayError invalid(String room, String payload) {
        if (room == null || payload == null) {
            return RelayError.of(ErrorCode.BAD_INPUT, "room and payload must not be null");
        }
        try {
            Rooms.check(room);
        } catch (IllegalArgumentException e) {
            return RelayError.of(ErrorCode.BAD_INPUT, e.getMessage());
        }
        if (payload.isEmpty()) {
            return RelayError.of(ErrorCode.BAD_INPUT, "payload must not be empty (an empty chat frame is a room join)");
        }
        return null;
    }

    private CompletionStage<Result<Delivery>> fail(CompletableFuture<Result<Delivery>> f, String id, RelayError e) {
        loop.run(counters::failed);
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
        return loop.call(() -> {
            if (state.is(SessionState.CLOSED)) {
                return Result.err(ErrorCode.CLOSED, "the client is stopped");
            }
            connector.join(room);
            return Result.ok();
        });
    }

    /** Registers an inbound message listener. */
    public Subscription onMessage(Consumer<InboundMessage> listener) {
        return inbound.onMessage(listener);
    }

    /**
     * The merged relay list changed. New relays become candidates; relays gone from discovery are
     * drained: not picked again, standby links to them closed gracefully, a primary on one left at
     * the next health check for a standby (its unacknowledged messages are replayed there).
     * Queued on the engine loop.
     *
     * @param current every relay discovery lists now
     */
    public void relaysChanged(List<RelayEndpoint> current) {
        loop.post(() -> {
            if (state.is(SessionState.CLOSED)) {
                return;
            }
            List<RelayEntry> gone = book.discovered(current);
            List<Link> toClose = links.standbys().stream().filter(s -> gone.contains(s.relay())).toList();
            long now = scheduler.nanoTime();
            for (Link s : toClose) {
                links.retire(s, now);
            }
            book.removeDrained();
            reconciler.reconcile();
            for (Link s : toClose) {
                s.connection().close(1001, "relay removed from discovery");
            }
        });
    }

    // ------------------------------------------------------------------------------------------
    // status

    /** A consistent snapshot, taken on the engine loop. */
    public ClientStatus status() {
        return loop.call(status::snapshot);
    }

    /** Acks that named no held message (unknown ids, duplicates), for tests and logs. */
    public long unknownAcks() {
        return loop.call(counters::unknownAckCount);
    }

    /** Resume answers too large to read (over maxResumeBytes), each making its room join that relay without history; for tests and logs. */
    public long resumesTooLarge() {
        return loop.call(counters::resumesTooLargeCount);
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
