package io.solconnect.relay.core.internal.engine;

/**
 * A token bucket for writes and their bytes per second: what resend requests may make this session
 * write again. Full at the start, refilled continuously at its rate, holding at most one second's
 * worth. Used per link ({@link #perLink()}) and once for the session's own origin
 * ({@link #perOrigin()}), so that members asking on many links cannot multiply it. Confined to the
 * engine loop.
 */
final class Budget {

    /** Messages per second one link may write again at members' requests. */
    static final int LINK_WRITES_PER_SECOND = 2_000;
    /** Bytes per second one link may write again at members' requests (2 MiB). */
    static final long LINK_BYTES_PER_SECOND = 2L * 1024 * 1024;
    /** Messages per second the session's origin may write again, over all links. */
    static final int ORIGIN_WRITES_PER_SECOND = 4_000;
    /** Bytes per second the session's origin may write again, over all links (4 MiB). */
    static final long ORIGIN_BYTES_PER_SECOND = 4L * 1024 * 1024;

    private static final long SECOND = 1_000_000_000L;

    private final long writesPerSecond;
    private final long bytesPerSecond;
    private double writes;
    private double bytes;
    private long lastNanos = Long.MIN_VALUE;

    Budget(long writesPerSecond, long bytesPerSecond) {
        if (writesPerSecond <= 0 || bytesPerSecond <= 0) {
            throw new IllegalArgumentException("rates must be positive: " + writesPerSecond + ", " + bytesPerSecond);
        }
        this.writesPerSecond = writesPerSecond;
        this.bytesPerSecond = bytesPerSecond;
        this.writes = writesPerSecond;
        this.bytes = bytesPerSecond;
    }

    static Budget perLink() {
        return new Budget(LINK_WRITES_PER_SECOND, LINK_BYTES_PER_SECOND);
    }

    static Budget perOrigin() {
        return new Budget(ORIGIN_WRITES_PER_SECOND, ORIGIN_BYTES_PER_SECOND);
    }

    /** Whether one write of {@code size} bytes fits at {@code now} (without taking it). */
    boolean fits(long now, int size) {
        refill(now);
        return writes >= 1 && bytes >= size;
    }

    /** Takes one write of {@code size} bytes (after {@link #fits} said yes). */
    void take(int size) {
        writes -= 1;
        bytes -= size;
    }

    private void refill(long now) {
        if (lastNanos != Long.MIN_VALUE && now > lastNanos) {
            double secs = (now - lastNanos) / (double) SECOND;
            writes = Math.min(writesPerSecond, writes + secs * writesPerSecond);
            bytes = Math.min(bytesPerSecond, bytes + secs * bytesPerSecond);
        }
        if (lastNanos == Long.MIN_VALUE || now > lastNanos) {
            lastNanos = now;
        }
    }
}
