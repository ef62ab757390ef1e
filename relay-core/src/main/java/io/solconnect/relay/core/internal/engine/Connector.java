package io.solconnect.relay.core.internal.engine;

import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.RelayError;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.RelayRole;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.Rooms;
import io.solconnect.relay.api.Scheduler;
import io.solconnect.relay.api.SessionState;
import io.solconnect.relay.api.spi.CloseInfo;
import io.solconnect.relay.api.spi.ConnectionListener;
import io.solconnect.relay.api.spi.RelayConnection;
import io.solconnect.relay.api.spi.RelayProtocol;
import io.solconnect.relay.api.spi.SequencedProtocol;
import io.solconnect.relay.api.spi.Transport;
import io.solconnect.relay.core.internal.events.EventBus;
import io.solconnect.relay.core.internal.monitor.ConnectionMonitor;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens links and brings them into the session: connects through the transport (with a guard for
 * a connect that never completes), turns transport callbacks into loop tasks, starts the link's
 * monitor, joins the session's rooms with a resume, and holds live deliveries until the resume is
 * answered ({@link ResumeGate}). Owns the set of rooms joined. Confined to the engine loop, except
 * the transport listener, which decodes frames on the transport's thread and posts the rest.
 */
final class Connector {

    private static final Logger log = LoggerFactory.getLogger(Connector.class);

    /** Where the outcomes of links go (the failover coordinator and the frame router). */
    interface Outcomes {
        /** The link opened and is wanted; returns links that became surplus (to close). */
        List<Link> opened(Link link);

        /** The connect failed (already counted against the relay). */
        void connectFailed(Link link);

        void frame(Link link, InFrame frame);

        void pong(Link link, Duration rtt);

        void closed(Link link, CloseInfo close);

        void dead(Link link, String reason);

        /** The link's resume was answered, or its wait timed out. */
        default void resumeAnswered(Link link) {
        }

        /** A relay sent more than the client holds for the link ({@code limit}); it is closed with 1008. */
        void exceeded(Link link, String limit, String detail);
    }

    private final String session;
    private final String sender;
    private final Timings timings;
    private final Transport transport;
    private final RelayProtocol protocol;
    /** Null when the protocol offers no capabilities. */
    private final SequencedProtocol sequencing;
    private final Scheduler scheduler;
    private final EngineLoop loop;
    private final EventBus events;
    private final SessionStateMachine state;
    private final Links links;
    private final RelayBook book;
    private final Fleets fleets;
    private final Set<String> rooms = new TreeSet<>();
    private Outcomes outcomes;

    Connector(String session, String sender, Timings timings, Transport transport, RelayProtocol protocol,
              Scheduler scheduler, EngineLoop loop, EventBus events, SessionStateMachine state, Links links,
              RelayBook book, Fleets fleets) {
        this.session = session;
        this.sender = sender;
        this.timings = timings;
        this.transport = transport;
        this.protocol = protocol;
        this.sequencing = protocol.sequencing().orElse(null);
        this.scheduler = scheduler;
        this.loop = loop;
        this.events = events;
        this.state = state;
        this.links = links;
        this.book = book;
        this.fleets = fleets;
    }

    void wire(Outcomes o) {
        this.outcomes = o;
    }

    /** The first room joined (in name order), or empty: the session's affinity key. */
    String firstRoom() {
        return rooms.isEmpty() ? "" : rooms.iterator().next();
    }

    /** Joins {@code room} on every open link unless the session is in it already; returns whether it was new. */
    boolean join(String room) {
        if (!rooms.add(room)) {
            return false;
        }
        for (Link l : links.open()) {
            joinRoom(l, room);
        }
        return true;
    }

    /** Whether the session joined {@code room} (by {@code join}, {@code send} or the durable outbox). */
    boolean joined(String room) {
        return rooms.contains(room);
    }

    /** Notes a room the session is in (from the durable outbox) without writing anything. */
    void remember(String room) {
        rooms.add(room);
    }

