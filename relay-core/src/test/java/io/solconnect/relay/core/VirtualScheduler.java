package io.solconnect.relay.core;

import io.solconnect.relay.api.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;

/**
 * A deterministic scheduler whose time moves only when a test says so. Tasks due at the same time
 * run in the order they were scheduled. Everything runs on the calling (test) thread.
 */
public final class VirtualScheduler implements Scheduler {

    private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private long nanos;
    private long seq;
    private long executed;

    private final class Task implements Comparable<Task>, Cancellable {
        final long at;
        final long order;
        final Runnable body;
        boolean cancelled;

        Task(long at, long order, Runnable body) {
            this.at = at;
            this.order = order;
            this.body = body;
        }

        @Override
        public int compareTo(Task o) {
            int c = Long.compare(at, o.at);
            return c != 0 ? c : Long.compare(order, o.order);
        }

        @Override
        public boolean cancel() {
            synchronized (VirtualScheduler.this) {
                if (cancelled) {
                    return false;
                }
                cancelled = true;
                return queue.remove(this);
            }
        }
    }

    @Override
    public synchronized Instant now() {
        return EPOCH.plusNanos(nanos);
    }

    @Override
    public synchronized long nanoTime() {
        return nanos;
    }

    /** Virtual milliseconds elapsed since creation. */
    public synchronized double millis() {
        return nanos / 1e6;
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable task) {
        Task t = new Task(nanos + Math.max(0, delay.toNanos()), seq++, task);
        queue.add(t);
        return t;
    }

    @Override
    public void execute(Runnable task) {
        schedule(Duration.ZERO, task);
    }

    /** Runs every task due now, including those they schedule for now. */
    public void runUntilIdle() {
        advance(Duration.ZERO);
    }

    /** Moves time forward by {@code d}, running every task due on the way, in time order. */
    public void advance(Duration d) {
        long target;
        synchronized (this) {
            target = nanos + d.toNanos();
        }
        while (true) {
            Task t;
            synchronized (this) {
                t = queue.peek();
                if (t == null || t.at > target) {
                    nanos = target;
                    return;
                }
                queue.poll();
                nanos = Math.max(nanos, t.at);
                executed++;
            }
            try {
                t.body.run();
            } catch (RuntimeException e) {
                throw new AssertionError("task failed at virtual " + millis() + " ms", e);
            }
        }
    }

    /**
     * Advances in small steps until a condition holds.
     *
     * @return the virtual time it took
     * @throws AssertionError if it does not hold within {@code max}
     */
    public Duration advanceUntil(BooleanSupplier condition, Duration max) {
        long start = nanoTime();
        runUntilIdle();
        while (!condition.getAsBoolean()) {
            if (nanoTime() - start >= max.toNanos()) {
                throw new AssertionError("condition not met within " + max + " of virtual time");
            }
            advance(Duration.ofMillis(1));
        }
        return Duration.ofNanos(nanoTime() - start);
    }

    /** Tasks queued, for tests that check nothing is left behind. */
    public synchronized int pending() {
        return queue.size();
    }
}
