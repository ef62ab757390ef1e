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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbound side: admits messages into the {@link Outbox}, encodes each once (with its
 * per-room serial when the protocol offers serials), writes them on the primary from the outbox's
 * cursor (a first write also copies the frame to every open standby), several per frame under a
 * backlog when the protocol joins frames ({@link FrameJoiner}, {@link SendWindow}), writes again
 * (one per frame) what the primary left unacknowledged for an ack timeout, and completes sends
 * when a relay acknowledges.
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
    private final FrameJoiner joiner;
    private final SendWindow window;
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
        this.joiner = new FrameJoiner(protocol.batching(), timings.maxMessageBytes());
        this.window = new SendWindow(timings.ackTimeout().toNanos());
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
            e.encoded(new OutFrame(e.id(), e.message.room(), text, Rooms.utf8Length(text)));
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

    /**
     * Writes the outbox entries not yet written on the current primary, in order (from the cursor).
     * With a protocol that joins frames ({@link FrameJoiner}) it writes while fewer than
     * {@value SendWindow#FRAMES} frames are in flight ({@link SendWindow}), each frame carrying as
     * many waiting messages of one room as the bounds allow: one message when nothing waits, a batch
     * under a backlog. The rest go when a relay answers.
     */
    void pump() {
        pump(List.of(), false);
    }

    /**
     * As {@link #pump()}, on a new primary, everything at once (the replay does not wait for the
     * window), with the re-publication ({@code republished}, in acceptance order) merged in: every
     * frame goes in acceptance order, whether it was acknowledged or not. A member who hears this
     * session first through the new primary takes its order from the first frame it gets, so pending
     * messages written ahead of older acknowledged ones would reach it out of order; members who know
     * the session hold them until the older ones came anyway.
     */
    void pump(List<RecentlyAcked.Acked> republished) {
        pump(republished, true);
    }

    private void pump(List<RecentlyAcked.Acked> republished, boolean burst) {
        Link link = links.primary();
        if (link == null || !link.open() || !(state.is(SessionState.CONNECTED) || state.is(SessionState.DEGRADED))) {
            return;
        }
        long now = scheduler.nanoTime();
        boolean windowed = joiner.joins() && !burst;
        int next = 0;
        List<OutFrame> frames = new ArrayList<>();
        List<Outbox.Entry> owners = new ArrayList<>();
        while (!windowed || window.hasRoom(now)) {
            long bytes = 0;
            while (true) {
                Outbox.Entry e = outbox.peekUnwritten();
                boolean republishedFirst = next < republished.size() && (e == null || republished.get(next).accepted < e.accepted);
                if (!republishedFirst && e == null) {
                    break;
                }
                OutFrame f = republishedFirst ? republished.get(next).frame : e.frame();
                if (!joiner.fits(frames.isEmpty() ? "" : frames.get(0).room(), frames.size(), bytes, f)) {
                    break;
                }
                if (republishedFirst) {
                    next++;
                } else {
                    outbox.nextUnwritten();
                }
                frames.add(f);
                owners.add(republishedFirst ? null : e);
                bytes += f.bytes();
            }
            if (frames.isEmpty()) {
                break;
            }
            writeGroup(link, frames, owners, now);
            frames.clear();
            owners.clear();
        }
    }

    /**
     * Writes frames on the primary as one joined frame (or one by one when they cannot be joined);
     * {@code owners} holds each frame's outbox entry, or null for a re-published message. Entries
     * written for the first time are copied to every open standby: relays share nothing, and a copy
     * on every warm standby reaches the members who sit there (clients notice faults at different
     * moments and may part for a while). A standby in the primary's relay fleet gets no copy: it reads
     * the same log. Receivers drop the copies; the first acknowledgement from a link the message went
     * to counts.
     */
    private void writeGroup(Link link, List<OutFrame> frames, List<Outbox.Entry> owners, long now) {
        List<OutFrame> firsts = new ArrayList<>(frames.size());
        List<Outbox.Entry> firstEntries = new ArrayList<>(frames.size());
        List<Outbox.Entry> entries = new ArrayList<>(frames.size());
        for (int i = 0; i < frames.size(); i++) {
            Outbox.Entry e = owners.get(i);
            if (e != null) {
                entries.add(e);
                if (e.attempts() == 0) {
                    firsts.add(frames.get(i));
                    firstEntries.add(e);
                }
            }
        }
        Optional<OutFrame> joined = joiner.joined(frames);
        if (joined.isPresent()) {
            writeFrame(link, joined.get(), entries, now, true);
        } else {
            for (int i = 0; i < frames.size(); i++) {
                Outbox.Entry e = owners.get(i);
                writeFrame(link, frames.get(i), e == null ? List.of() : List.of(e), now, true);
            }
        }
        if (firsts.isEmpty()) {
            return;
        }
        List<OutFrame> copies = firsts.size() == frames.size() && joined.isPresent() ? List.of(joined.get())
                : joiner.join(firsts);
        for (Link s : links.standbys()) {
            // A standby in the primary's fleet reads the same log: it needs no copy (and, never
            // written to, its acks of these messages are refused: copies lists only real writes).
            if (s.open() && !s.sameFleet(link)) {
                for (Outbox.Entry e : firstEntries) {
                    timeAck(s, e, now, true);
                }
                for (OutFrame c : copies) {
                    s.write(c.text(), c.bytes());
                }
                for (Outbox.Entry e : firstEntries) {
                    e.copies.add(s.generation());
                }
            }
        }
    }

    /**
     * Writes one frame carrying {@code entries} (none for a re-published frame) on the primary;
     * {@code inWindow}: it counts in the send window (when frames are joined at all).
     */
    private void writeFrame(Link link, OutFrame f, List<Outbox.Entry> entries, long now, boolean inWindow) {
        SendWindow.Flight flight = inWindow && joiner.joins() && !entries.isEmpty() ? window.written(now) : null;
        for (Outbox.Entry e : entries) {
            timeAck(link, e, now, e.attempts() == 0);
            e.written(link.generation(), now);
            if (flight != null) {
                e.flight(flight);
            }
        }
        CompletionStage<Result<Result.Done>> st = link.write(f.text(), f.bytes());
        if (!protocol.acknowledges() && !entries.isEmpty()) {
            st.whenComplete((r, ex) -> {
                if (ex == null && r.isOk()) {
                    loop.post(() -> {
                        for (Outbox.Entry e : entries) {
                            if (outbox.get(e.id()) == e) {
                                acknowledge(e.id(), link, false);
                            }
                        }
                        if (flight != null) {
                            window.answered(flight);
                            pump();
                        }
                    });
                }
            });
        }
    }

    /**
     * RTT under traffic: the link may time this write until its own ack of it. Only a message's
     * very first write counts as first (a replay on a new primary may have reached it as a copy).
     */
    private void timeAck(Link link, Outbox.Entry e, long now, boolean first) {
        if (protocol.acknowledges()) {
            link.ackClock().written(e.id(), now, first, timings.ackTimeout().toNanos());
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
        List<Outbox.Entry> overdue = new ArrayList<>();
        for (Outbox.Entry e : outbox.entries()) {
            if (e.overdue(primary.generation(), now, timeout)) {
                overdue.add(e);
            }
        }
        // one per frame, outside the window: an entry a relay refuses (relay-sync.js stores the
        // entries before a bad one and acknowledges none) no longer holds back the ones after it
        for (Outbox.Entry e : overdue) {
            writeFrame(primary, e.frame(), List.of(e), now, false);
            again++;
        }
        if (again > 0) {
            primary.relay().recorder().error();
            log.info("{} messages unacknowledged by {} for {} ms; written again", again,
                    primary.id(), timings.ackTimeout().toMillis());
        }
        pump(); // frames the relay never answered have left the window by now
    }

    /**
     * A relay acknowledged {@code id} on {@code link} ({@code confirmed}), or the write counts as one.
     * Counts only when the message was written to that link; any other ack changes nothing but a
     * counter.
     */
    void acknowledge(String id, Link link, boolean confirmed) {
        Outbox.Entry held = outbox.get(id);
        if (held == null) {
            counters.unknownAck();
            log.trace("ack from {} for an unknown or already acknowledged id", link.id());
            return;
        }
        if (!held.copies.on(link.generation())) {
            // Only a relay that was given the message can have stored it: an ack from any other
            // link (a standby that never got it, a lying relay) would complete a send no relay holds.
            counters.ackRefused();
            log.debug("ack from {} for message {}, which was never written to that link; ignored", link.id(), id);
            return;
        }
        Outbox.Entry e = outbox.remove(id);
        counters.acknowledged();
        if (e.flight() != null) {
            window.answered(e.flight());
        }
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
        window.reset();
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
