package io.solconnect.relay.core.internal.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A link's wait for the answers to its resume requests. Live deliveries the relay forwards between
 * a join and the answer are newer than the history in it: they are held here and processed after
 * it, or their sender's order would start at them and the older ones would come late. Each period
 * of waiting has a round number, so that a timeout ends only its own period. An answer may come in
 * parts (the caller waits for the last). The rooms asked about stay noted until an answer comes,
 * also after a timeout, so that a connection closed for an answer too large to read (1009) can be
 * told from the rooms it was about. At most {@value #MAX_FRAMES} frames and {@value #MAX_BYTES}
 * bytes are held: a relay that sends more while the answer is pending has the link closed (see
 * {@link #hold}). Confined to the engine loop.
 */
final class ResumeGate {

    /** Most live frames held while a resume is pending. */
    static final int MAX_FRAMES = 10_000;
    /** Most UTF-8 bytes of live frames held while a resume is pending (16 MiB). */
    static final long MAX_BYTES = 16L * 1024 * 1024;

    private final int maxFrames;
    private final long maxBytes;
    private int pending;
    private int round;
    private long heldBytes;
    private final List<InFrame> early = new ArrayList<>();
    /** Room asked about, and the relay sequence asked from; until an answer (or its last part) arrives. */
    private final Map<String, Long> unanswered = new LinkedHashMap<>();

    /** Notes that a resume for {@code room} from relay sequence {@code from} was asked for. */
    void asked(String room, long from) {
        unanswered.put(room, from);
    }

    /** The rooms asked about and not answered yet (also after a timeout), with the sequence asked from. */
    Map<String, Long> unanswered() {
        return Map.copyOf(unanswered);
    }

    ResumeGate() {
        this(MAX_FRAMES, MAX_BYTES);
    }

    ResumeGate(int maxFrames, long maxBytes) {
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
    }

    /** A resume request was written: returns the round to time out, or -1 when a wait is already on. */
    int requested() {
        return pending++ == 0 ? ++round : -1;
    }

    /** Whether live deliveries wait now. */
    boolean waiting() {
        return pending > 0;
    }

    /**
     * Holds a live delivery until the wait ends; false, holding nothing, when it would pass a limit
     * (the caller closes the link: the relay sends more than any honest one between a join and its
     * answer).
     */
    boolean hold(InFrame f) {
        if (early.size() >= maxFrames || heldBytes + f.bytes() > maxBytes) {
            return false;
        }
        early.add(f);
        heldBytes += f.bytes();
        return true;
    }

    /** Frames held now. */
    int heldFrames() {
        return early.size();
    }

    /** Bytes held now. */
    long heldBytes() {
        return heldBytes;
    }

    /** The figures, for logs and events. */
    String describe() {
        return early.size() + " frames, " + heldBytes + " bytes held; limits " + maxFrames + " frames, " + maxBytes + " bytes";
    }

    /** An answer arrived: returns the held deliveries, in order, when it was the last one awaited. */
    List<InFrame> answered() {
        unanswered.clear(); // the answer does not say for which room: any answer shows they get through
        return --pending == 0 ? release() : List.of();
    }

    /** The wait of {@code r} timed out: returns the held deliveries, or null when that wait is over. */
    List<InFrame> timedOut(int r) {
        return pending == 0 || round != r ? null : release();
    }

    private List<InFrame> release() {
        pending = 0;
        List<InFrame> out = List.copyOf(early);
        early.clear();
        heldBytes = 0;
        return out;
    }
}
