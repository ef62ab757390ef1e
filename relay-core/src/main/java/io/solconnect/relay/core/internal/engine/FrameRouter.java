package io.solconnect.relay.core.internal.engine;

import io.solconnect.relay.api.InboundMessage;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.Scheduler;
import io.solconnect.relay.api.SessionState;
import io.solconnect.relay.api.spi.CloseInfo;
import io.solconnect.relay.api.spi.ProtocolFrame;
import io.solconnect.relay.core.internal.events.EventBus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes each decoded inbound frame to the part it concerns: deliveries to {@link Inbound} (after
 * the link's resume wait), acknowledgements to the {@link OutboxWriter} and the {@link Pacer},
 * resend requests to the {@link Republisher}, fleet claims to {@link Fleets}; errors and malformed
 * frames are counted against the relay, and malformed frames are reported at a limited rate
 * ({@link MalformedReports}). A resume answer may come in parts: the wait ends with the last.
 * Confined to the engine loop.
 */
final class FrameRouter {

    private static final Logger log = LoggerFactory.getLogger(FrameRouter.class);
    /** The close code of a frame too large to read. */
    private static final int TOO_BIG = 1009;

    private final String session;
    private final Scheduler scheduler;
    private final EventBus events;
    private final SessionStateMachine state;
    private final Inbound inbound;
    private final OutboxWriter writer;
    private final Pacer pacer;
    private final Republisher republisher;
    private final Counters counters;
    private final Fleets fleets;
    private java.util.function.Consumer<String> fleetBroken = f -> { };
    private Limits limits;

    /** Where a link that passed a limit goes to be closed (the failover coordinator). */
    interface Limits {
        /** {@code link} passed {@code limit} ({@code detail}: the figures); it is closed with 1008. */
        void exceeded(Link link, String limit, String detail);
    }
    private final MalformedReports malformed = new MalformedReports(MalformedReports.INTERVAL);
    private Runnable malformedCounted = () -> { };

    FrameRouter(String session, Scheduler scheduler, EventBus events, SessionStateMachine state, Inbound inbound,
                OutboxWriter writer, Pacer pacer, Republisher republisher, Counters counters, Fleets fleets) {
        this.session = session;
        this.scheduler = scheduler;
        this.events = events;
        this.state = state;
        this.inbound = inbound;
        this.writer = writer;
        this.pacer = pacer;
        this.republisher = republisher;
        this.counters = counters;
        this.fleets = fleets;
    }

    /** Wires what to do when relays claiming a fleet are caught keeping separate logs. */
    void wireFleets(java.util.function.Consumer<String> onFleetBroken) {
        this.fleetBroken = onFleetBroken;
    }

    void wire(Limits l) {
        this.limits = l;
    }

    /** Sets what runs when a malformed frame is counted for a later summary (the engine arms its tick). */
    void wireMalformedCounted(Runnable r) {
        this.malformedCounted = r;
    }

    /** Whether malformed frames were counted and their summary is not out yet. */
    boolean malformedPending() {
        return malformed.pending();
    }

    /**
     * Routes one frame that arrived on {@code link}. A delivery that would pass the limits of the
     * link's resume wait ({@link ResumeGate}) closes the link instead.
     */
    void frame(Link link, InFrame in) {
        if (!link.everOpened() || (link.closed() && link.role() != Link.Role.CLOSING) || state.is(SessionState.CLOSED)) {
            return; // frames of a retired (CLOSING) link still count: its acks are real
        }
        if (!link.closed()) {
            link.alive();
        }
        if (in.fleet().isPresent()) {
            fleets.claim(link, in.fleet().get(), scheduler.nanoTime());
        }
        reportCountedMalformed();
        List<InFrame> released = List.of();
        ProtocolFrame f = in.frame();
        if (link.resume().waiting()) {
            if (in.resumeReply()) {
                if (!in.morePartsDue()) {
                    released = link.resume().answered();
                    if (!link.resume().waiting()) {
                        link.largeFrameArrived();
                    }
                }
            } else if (f instanceof ProtocolFrame.Deliver) {
                // counted when processed, after the resume's history
                if (!link.resume().hold(in) && limits != null) {
                    limits.exceeded(link, "resume buffer", link.resume().describe());
                }
                return;
            }
        }
        link.relay().recorder().inbound(in.bytes());
        if (f instanceof ProtocolFrame.Deliver || f instanceof ProtocolFrame.Ack) {
            link.traffic(); // application traffic keeps the link watched closely (ConnectionMonitor)
        }
        if (f instanceof ProtocolFrame.Deliver d) {
            long seen = inbound.firstSightings();
            List<InboundMessage> ready = inbound.accept(d, in.origins(), link.relay());
            checkFleet(link, d);
            if (inbound.firstSightings() != seen) {
                link.fresh(scheduler.nanoTime());
            }
            inbound.deliver(ready);
        } else if (f instanceof ProtocolFrame.Ack a) {
            ackRtt(link, a.messageIds());
            pacer.acknowledged(link, a.messageIds());
            for (String id : a.messageIds()) {
                writer.acknowledge(id, link, true);
            }
            writer.pump(); // the answer freed room in the send window: what waited goes out, batched
        } else if (in.resend().isPresent()) {
            republisher.answer(link, in.resend().get());
        } else if (f instanceof ProtocolFrame.Error e) {
            link.relay().recorder().error();
            log.info("relay {} reported an error: {}", link.id(), e.message());
        } else if (f instanceof ProtocolFrame.Malformed m) {
            counters.malformed();
            link.relay().recorder().error();
            if (malformed.report(scheduler.nanoTime(), link.id(), m.reason())) {
                log.warn("malformed frame from {}: {} (more in the next {} s are counted, not logged one by one)",
                        link.id(), m.reason(), MalformedReports.INTERVAL.toSeconds());
                events.publish(RelayEvent.FrameRejected.class,
                        () -> new RelayEvent.FrameRejected(scheduler.now(), link.id(), m.reason()));
            } else {
                malformedCounted.run();
            }
        }
        for (InFrame e : released) {
            frame(link, e);
        }
    }

    /** Checks the numbering of a fleet link's messages against its fleet's other members. */
    private void checkFleet(Link link, ProtocolFrame.Deliver d) {
        if (link.fleet().isEmpty()) {
            return;
        }
        String fleet = link.fleet().get();
        for (InboundMessage m : d.messages()) {
            if (m.sequence().isPresent() && !fleets.saw(fleet, m.room(), m.sequence().getAsLong(), m)) {
                fleets.distrust(fleet, scheduler.nanoTime());
                fleetBroken.accept(fleet);
                return;
            }
        }
    }

    /** Logs (and publishes) the count of malformed frames not reported one by one, when due. */
    void reportCountedMalformed() {
        MalformedReports.Summary s = malformed.due(scheduler.nanoTime());
        if (s == null) {
            return;
        }
        String text = s.count() + " more malformed frame" + (s.count() == 1 ? "" : "s") + " in the last "
                + s.over().toSeconds() + " s (latest from " + s.relay() + ": " + s.reason() + ")";
        log.warn("{}", text);
        events.publish(RelayEvent.FrameRejected.class, () -> new RelayEvent.FrameRejected(scheduler.now(), s.relay(), text));
    }

    /**
     * {@code link} closed. When it closed with 1009 (a frame over maxResumeBytes) while resume
     * answers were due on it, the answer was too large to read: the relay is not asked for those
     * rooms' history from there again (see {@link Connector}), so the next link to it stays up
     * instead of closing for the same answer on every connect. Counted, logged once, published.
     */
    void closed(Link link, CloseInfo close) {
        if (close.code() != TOO_BIG) {
            return;
        }
        Map<String, Long> rooms = link.resume().unanswered();
        for (Map.Entry<String, Long> e : rooms.entrySet()) {
            link.relay().resumeWasTooLarge(e.getKey(), e.getValue());
            counters.resumeTooLarge();
            String text = "resume answer for room " + e.getKey() + " from sequence " + e.getValue()
                    + " is larger than maxResumeBytes: the room is joined there without that history";
            log.warn("{} closed the link for a frame over maxResumeBytes while answering a resume; {}", link.id(), text);
            events.publish(RelayEvent.FrameRejected.class, () -> new RelayEvent.FrameRejected(scheduler.now(), link.id(), text));
        }
    }

    /** A pong arrived on {@code link} after {@code rtt}. */
    void pong(Link link, Duration rtt) {
        reportCountedMalformed();
        if (link.closed() || !link.monitored()) {
            return;
        }
        link.alive();
        link.measured(rtt);
    }

    /** RTT under traffic: the ack, on the link it was written to, of the message that link times. */
    private void ackRtt(Link link, List<String> ids) {
        if (!link.closed()) {
            link.ackClock().acked(ids, scheduler.nanoTime()).ifPresent(ns -> link.measured(Duration.ofNanos(ns)));
        }
    }
}
