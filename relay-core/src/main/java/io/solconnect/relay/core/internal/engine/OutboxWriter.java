package io.solconnect.relay.core.internal.engine;

import io.solconnect.relay.api.Delivery;
import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.OutboundMessage;
import io.solconnect.relay.api.RelayError;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.Rooms;
import io.solconnect.relay.api.Scheduler;
import io.solconnect.relay.api.SessionState;
import io.solconnect.relay.api.spi.RelayProtocol;
import io.solconnect.relay.api.spi.SequencedProtocol;
import io.solconnect.relay.core.internal.events.EventBus;
import io.solconnect.relay.core.internal.events.SerialLane;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbound side: admits messages into the {@link Outbox}, encodes each once (with its
 * per-room serial when the protocol offers serials), writes them on the primary from the outbox's
 * cursor (a first write also copies the frame to every open standby), writes again what the
 * primary left unacknowledged for an ack timeout, and completes sends when a relay acknowledges.
 * Confined to the engine loop.
 */
final class OutboxWriter {

    private static final Logger log = LoggerFactory.getLogger(OutboxWriter.class);

    private final String session;
    private final String sender;
    private final String origin;
    private final Timings timings;
    private final RelayProtocol protocol;
    /** Null when the protocol offers no per-sender serials. */
    private final SequencedProtocol sequencing;
    private final Scheduler scheduler;
    private final EngineLoop loop;
    private final EventBus events;
    private final SerialLane appLane;
    private final AsyncStore store;
    private final SessionStateMachine state;
    private final Links links;
    private final Outbox outbox;
    private final RecentlyAcked acked;
    private final Counters counters;
    private final MessageIds ids;
    private final Map<String, Long> roomSerials = new HashMap<>();
    private Instant lastCreatedAt = Instant.MIN;

    OutboxWriter(String session, String sender, String origin, Timings timings, RelayProtocol protocol,
                 Scheduler scheduler, EngineLoop loop, EventBus events, SerialLane appLane, AsyncStore store,
                 SessionStateMachine state, Links links, Outbox outbox, RecentlyAcked acked, Counters counters,
                 RandomGenerator random) {
        this.session = session;
        this.sender = sender;
        this.origin = origin;
        this.timings = timings;
        this.protocol = protocol;
        this.sequencing = protocol.sequencing().orElse(null);
        this.scheduler = scheduler;
        this.loop = loop;
        this.events = events;
        this.appLane = appLane;
        this.store = store;
        this.state = state;
        this.links = links;
        this.outbox = outbox;
        this.acked = acked;
        this.counters = counters;
        this.ids = new MessageIds(random);
    }

    /**
     * Reserves room for a message of {@code bytes} payload bytes and stamps it (id, creation time
     * strictly increasing per session, so that sender, timestamp and payload identify it).
     */
    Result<OutboundMessage> admit(String room, String payload, int bytes) {
        if (state.is(SessionState.CLOSED)) {
            return Result.err(ErrorCode.CLOSED, "the client is stopped");
        }
        Result<Result.Done> reserved = outbox.reserve(bytes);
        if (!reserved.isOk()) {
            return Result.err(reserved.failure().orElseThrow());
        }
        Instant now = scheduler.now();
        Instant createdAt = now.isAfter(lastCreatedAt) ? now : lastCreatedAt.plusNanos(1);
        lastCreatedAt = createdAt;
        return Result.ok(new OutboundMessage(ids.next(createdAt.toEpochMilli()), room, sender, payload, createdAt));
    }

    /** A message admitted but not made durable (or the session stopped meanwhile) gives its room back. */
    void unadmit(int bytes) {
        outbox.release(bytes);
    }

    /** Accepts an admitted, durable message: it joins the outbox, encoded, and goes out if a primary is open. */
    Outbox.Entry accept(OutboundMessage m, int bytes, CompletableFuture<Result<Delivery>> future) {
        Outbox.Entry e = outbox.add(m, bytes, roomSerials.merge(m.room(), 1L, Long::sum), future, true);
        counters.sent();
        return e;
    }

    /** Adds a message loaded from the durable outbox at start; null when it was there already. */
    Outbox.Entry load(OutboundMessage m) {
        if (outbox.get(m.id()) != null) {
            return null;
        }
        Outbox.Entry e = outbox.add(m, m.payloadBytes(), roomSerials.merge(m.room(), 1L, Long::sum), null, false);
        if (m.createdAt().isAfter(lastCreatedAt)) {
            lastCreatedAt = m.createdAt();
        }
        return e;
    }

    /** Removes a message from the durable store that the session did not accept after all. */
    void forget(String id) {
        store.run(() -> store.store().outboxRemove(List.of(id)));
    }

    /**
     * Encodes an entry once; a message that cannot be encoded can never be sent: it leaves the
     * outbox and its send fails. Returns whether it was encoded.
     */
    boolean encode(Outbox.Entry e) {
        Result<String> enc = sequencing != null
                ? sequencing.encode(e.message, new SequencedProtocol.Origin(origin, e.serial)) : protocol.encode(e.message);
        if (enc.isOk()) {
            String text = enc.orElseThrow();
            e.encoded(new OutFrame(e.id(), text, Rooms.utf8Length(text)));
            return true;
        }
        outbox.remove(e.id());
        counters.failed();
        store.run(() -> store.store().outboxRemove(List.of(e.id())));
        RelayError err = enc.failure().orElseThrow();
        events.publish(RelayEvent.MessageFailed.class, () -> new RelayEvent.MessageFailed(scheduler.now(), e.id(), err));
        complete(e, Result.err(err));
        return false;
    }

