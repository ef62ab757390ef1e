package io.solconnect.relay.core.internal.engine;

import io.solconnect.relay.api.Result;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a link's paced frames (catch-ups, resends) a batch at a time.
 *
 * <p>A catch-up runs at most {@value #BATCH} messages per {@value #TICK_MS} ms (25,600 messages a
 * second), and a batch only once the relay has acknowledged the one before (for a protocol without
 * acknowledgements: once the transport has sent it). The relay forwards every frame to its
 * members, and live messages on the link queue behind whatever catch-up is still unread at the
 * relay: a catch-up paced by the clock alone filled the socket buffers of a busy relay (at 10,000 a
 * second the benchmark's crash tail reached 900 ms; at 2,000, when the relay fell behind, the live
 * copies on a standby still arrived 170 ms late, and a crash of the primary then took 100 to 700 ms
 * to reach the receiver). Waiting for the ack keeps at most one batch ahead of them and slows the
 * catch-up to what the relay keeps up with; the batch is large because a member missing the newest
 * part of a catch-up holds every newer message until it comes (at 20 messages per 10 ms, a
 * catch-up of two seconds' traffic at 1,000 messages a second took a second, and the fault storm
 * benchmark showed delivery gaps of 1.6 s). Answers to resend requests go ahead of a queued
 * catch-up ({@link #paceFirst}). An ack that does not come within {@value #ACK_WAIT_MS}
 * ms (a rejected frame, a relay that drops acks) lets the next batch go anyway. New messages do not
 * wait for the catch-up: members who lack the older ones hold the newer ones until it fills the gap
 * (per-sender order), members who have them get the new ones at once. A batch goes in as few
 * frames as the protocol can join it into ({@link FrameJoiner}). Confined to the engine loop.
 */
final class Pacer {

    private static final Logger log = LoggerFactory.getLogger(Pacer.class);

    static final int BATCH = 128;
    static final int TICK_MS = 5;
    static final int ACK_WAIT_MS = 500;

    private final String session;
    private final EngineLoop loop;
    private final boolean acknowledges;
    private final FrameJoiner joiner;

    Pacer(String session, EngineLoop loop, boolean acknowledges) {
        this(session, loop, acknowledges, FrameJoiner.NONE);
    }

    /** As the other constructor; a batch goes in as few frames as {@code joiner} makes of it. */
    Pacer(String session, EngineLoop loop, boolean acknowledges, FrameJoiner joiner) {
        this.session = session;
        this.loop = loop;
        this.acknowledges = acknowledges;
        this.joiner = joiner;
    }

    /**
     * Queues frames behind whatever the link already has queued, and starts the writing when none
     * is under way (a queue that is not empty has its next batch scheduled or awaiting an ack).
     */
    void pace(Link link, List<OutFrame> frames) {
        queue(link, frames, false);
    }

    /**
     * Queues frames that members are waiting for (answers to resend requests) ahead of a catch-up
     * still queued on the link, and starts the writing when none is under way.
     */
    void paceFirst(Link link, List<OutFrame> frames) {
        queue(link, frames, true);
    }

    private void queue(Link link, List<OutFrame> frames, boolean urgent) {
        boolean idle = link.paced().isEmpty();
        if (urgent) {
            link.paced().addUrgent(frames);
        } else {
            link.paced().addAll(frames);
        }
        if (idle && !frames.isEmpty()) {
            writeBatch(link);
        }
    }

    /** Acknowledgements arrived on {@code link}: the batch waiting for one of them lets the next go. */
    void acknowledged(Link link, List<String> ids) {
        if (link.paced().acknowledged(ids)) {
            scheduleNext(link);
        }
    }

    /** Writes the next batch of a link's paced frames; arranges for the rest. */
    private void writeBatch(Link link) {
        List<OutFrame> batch = link.paced().nextBatch(BATCH);
        CompletionStage<Result<Result.Done>> written = null;
        for (OutFrame f : joiner.join(batch)) {
            written = link.write(f.text(), f.bytes());
        }
        if (batch.isEmpty() || link.paced().isEmpty()) {
            log.debug("catch-up of {} written", link.id());
            return;
        }
        if (acknowledges) {
            String awaited = batch.get(batch.size() - 1).id();
            link.paced().await(awaited);
            loop.schedule(Duration.ofMillis(ACK_WAIT_MS), () -> {
                if (link.paced().awaits(awaited)) {
                    log.debug("no ack from {} for catch-up message {} within {} ms; going on", link.id(), awaited, ACK_WAIT_MS);
                    link.paced().stopWaiting();
                    scheduleNext(link);
                }
            });
        } else {
            written.whenComplete((r, ex) -> loop.run(() -> scheduleNext(link)));
        }
    }

    /** The next paced batch of a link in {@value #TICK_MS} ms. */
    private void scheduleNext(Link link) {
        loop.schedule(Duration.ofMillis(TICK_MS), () -> {
            if (link.open()) {
                writeBatch(link); // also once promoted: the catch-up is older news
            } else {
                link.paced().clear();
            }
        });
    }
}