    /** Opens a link to {@code r} in {@code role}. */
    Link connect(RelayEntry r, Link.Role role) {
        Link link = new Link(links.nextGeneration(), r, role, scheduler.nanoTime());
        r.recorder().connectAttempt();
        log.debug("connecting to {} as {}", r.id(), role);
        CompletionStage<Result<RelayConnection>> stage;
        try {
            stage = transport.connect(r.endpoint(), new Listener(link));
        } catch (RuntimeException e) {
            stage = CompletableFuture.completedFuture(Result.err(ErrorCode.CONNECT_FAILED, "transport threw: " + e));
        }
        Scheduler.Cancellable guard = loop.schedulePost(timings.connectTimeout().plusSeconds(1),
                () -> connected(link, Result.err(ErrorCode.TIMEOUT,
                        "connect did not complete within " + timings.connectTimeout())));
        stage.whenComplete((res, ex) -> {
            guard.cancel();
            Result<RelayConnection> r2 = ex != null ? Result.err(ErrorCode.CONNECT_FAILED, ex.toString()) : res;
            loop.postFor(link.id(), () -> connected(link, r2));
        });
        return link;
    }

    /** The transport's callbacks for one link: everything goes through the loop. */
    private final class Listener implements ConnectionListener {
        private final Link link;

        Listener(Link link) {
            this.link = link;
        }

        @Override
        public void onText(String frame) {
            // Proof of life counts when the bytes arrive, not when the loop gets to them: a loop
            // busy with a long replay must not make a live link look silent and get it dropped.
            link.alive();
            // decoded on the transport's thread (protocols are thread-safe): a large frame, such
            // as the sync_response of a standby's resume (up to the relay's whole history), must
            // not hold up the loop, where the new primary's live messages wait
            // Bounded: a relay that sends faster than the loop takes its frames has the link
            // closed rather than filling the heap (InboundBacklog).
            int bytes = Rooms.utf8Length(frame);
            InboundBacklog backlog = link.backlog();
            if (!backlog.admit(bytes)) {
                if (backlog.reportOverflow()) {
                    String detail = backlog.describe();
                    loop.postFor(link.id(), () -> outcomes.exceeded(link, "inbound queue", detail));
                }
                return;
            }
            InFrame decoded = decode(link, frame, bytes);
            loop.postFor(link.id(), () -> {
                backlog.taken(bytes);
                outcomes.frame(link, decoded);
                if (decoded.resumeReply() && !decoded.morePartsDue()) {
                    checkFleetResume(link);
                    outcomes.resumeAnswered(link);
                }
            });
        }

        @Override
        public void onPong(Duration rtt) {
            link.alive();
            loop.postFor(link.id(), () -> outcomes.pong(link, rtt));
        }

        @Override
        public void onClosed(CloseInfo close) {
            loop.postFor(link.id(), () -> outcomes.closed(link, close));
        }
    }

    private InFrame decode(Link link, String text, int bytes) {
        if (sequencing != null) {
            SequencedProtocol.Decoded d = sequencing.decodeSequenced(link.id(), text, scheduler.now());
            return new InFrame(d.frame(), d.origins(), d.resend(), d.resumeReply(), d.morePartsDue(), bytes, d.fleet());
        }
        return new InFrame(protocol.decode(link.id(), text, scheduler.now()), List.of(), Optional.empty(), false, bytes);
    }

    private void connected(Link link, Result<RelayConnection> result) {
        RelayConnection late = null;
        List<Link> surplus = List.of();
        links.connectDone(link);
        if (link.everOpened() || link.closed()) {
            // a second completion (our guard timer, or a late success after the guard fired)
            if (result.isOk() && result.orElseThrow() != link.connection()) {
                late = result.orElseThrow();
            }
        } else if (!result.isOk()) {
            link.markClosed();
            RelayError e = result.failure().orElseThrow();
            log.info("connect to {} failed: {}", link.id(), e);
            link.relay().recorder().error();
            book.failed(link.relay(), e.toString(), false, true);
            links.primaryConnectEnded(link);
            outcomes.connectFailed(link);
        } else {
            RelayConnection c = result.orElseThrow();
            link.opened(c, monitor(link, c), scheduler.nanoTime(), scheduler.now());
            link.relay().recorder().connected();
            if (link.abandoned() || state.is(SessionState.CLOSED) || link.relay().draining()) {
                link.markClosed();
                late = c;
                links.primaryConnectEnded(link);
            } else {
                link.startMonitor();
                for (String room : rooms) {
                    joinRoom(link, room);
                }
                if (!rooms.isEmpty() && sequencing != null && sequencing.marksResumeReplies() && fleets.mayBeInFleet(link)) {
                    // what it needs depends on whether it reads the primary's log: its relay says so
                    // before it answers the resume
                    link.deferCatchUp();
                }
                log.info("connected to {} as {}", link.id(), link.role());
                RelayRole role = link.role() == Link.Role.PRIMARY ? RelayRole.PRIMARY : RelayRole.STANDBY;
                events.publish(RelayEvent.Connected.class, () -> new RelayEvent.Connected(scheduler.now(), link.id(), role));
                loop.schedule(timings.ackTimeout(), () -> {
                    if (link.open()) {
                        link.relay().served();
                    }
                });
                loop.schedule(timings.stablePeriod(), () -> {
                    if (link.open()) {
                        link.relay().stable();
                    }
                });
                surplus = outcomes.opened(link);
            }
        }
        if (late != null) {
            late.close(1000, "not needed");
        }
        for (Link l : surplus) {
            l.connection().close(1000, "switching relay");
        }
    }

