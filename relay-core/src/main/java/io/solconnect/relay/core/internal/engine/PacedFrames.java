package io.solconnect.relay.core.internal.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A link's frames waiting to be written a batch at a time (a new standby's catch-up, answers to
 * resend requests), and the message id whose acknowledgement lets the next batch go. Answers to
 * resend requests go ahead of a catch-up still queued: a member holds newer messages until exactly
 * those serials come, while most of a catch-up is what the members there already have. Driven by
 * the {@link Pacer}; confined to the engine loop.
 */
final class PacedFrames {

    /** Answers to resend requests, written before {@link #queue}. */
    private final ArrayDeque<OutFrame> urgent = new ArrayDeque<>();
    private final ArrayDeque<OutFrame> queue = new ArrayDeque<>();
    /** Id of the last frame of the batch in flight until the relay acknowledges it; null when none. */
    private String awaiting;

    boolean isEmpty() {
        return urgent.isEmpty() && queue.isEmpty();
    }

    /** Queues frames behind everything queued. */
    void addAll(List<OutFrame> frames) {
        queue.addAll(frames);
    }

    /** Queues frames ahead of a catch-up, behind other urgent frames only. */
    void addUrgent(List<OutFrame> frames) {
        urgent.addAll(frames);
    }

    /** Takes the next batch of at most {@code n} frames; ends any wait for an acknowledgement. */
    List<OutFrame> nextBatch(int n) {
        awaiting = null;
        List<OutFrame> out = new ArrayList<>(Math.min(n, urgent.size() + queue.size()));
        while (out.size() < n && !urgent.isEmpty()) {
            out.add(urgent.pollFirst());
        }
        while (out.size() < n && !queue.isEmpty()) {
            out.add(queue.pollFirst());
        }
        return out;
    }

    /** The next batch waits for the acknowledgement of {@code id}. */
    void await(String id) {
        awaiting = id;
    }

    /** Whether the batch waits for the acknowledgement of exactly {@code id}. */
    boolean awaits(String id) {
        return id.equals(awaiting);
    }

    /** Ends the wait when {@code ids} acknowledge the awaited frame; returns whether it did. */
    boolean acknowledged(Collection<String> ids) {
        if (awaiting != null && ids.contains(awaiting)) {
            awaiting = null;
            return true;
        }
        return false;
    }

    /** Ends the wait without an acknowledgement. */
    void stopWaiting() {
        awaiting = null;
    }

    /** Drops everything (the link closed). */
    void clear() {
        urgent.clear();
        queue.clear();
        awaiting = null;
    }
}
