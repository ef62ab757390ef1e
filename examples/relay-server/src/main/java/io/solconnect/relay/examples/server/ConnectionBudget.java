package io.solconnect.relay.examples.server;

/**
 * What one connection may still do in the current wall-clock second: frames and resend frames,
 * counted in fixed one-second windows of the relay's clock. Thread-safe (synchronized); Tyrus
 * delivers one connection's frames one at a time, so the lock is uncontended.
 */
final class ConnectionBudget {

    private final int framesPerSecond;
    private final int resendsPerSecond;
    private long window = Long.MIN_VALUE;
    private int frames;
    private int resends;

    ConnectionBudget(RelayServerOptions.Limits limits) {
        this.framesPerSecond = limits.framesPerSecond();
        this.resendsPerSecond = limits.resendsPerSecond();
    }

    /** The outcome of counting one frame. */
    enum Verdict {
        /** Within the limit. */
        OK,
        /** The first frame over the limit in this second: answer it with an error. */
        FIRST_OVER,
        /** A later frame over the limit: drop it without an answer. */
        OVER
    }

    /**
     * Counts one inbound frame.
     *
     * @param nowMillis the relay clock's time, in milliseconds
     * @return whether the frame may be handled
     */
    synchronized Verdict frame(long nowMillis) {
        roll(nowMillis);
        frames++;
        if (frames <= framesPerSecond) {
            return Verdict.OK;
        }
        return frames == framesPerSecond + 1 ? Verdict.FIRST_OVER : Verdict.OVER;
    }

    /**
     * Counts one resend frame.
     *
     * @param nowMillis the relay clock's time, in milliseconds
     * @return true when it may be broadcast
     */
    synchronized boolean resend(long nowMillis) {
        roll(nowMillis);
        resends++;
        return resends <= resendsPerSecond;
    }

    private void roll(long nowMillis) {
        long w = Math.floorDiv(nowMillis, 1000);
        if (w != window) {
            window = w;
            frames = 0;
            resends = 0;
        }
    }
}
