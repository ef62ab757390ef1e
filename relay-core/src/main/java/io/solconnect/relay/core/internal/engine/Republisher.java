package io.solconnect.relay.core.internal.engine;

import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.Scheduler;
import io.solconnect.relay.api.Rooms;
import io.solconnect.relay.api.spi.SequencedProtocol;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays that share nothing need what this session published to reach members wherever they sit:
 * re-publication on a new primary, the catch-up of a new standby, the answers to members' resend
 * requests, and the requests for serials of other senders this session misses. Within a relay
 * fleet (links whose relays report one fleet id) the fleet's log does all that: messages a fleet
 * member acknowledged are not written again to another member, and gaps are not asked about while
 * every open link is in one fleet. Confined to the engine loop.
 */
final class Republisher implements Inbound.GapAsker {

    private static final Logger log = LoggerFactory.getLogger(Republisher.class);

    private final String session;
    private final String sender;
    private final String origin;
    private final Timings timings;
    private final Scheduler scheduler;
    private final Links links;
    private final Outbox outbox;
    private final RecentlyAcked acked;
    private final Pacer pacer;
    private final Counters counters;
    /** Null when the protocol offers no per-sender serials. */
    private final SequencedProtocol sequencing;
    /** What resend requests may make this session write again, over all links. */
    private final Budget originBudget = Budget.perOrigin();

    Republisher(String session, String sender, String origin, Timings timings, Scheduler scheduler, Links links,
                Outbox outbox, RecentlyAcked acked, Pacer pacer, Counters counters, SequencedProtocol sequencing) {
        this.session = session;
        this.sender = sender;
        this.origin = origin;
        this.timings = timings;
        this.scheduler = scheduler;
        this.links = links;
        this.outbox = outbox;
        this.acked = acked;
        this.pacer = pacer;
        this.counters = counters;
        this.sequencing = sequencing;
    }

    /**
     * What to write again on the new primary {@code link}, in acceptance order, merged into the
     * outbox replay by {@link OutboxWriter#pump(List)}: the messages another relay acknowledged at or
     * after {@code fromNanos} (at most {@value RecentlyAcked#MAX}) and not copied to the link yet. A
     * message acknowledged by the relay we leave may never reach room members who are (or will be)
     * on the new one. Receivers, who remember ids for the whole dedup window, drop the copies; their
     * acknowledgements arrive as unknown ids and change nothing. Notes them as copied to the link.
     */
    List<RecentlyAcked.Acked> republication(Link link, long fromNanos) {
        List<RecentlyAcked.Acked> again = since(link, fromNanos);
        if (!again.isEmpty()) {
            log.debug("republishing {} recently acknowledged messages on {}", again.size(), link.id());
            counters.republished(again.size());
        }
        return again;
    }

    /**
     * A standby that just opened may connect us with members who missed our messages: members on
     * that relay heard them only through our links to it, and some moved there from a relay that
     * failed before we did. It gets what we published since our last link to that relay ended,
     * less the re-publication window (acks in flight), at most half the dedup window back and
     * {@value RecentlyAcked#MAX} messages, acknowledged by another relay, then the outbox entries
     * already written elsewhere, the two merged in acceptance order; receivers drop what they had. A
     * relay we never had a link to gets all that is remembered. Messages the link already got are
     * skipped, and the rest is paced ({@link Pacer}).
     *
     * <p>Acceptance order, not "acknowledged first, then the outbox": relays acknowledge out of
     * order (a dropped ack, a write that timed out and went again), so acknowledged messages can be
     * newer than unacknowledged ones. A member who hears this session first through this link (a
     * sender restarted on the durable outbox is a new session to everyone) takes its order from the
     * first frame it gets, and would deliver the newer ones first.
     */
    void catchUp(Link link) {
        long unlinked = link.relay().unlinkedAtNanos();
        long since = unlinked == Long.MIN_VALUE ? Long.MIN_VALUE : unlinked - timings.republishWindow().toNanos();
        List<RecentlyAcked.Acked> ackedFrames = since(link, since);
        List<OutFrame> frames = new ArrayList<>(ackedFrames.size() + outbox.size());
        int next = 0;
        // written to the primary: a standby of its fleet reads them from the log once acknowledged,
        // and the outbox replays them on the standby if it is promoted before
        boolean inPrimaryFleet = link.sameFleet(links.primary());
        for (Outbox.Entry e : outbox.entries()) {
            if (e.attempts() > 0 && e.frame() != null && !e.copies.on(link.generation()) && !inPrimaryFleet) {
                while (next < ackedFrames.size() && ackedFrames.get(next).accepted < e.accepted) {
                    frames.add(ackedFrames.get(next++).frame);
                }
                frames.add(e.frame());
                e.copies.add(link.generation());
            }
        }
        while (next < ackedFrames.size()) {
            frames.add(ackedFrames.get(next++).frame);
        }
        if (!frames.isEmpty()) {
            log.debug("catching up standby {} with {} recent messages", link.id(), frames.size());
            counters.republished(frames.size());
            pacer.pace(link, frames);
        }
    }