    /** Writes every outbox entry not yet written on the current primary, in order (from the cursor). */
    void pump() {
        pump(List.of());
    }

    /**
     * As {@link #pump()}, on a new primary, with the re-publication ({@code republished}, in
     * acceptance order) merged in: every frame goes in acceptance order, whether it was acknowledged
     * or not. A member who hears this session first through the new primary takes its order from
     * the first frame it gets, so pending messages written ahead of older acknowledged ones would
     * reach it out of order; members who know the session hold them until the older ones came anyway.
     */
    void pump(List<RecentlyAcked.Acked> republished) {
        Link link = links.primary();
        if (link == null || !link.open() || !(state.is(SessionState.CONNECTED) || state.is(SessionState.DEGRADED))) {
            return;
        }
        long now = scheduler.nanoTime();
        int next = 0;
        Outbox.Entry e;
        while ((e = outbox.nextUnwritten()) != null) {
            while (next < republished.size() && republished.get(next).accepted < e.accepted) {
                OutFrame f = republished.get(next++).frame;
                link.write(f.text(), f.bytes());
            }
            boolean first = e.attempts() == 0;
            write(link, e, now);
            if (first) {
                // Relays share nothing: a copy on every warm standby reaches the members who sit
                // there (clients notice faults at different moments and may part for a while).
                // Receivers drop the copies; the first acknowledgement, from any link, counts.
                // A standby in the primary's fleet reads the same log: it needs no copy.
                for (Link s : links.standbys()) {
                    if (s.open() && !s.sameFleet(link)) {
                        s.write(e.frame().text(), e.frame().bytes());
                        e.copies.add(s.generation());
                    }
                }
            }
        }
        for (; next < republished.size(); next++) {
            OutFrame f = republished.get(next).frame;
            link.write(f.text(), f.bytes());
        }
    }

    private void write(Link link, Outbox.Entry e, long now) {
        e.written(link.generation(), now);
        CompletionStage<Result<Result.Done>> st = link.write(e.frame().text(), e.frame().bytes());
        if (!protocol.acknowledges()) {
            st.whenComplete((r, ex) -> {
                if (ex == null && r.isOk()) {
                    loop.post(() -> {
                        if (outbox.get(e.id()) == e) {
                            acknowledge(e.id(), link, false);
                        }
                    });
                }
            });
        }
    }

    /** Writes again the messages the primary has not acknowledged within the ack timeout. */
    void rewriteOverdue() {
        Link primary = links.primary();
        if (primary == null || !primary.open() || !protocol.acknowledges()) {
            return;
        }
        long now = scheduler.nanoTime();
        long timeout = timings.ackTimeout().toNanos();
        int again = 0;
        for (Outbox.Entry e : outbox.entries()) {
            if (e.overdue(primary.generation(), now, timeout)) {
                write(primary, e, now);
                again++;
            }
        }
        if (again > 0) {
            primary.relay().recorder().error();
            log.info("{} messages unacknowledged by {} for {} ms; written again", again,
                    primary.id(), timings.ackTimeout().toMillis());
        }
    }

    /** A relay acknowledged {@code id} on {@code link} ({@code confirmed}), or the write counts as one. */
    void acknowledge(String id, Link link, boolean confirmed) {
        Outbox.Entry e = outbox.remove(id);
        if (e == null) {
            counters.unknownAck();
            log.trace("ack from {} for an unknown or already acknowledged id", link.id());
            return;
        }
        counters.acknowledged();
        if (confirmed && e.frame() != null) {
            acked.add(e, link.id(), link.fleet().orElse(null), scheduler.nanoTime(),
                    Math.min(RecentlyAcked.MAX, timings.outboxMaxMessages()));
        }
        store.run(() -> store.store().outboxRemove(List.of(id)));
        events.publish(RelayEvent.MessageAcknowledged.class,
                () -> new RelayEvent.MessageAcknowledged(scheduler.now(), link.id(), id, confirmed));
        Delivery d = new Delivery(id, link.id(), scheduler.now(), confirmed, Math.max(1, e.attempts()));
        complete(e, Result.ok(d));
    }

    /** The primary changed: every entry is written again on the next one, in order. */
    void primaryChanged() {
        outbox.resetWrites();
    }

    /** Entries already written at least once: what a new primary replays. */
    int replayable() {
        return outbox.everWritten();
    }

    /** Fails every held send (the session stopped); the messages stay in a durable store. */
    void failAll(RelayError err) {
        for (Outbox.Entry e : outbox.snapshot()) {
            complete(e, Result.err(err));
        }
    }

    /** Completes a send on the application lane (never on the loop). */
    private void complete(Outbox.Entry e, Result<Delivery> r) {
        if (e.future != null) {
            appLane.submit(() -> e.future.complete(r));
        }
    }

    int size() {
        return outbox.size();
    }

    long bytes() {
        return outbox.bytes();
    }
}
