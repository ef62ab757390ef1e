package io.solconnect.relay.discovery.bootstrap;

import io.solconnect.relay.api.Scheduler;

import java.time.Duration;
import java.time.Instant;

/** A scheduler whose clock stands still; the discovery source only reads the time. */
final class TestScheduler implements Scheduler {
    static final Instant T0 = Instant.parse("2026-11-24T12:00:00Z");

    @Override
    public Instant now() {
        return T0;
    }

    @Override
    public long nanoTime() {
        return 0;
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        throw new UnsupportedOperationException("the bootstrap source schedules nothing");
    }

    @Override
    public void execute(Runnable task) {
        throw new UnsupportedOperationException("the bootstrap source runs nothing asynchronously");
    }
}
