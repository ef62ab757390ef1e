package io.solconnect.relay.core;

import io.solconnect.relay.api.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Factories for {@link Scheduler}s. Stateless and thread-safe.
 *
 * <p>Production code uses {@link #system()}; tests inject a virtual-time scheduler of their own so
 * that every timing decision of the engine is deterministic.
 */
public final class Schedulers {

    private Schedulers() {
    }

    /**
     * A {@link Scheduler} that is also closeable, releasing its threads.
     */
    public interface CloseableScheduler extends Scheduler, AutoCloseable {
        /** Stops the threads; tasks not yet started are dropped. Idempotent. */
        @Override
        void close();
    }

    /**
     * A scheduler backed by the system clock ({@link Instant#now()}), {@link System#nanoTime()} and
     * a {@link ScheduledThreadPoolExecutor} of two daemon threads named
     * {@code solconnect-scheduler-N}. Tasks must not block; an exception a task throws is logged at
     * WARN and swallowed. Close it when the client that uses it is stopped.
     *
     * @return a new scheduler with its own two threads
     */
    public static CloseableScheduler system() {
        return system(2);
    }

    /**
     * Like {@link #system()} with a chosen number of threads.
     *
     * @param threads 1..64 daemon threads
     * @return a new scheduler
     * @throws IllegalArgumentException if {@code threads} is out of range
     */
    public static CloseableScheduler system(int threads) {
        if (threads < 1 || threads > 64) {
            throw new IllegalArgumentException("threads must be in 1..64, was " + threads);
        }
        return new SystemScheduler(threads);
    }

    private static final class SystemScheduler implements CloseableScheduler {
        private static final Logger log = LoggerFactory.getLogger(SystemScheduler.class);
        private static final AtomicInteger POOLS = new AtomicInteger();
        private final ScheduledThreadPoolExecutor pool;

        SystemScheduler(int threads) {
            int poolId = POOLS.incrementAndGet();
            AtomicInteger n = new AtomicInteger();
            ThreadFactory tf = r -> {
                Thread t = new Thread(r, "solconnect-scheduler-" + poolId + "-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
            pool = new ScheduledThreadPoolExecutor(threads, tf);
            pool.setRemoveOnCancelPolicy(true);
            pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        }

        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
            Objects.requireNonNull(task, "task");
            long nanos = Math.max(0, delay.toNanos());
            if (pool.isShutdown()) {
                return () -> false;
            }
            ScheduledFuture<?> f = pool.schedule(guard(task), nanos, TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        }

        @Override
        public void execute(Runnable task) {
            Objects.requireNonNull(task, "task");
            if (!pool.isShutdown()) {
                pool.execute(guard(task));
            }
        }

        private static Runnable guard(Runnable task) {
            return () -> {
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    log.warn("scheduled task failed", e);
                }
            };
        }

        @Override
        public void close() {
            pool.shutdownNow();
        }
    }
}
