package io.solconnect.relay.transport.tyrus;

import io.solconnect.relay.api.Scheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** A scheduler whose time moves only when the test says; tasks run in {@link #advance}. Thread-safe. */
final class ManualScheduler implements Scheduler {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final List<Task> tasks = new ArrayList<>();
    /** Added to the clock on every {@link #nanoTime()} read, to make measured intervals visible. */
    private volatile long stepPerRead;

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

    void stepPerRead(Duration step) {
        stepPerRead = step.toNanos();
    }

    @Override
    public Instant now() {
        return Instant.ofEpochSecond(0, nanos.get());
    }

    @Override
    public long nanoTime() {
        return nanos.getAndAdd(stepPerRead);
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable task) {
        Task t = new Task(nanos.get() + Math.max(0, delay.toNanos()), task);
        tasks.add(t);
        return t;
    }

    @Override
    public void execute(Runnable task) {
        task.run();
    }

    /** Moves the clock forward and runs what became due. */
    void advance(Duration d) {
        long now = nanos.addAndGet(d.toNanos());
        List<Task> due = new ArrayList<>();
        synchronized (this) {
            for (Task t : List.copyOf(tasks)) {
                if (t.due <= now) {
                    tasks.remove(t);
                    due.add(t);
                }
            }
        }
        due.forEach(t -> t.body.run());
    }

    synchronized int pending() {
        return tasks.size();
    }
}