    private List<RecentlyAcked.Acked> since(Link link, long fromNanos) {
        return acked.since(link, fromNanos, scheduler.nanoTime(), timings.dedupWindow().toNanos() / 2);
    }

    /**
     * A member asked for serials of ours it is missing: those still remembered as acknowledged are
     * written again on the link the request came through, paced like a catch-up but ahead of one
     * still queued there (the member holds newer messages until these come), encoded so that a
     * relay which remembers their ids forwards them anyway. A serial written again on the same link
     * within an ack timeout is not written again (members asking at once, or asking again while the
     * first resend is on its way). Unacknowledged ones are the outbox's to deliver. What is written
     * again is budgeted per link and for this session's origin over all links ({@link Budget}):
     * what does not fit is left for the member's next request and counted, so a flood of requests
     * cannot make the session write without limit.
     */
    void answer(Link link, SequencedProtocol.Resend r) {
        if (!r.origin().equals(origin) || !link.open() || sequencing == null) {
            return;
        }
        long now = scheduler.nanoTime();
        if (!link.resends().fits(now, 0) || !originBudget.fits(now, 0)) {
            // spent: not even looked at (a flood of requests must not cost a scan of the
            // remembered messages each)
            counters.resendsThrottled(1);
            return;
        }
        int[] throttled = {0};
        List<OutFrame> frames = new ArrayList<>();
        List<RecentlyAcked.Acked> asked = acked.forResend(link, r, now, timings.ackTimeout().toNanos(), a -> {
            int size = a.frame.bytes();
            if (link.resends().fits(now, size) && originBudget.fits(now, size)) {
                link.resends().take(size);
                originBudget.take(size);
                return true;
            }
            throttled[0]++;
            return false;
        });
        if (throttled[0] > 0) {
            counters.resendsThrottled(1);
            log.debug("{} asked for more resends than the budget allows; {} not written now", link.id(), throttled[0]);
        }
        for (RecentlyAcked.Acked a : asked) {
            Result<String> f = sequencing.encodeResent(a.message, new SequencedProtocol.Origin(origin, a.serial));
            if (f.isOk()) {
                String text = f.orElseThrow();
                frames.add(new OutFrame(a.message.id(), a.message.room(), text, Rooms.utf8Length(text)));
            }
        }
        log.debug("{} asked for serials {}..{} in {}; writing {} again", link.id(), r.from(), r.to(),
                r.room(), frames.size());
        if (frames.isEmpty()) {
            return;
        }
        counters.resent(frames.size());
        pacer.paceFirst(link, frames);
    }

    /**
     * Asks the senders of the room for the serials a member is missing. The request goes out on
     * every open link, since the sender is on some of them; a gap is first asked about once it has
     * stayed open for a ping interval (a copy through a slower relay closes it sooner), then again
     * every ack timeout while it lasts.
     */
    @Override
    public Duration grace() {
        return timings.pingInterval();
    }

    @Override
    public Duration every() {
        return timings.ackTimeout();
    }

    @Override
    public void ask(List<SenderOrder.Gap> gaps) {
        if (sequencing == null) {
            return;
        }
        List<Link> open = links.open();
        if (!open.isEmpty() && open.stream().allMatch(l -> l.sameFleet(open.get(0)))) {
            // every relay we hear the room through reads one log: a gap is a message still on its
            // way through it, not one a relay never got; the order hold bridges it
            return;
        }
        for (SenderOrder.Gap g : gaps) {
            Optional<String> frame = sequencing.resendFrame(new SequencedProtocol.Resend(g.room(), g.origin(), g.from(), g.to()),
                    sender);
            if (frame.isEmpty()) {
                return; // the protocol cannot carry a request
            }
            counters.resendAsked();
            log.debug("missing serials {}..{} of {} in {}; asking on {}", g.from(), g.to(), g.origin(),
                    g.room(), open);
            int bytes = Rooms.utf8Length(frame.get());
            for (Link l : open) {
                l.write(frame.get(), bytes);
            }
        }
    }
}
