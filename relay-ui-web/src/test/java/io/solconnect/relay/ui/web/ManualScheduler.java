package io.solconnect.relay.ui.web;

import io.solconnect.relay.api.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A virtual {@link Scheduler}: time moves only in {@link #advance}, which runs what fell due. */
final class ManualScheduler implements Scheduler {

    private final class Task implements Cancellable {
        final long due;
        final Runnable body;
        boolean cancelled;

        Task(long due, Runnable body) {
            this.due = due;
            this.body = body;
        }

        @Override
        public boolean cancel() {
            synchronized (ManualScheduler.this) {
                boolean was = !cancelled && tasks.contains(this);
                cancelled = true;
                tasks.remove(this);
                return was;
            }
        }
    }

    private final Instant origin = Instant.parse("2026-11-24T12:00:00Z");
    private final List<Task> tasks = new ArrayList<>();
    private long nanos;

    @Override
    public synchronized Instant now() {
        return origin.plusNanos(nanos);
    }

    @Override
    public synchronized long nanoTime() {
        return nanos;
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable task) {
        Task t = new Task(nanos + Math.max(0, delay.toNanos()), task);
        tasks.add(t);
        return t;
    }

    @Override
    public void execute(Runnable task) {
        schedule(Duration.ZERO, task);
    }

    synchronized int pending() {
        return tasks.size();
    }

    /** Moves time forward, running every task that falls due (in due order) on the calling thread. */
    void advance(Duration by) {
        long target;
        synchronized (this) {
            target = nanos + by.toNanos();
        }
        while (true) {
            Task next = null;
            synchronized (this) {
                for (Task t : tasks) {
                    if (t.due <= target && (next == null || t.due < next.due)) {
                        next = t;
                    }
                }
                if (next == null) {
                    nanos = target;
                    return;
                }
                tasks.remove(next);
                nanos = Math.max(nanos, next.due);
            }
            next.body.run();
        }
    }
}