    private ConnectionMonitor monitor(Link link, RelayConnection c) {
        return new ConnectionMonitor(scheduler, timings.monitorTiming(), new ConnectionMonitor.Actions() {
            @Override
            public boolean ping() {
                Result<Result.Done> r = c.ping();
                if (!r.isOk()) {
                    link.relay().recorder().error();
                    // the monitor only says "could not be written"; the why is here
                    log.info("ping to {} failed: {}", link.id(),
                            r.failure().map(Object::toString).orElse("?"));
                }
                return r.isOk();
            }

            @Override
            public void dead(String reason) {
                loop.postFor(link.id(), () -> outcomes.dead(link, reason));
            }
        });
    }

    /**
     * Joins a room on a link and asks for what the relay holds since the last sequence seen on it.
     * Live messages the relay forwards between the join and its answer wait for it (when the
     * protocol marks its answers); a relay that never answers holds them up for at most an ack
     * timeout. A relay whose answer from this sequence was too large to read before (the link
     * closed with 1009, see {@link FrameRouter#closed}) is not asked the same again: the room is
     * joined without its history, so the link stays up instead of closing for it on every connect.
     */
    private void joinRoom(Link link, String room) {
        for (String f : protocol.joinFrames(room, sender)) {
            link.write(f, Rooms.utf8Length(f));
        }
        resume(link, room, fleets.resumeFrom(link, room));
    }

    /**
     * A link resumed by its fleet's sequence (its relay said on an earlier link, or is configured,
     * to be in that fleet): the relay must confirm the fleet on this link before its answer, or the
     * sequence means nothing there and the rooms are asked for again from the relay's own sequence
     * (if in doubt, the whole history; dedup drops what was had).
     */
    private void checkFleetResume(Link link) {
        Optional<String> used = link.takeFleetResume();
        if (used.isEmpty() || !link.open() || link.fleet().equals(used)) {
            return;
        }
        log.warn("{} resumed by the sequence of fleet {} but did not confirm it; asking again from its own sequence",
                link.id(), used.get());
        for (String room : rooms) {
            resume(link, room, link.relay().lastSequence(room));
        }
    }

    /**
     * Asks for every room's whole history again on {@code link}: a resume by a fleet's sequence,
     * or the relay's own numbers, may have skipped messages the relay alone holds.
     */
    void resumeFromStart(Link link) {
        link.relay().forgetSequences();
        link.takeFleetResume();
        for (String room : rooms) {
            resume(link, room, 0);
        }
    }

    private void resume(Link link, String room, long from) {
        if (link.relay().resumeTooLarge(room, from)) {
            log.debug("not asking {} for the history of {} from sequence {}: its answer was over maxResumeBytes",
                    link.id(), room, from);
            return;
        }
        Optional<String> resume = protocol.resumeFrame(room, sender, from);
        if (resume.isEmpty()) {
            return;
        }
        link.write(resume.get(), Rooms.utf8Length(resume.get()));
        if (sequencing == null || !sequencing.marksResumeReplies()) {
            return;
        }
        link.resume().asked(room, from);
        // the answer can be one frame of the room's whole history, behind which pongs wait
        link.expectLargeFrame(timings.resumePatience());
        int round = link.resume().requested();
        if (round < 0) {
            return;
        }
        loop.schedulePost(timings.ackTimeout(), () -> {
            List<InFrame> released = link.resume().timedOut(round);
            if (released == null) {
                return;
            }
            log.debug("no answer to a resume from {} within {} ms; going on", link.id(),
                    timings.ackTimeout().toMillis());
            released.forEach(f -> outcomes.frame(link, f));
            checkFleetResume(link);
            outcomes.resumeAnswered(link);
        });
    }
}
