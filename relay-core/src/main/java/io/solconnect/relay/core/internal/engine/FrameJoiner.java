package io.solconnect.relay.core.internal.engine;

import io.solconnect.relay.api.Rooms;
import io.solconnect.relay.api.spi.BatchingProtocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Joins consecutive frames of one room into frames of several messages when the protocol can
 * ({@link BatchingProtocol}), bounded by {@link #maxMessages()} and by {@code maxBytes} (the sum
 * of the parts' UTF-8 lengths, which a joined frame never exceeds). Order is kept. Without the
 * capability every frame stays as it is. Stateless apart from its settings; thread-safe.
 */
final class FrameJoiner {

    /** Most messages per joined frame, whatever the protocol allows. */
    static final int MAX_MESSAGES = 64;

    /** Joins nothing. */
    static final FrameJoiner NONE = new FrameJoiner(Optional.empty(), Integer.MAX_VALUE);

    private final BatchingProtocol batching;
    private final int maxMessages;
    private final int maxBytes;

    /**
     * @param batching the protocol's capability, if any
     * @param maxBytes the largest frame in UTF-8 bytes (maxMessageBytes)
     */
    FrameJoiner(Optional<BatchingProtocol> batching, int maxBytes) {
        this.batching = batching.orElse(null);
        this.maxMessages = batching.map(b -> Math.max(1, Math.min(MAX_MESSAGES, b.maxMessages()))).orElse(1);
        this.maxBytes = maxBytes;
    }

    /** Whether frames can be joined at all. */
    boolean joins() {
        return maxMessages > 1;
    }

    /** Most messages in one frame (1 without the capability). */
    int maxMessages() {
        return maxMessages;
    }

    /** Whether a frame of {@code bytes} may join a group of {@code count} frames of {@code groupBytes} in {@code room}. */
    boolean fits(String groupRoom, int count, long groupBytes, OutFrame f) {
        return count == 0 || (count < maxMessages && !f.room().isEmpty() && f.room().equals(groupRoom)
                && groupBytes + f.bytes() <= maxBytes);
    }

    /** The frames, consecutive ones of one room joined within the bounds. */
    List<OutFrame> join(List<OutFrame> frames) {
        if (!joins() || frames.size() < 2) {
            return frames;
        }
        List<OutFrame> out = new ArrayList<>();
        List<OutFrame> group = new ArrayList<>();
        long groupBytes = 0;
        for (OutFrame f : frames) {
            if (!group.isEmpty() && !fits(group.get(0).room(), group.size(), groupBytes, f)) {
                flush(group, out);
                groupBytes = 0;
            }
            group.add(f);
            groupBytes += f.bytes();
        }
        flush(group, out);
        return out;
    }

    /** One frame for the group (or its frames one by one when the protocol cannot join them); clears it. */
    private void flush(List<OutFrame> group, List<OutFrame> out) {
        if (group.size() == 1) {
            out.add(group.get(0));
        } else if (!group.isEmpty()) {
            Optional<OutFrame> joined = joined(group);
            if (joined.isPresent()) {
                out.add(joined.get());
            } else {
                out.addAll(group);
            }
        }
        group.clear();
    }

    /** The group as one frame, identified by its last message; empty when the protocol cannot join it. */
    Optional<OutFrame> joined(List<OutFrame> group) {
        if (group.size() == 1) {
            return Optional.of(group.get(0));
        }
        if (batching == null) {
            return Optional.empty();
        }
        List<String> texts = new ArrayList<>(group.size());
        for (OutFrame f : group) {
            texts.add(f.text());
        }
        Optional<String> text;
        try {
            text = batching.join(texts);
        } catch (RuntimeException e) {
            return Optional.empty(); // a plugin's bug costs batching, never a message
        }
        OutFrame last = group.get(group.size() - 1);
        return text.map(t -> new OutFrame(last.id(), last.room(), t, Rooms.utf8Length(t)));
    }
}
