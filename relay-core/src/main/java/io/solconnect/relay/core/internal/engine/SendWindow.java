package io.solconnect.relay.core.internal.engine;

import java.util.ArrayDeque;

/**
 * The frames written on the primary whose answer has not come yet, at most {@link #FRAMES}: while
 * the window is full, new messages wait in the outbox and go out together in the next frame once
 * a relay answers one (batching under a backlog, without a timer: with nothing in flight a message
 * goes out at once). A frame is answered by the first acknowledgement of any of its messages
 * (from any link: the rest of a partly acknowledged frame is the ack timeout's to write again), by
 * the transport's completion of the write for a protocol without acknowledgements, or by being
 * older than the ack timeout (a relay that never answers, such as {@code relay-sync.js} after a bad
 * entry, must not stall the session). A new primary starts with an empty window. Confined to the
 * engine loop.
 */
final class SendWindow {

    /** Frames in flight on the primary before new messages wait to be batched. */
    static final int FRAMES = 8;

    /** One frame in flight. */
    static final class Flight {
        private final long epoch;
        private final long writtenAtNanos;
        private boolean done;

        private Flight(long epoch, long writtenAtNanos) {
            this.epoch = epoch;
            this.writtenAtNanos = writtenAtNanos;
        }
    }

    private final long timeoutNanos;
    private final ArrayDeque<Flight> flights = new ArrayDeque<>();
    private long epoch;
    private int open;

    /** @param timeoutNanos after this long unanswered a frame no longer counts (the ack timeout) */
    SendWindow(long timeoutNanos) {
        this.timeoutNanos = timeoutNanos;
    }

    /** Whether another frame may go out at {@code now}. */
    boolean hasRoom(long now) {
        Flight f;
        while ((f = flights.peekFirst()) != null && (f.done || now - f.writtenAtNanos >= timeoutNanos)) {
            flights.pollFirst();
            finish(f);
        }
        return open < FRAMES;
    }

    /** Notes a frame written at {@code now}; the caller answers it later. */
    Flight written(long now) {
        Flight f = new Flight(epoch, now);
        flights.addLast(f);
        open++;
        return f;
    }

    /** A frame was answered; a second answer, or one for a frame of a former primary, changes nothing. */
    void answered(Flight f) {
        finish(f);
    }

    private void finish(Flight f) {
        if (!f.done) {
            f.done = true;
            if (f.epoch == epoch) {
                open--;
            }
        }
    }

    /** The primary changed: nothing is in flight on the new one. */
    void reset() {
        epoch++;
        flights.clear();
        open = 0;
    }

    /** Frames in flight (as last counted). */
    int inFlight() {
        return open;
    }
}
