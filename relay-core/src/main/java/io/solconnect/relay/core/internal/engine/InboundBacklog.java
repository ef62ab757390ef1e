package io.solconnect.relay.core.internal.engine;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The frames a link's transport thread decoded and queued for the engine loop, not yet processed,
 * bounded by count and bytes: a relay that sends faster than the loop takes frames (or a loop held
 * up by a long task) cannot fill the heap. The first frame over a limit trips the backlog for good;
 * the link is then closed with 1008 and every later frame of it dropped (the session reconnects and
 * resumes what it missed). Thread-safe: the transport thread admits, the loop takes.
 */
final class InboundBacklog {

    /** Most frames of one link queued for the loop. */
    static final int MAX_FRAMES = 10_000;
    /** Most UTF-8 bytes of one link's frames queued for the loop (32 MiB). */
    static final long MAX_BYTES = 32L * 1024 * 1024;

    private final int maxFrames;
    private final long maxBytes;
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicBoolean tripped = new AtomicBoolean();

    InboundBacklog() {
        this(MAX_FRAMES, MAX_BYTES);
    }

    InboundBacklog(int maxFrames, long maxBytes) {
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
    }

    /**
     * Admits a frame of {@code size} bytes to the queue; false when the backlog is (or now becomes)
     * over a limit, and the frame must be dropped.
     */
    boolean admit(int size) {
        if (tripped.get()) {
            return false;
        }
        long f = frames.incrementAndGet();
        long b = bytes.addAndGet(size);
        if (f > maxFrames || b > maxBytes) {
            frames.decrementAndGet();
            bytes.addAndGet(-size);
            tripped.set(true);
            return false;
        }
        return true;
    }

    /** Returns true exactly once, to the first caller after the backlog tripped: it reports the overflow. */
    boolean reportOverflow() {
        return tripped.get() && reported.compareAndSet(false, true);
    }

    private final AtomicBoolean reported = new AtomicBoolean();

    /** The loop took a frame of {@code size} bytes off the queue. */
    void taken(int size) {
        frames.decrementAndGet();
        bytes.addAndGet(-size);
    }

    /** Frames queued now. */
    long frames() {
        return frames.get();
    }

    /** Bytes queued now. */
    long bytes() {
        return bytes.get();
    }

    /** What the limits are, for logs and events. */
    String describe() {
        return frames.get() + " frames, " + bytes.get() + " bytes queued; limits " + maxFrames + " frames, "
                + maxBytes + " bytes";
    }
}
