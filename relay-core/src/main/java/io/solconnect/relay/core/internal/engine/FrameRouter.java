package io.solconnect.relay.core.internal.engine;

import io.solconnect.relay.api.InboundMessage;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.Scheduler;
import io.solconnect.relay.api.SessionState;
import io.solconnect.relay.api.spi.ProtocolFrame;
import io.solconnect.relay.core.internal.events.EventBus;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes each decoded inbound frame to the part it concerns: deliveries to {@link Inbound} (after
 * the link's resume wait), acknowledgements to the {@link OutboxWriter} and the {@link Pacer},
 * resend requests to the {@link Republisher}, fleet claims to {@link Fleets}; errors and malformed frames are counted against the
 * relay. Confined to the engine loop.
 */
final class FrameRouter {

    private static final Logger log = LoggerFactory.getLogger(FrameRouter.class);

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
    void wire(java.util.function.Consumer<String> onFleetBroken) {
        this.fleetBroken = onFleetBroken;
    }

    /** Routes one frame that arrived on {@code link}. */
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
        List<InFrame> released = List.of();
        ProtocolFrame f = in.frame();
        if (link.resume().waiting()) {
            if (in.resumeReply()) {
                released = link.resume().answered();
            } else if (f instanceof ProtocolFrame.Deliver) {
                link.resume().hold(in); // counted when processed, after the resume's history
                return;
            }
        }
        link.relay().recorder().inbound(in.bytes());
        if (f instanceof ProtocolFrame.Deliver d) {
            long seen = inbound.firstSightings();
            List<InboundMessage> ready = inbound.accept(d, in.origins(), link.relay());
            checkFleet(link, d);
            if (inbound.firstSightings() != seen) {
                link.fresh(scheduler.nanoTime());
            }
            inbound.deliver(ready);
        } else if (f instanceof ProtocolFrame.Ack a) {
            pacer.acknowledged(link, a.messageIds());
            for (String id : a.messageIds()) {
                writer.acknowledge(id, link, true);
            }
        } else if (in.resend().isPresent()) {
            republisher.answer(link, in.resend().get());
        } else if (f instanceof ProtocolFrame.Error e) {
            link.relay().recorder().error();
            log.info("relay {} reported an error: {}", link.id(), e.message());
        } else if (f instanceof ProtocolFrame.Malformed m) {
            counters.malformed();
            link.relay().recorder().error();
            log.warn("malformed frame from {}: {}", link.id(), m.reason());
            events.publish(RelayEvent.FrameRejected.class,
                    () -> new RelayEvent.FrameRejected(scheduler.now(), link.id(), m.reason()));
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

    /** A pong arrived on {@code link} after {@code rtt}. */
    void pong(Link link, Duration rtt) {
        if (link.closed() || !link.monitored()) {
            return;
        }
        link.alive();
        link.relay().recorder().rtt(rtt);
    }
}
