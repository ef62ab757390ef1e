package io.solconnect.relay.core.internal.engine;

import java.time.Duration;

/**
 * Rate limit for reports of malformed frames, so that a relay sending garbage cannot flood the
 * log or the event listeners: the first malformed frame of an interval is reported in full, the
 * rest are only counted, and the count is reported once the interval is over (at the next frame
 * or pong from any relay), after which a new interval starts. So a flood yields one line per
 * interval. Every frame is still counted in the session's totals and the relay's health. One per
 * session; confined to the engine loop. Times are the scheduler's nano time.
 */
final class MalformedReports {

    /** The interval: at most one report (a frame or a count) per this time under a flood. */
    static final Duration INTERVAL = Duration.ofSeconds(10);

    /** The count of malformed frames not reported one by one, and the latest of them. */
    record Summary(long count, Duration over, String relay, String reason) {
    }

    private final long intervalNanos;
    private boolean open;
    private long windowStart;
    private long suppressed;
    private String lastRelay;
    private String lastReason;

    MalformedReports(Duration interval) {
        this.intervalNanos = interval.toNanos();
    }

    /**
     * A malformed frame arrived at {@code now}: returns whether to report it in full (the first of
     * an interval); otherwise it is counted for the next {@link #due} summary.
     */
    boolean report(long now, String relay, String reason) {
        if (!open || now - windowStart >= intervalNanos && suppressed == 0) {
            open = true;
            windowStart = now;
            return true;
        }
        suppressed++;
        lastRelay = relay;
        lastReason = reason;
        return false;
    }

    /** Whether frames were counted that no summary has reported yet. */
    boolean pending() {
        return suppressed > 0;
    }

    /**
     * The summary due at {@code now}, or null: when frames were counted and their interval is
     * over. A summary starts the next interval, so a steady flood keeps being counted.
     */
    Summary due(long now) {
        if (suppressed == 0 || now - windowStart < intervalNanos) {
            return null;
        }
        Summary s = new Summary(suppressed, Duration.ofNanos(now - windowStart), lastRelay, lastReason);
        suppressed = 0;
        windowStart = now;
        return s;
    }
}
