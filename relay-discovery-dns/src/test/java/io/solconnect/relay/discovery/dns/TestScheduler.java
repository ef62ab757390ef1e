package io.solconnect.relay.discovery.dns;

import io.solconnect.relay.api.Scheduler;

import java.time.Duration;
import java.time.Instant;

/**
 * A scheduler whose wall clock stands still; the discovery source only reads the time. Its
 * monotonic clock is the real one, since the lookup deadline bounds real DNS timeouts.
 */
final class TestScheduler implements Scheduler {
    static final Instant T0 = Instant.parse("2026-11-24T12:00:00Z");

    @Override
    public Instant now() {
        return T0;
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        throw new UnsupportedOperationException("the dns source schedules nothing");
    }

    @Override
    public void execute(Runnable task) {
        throw new UnsupportedOperationException("the dns source runs nothing asynchronously");
    }
}
