package io.solconnect.relay.ui.web;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status server's worker threads: at most {@link #THREADS} threads and {@link #QUEUE} waiting
 * connections, and a read deadline. The JDK server reads a request's line and headers on the
 * worker, with blocking reads; a client that sends them slowly (slow-loris) would hold the worker
 * for as long as it likes. Each task is therefore timed from its start until the handler says the
 * request has been read ({@link #requestRead()}); a watchdog interrupts a worker still reading
 * after the deadline, which closes the connection's channel (an interrupted read on an
 * {@link java.nio.channels.InterruptibleChannel} closes it). Thread-safe.
 */
final class BoundedWorkers implements Executor, AutoCloseable {

    /** Worker threads at most: the event streams' 16 plus as many for ordinary requests. */
    static final int THREADS = 32;
    /** Connections waiting for a worker at most; beyond it new ones are refused. */
    static final int QUEUE = 256;

    private static final Logger LOG = LoggerFactory.getLogger(BoundedWorkers.class);

    private final ThreadPoolExecutor pool;
    private final ScheduledExecutorService watchdog;
    private final long timeoutNanos;
    private final Map<Thread, Long> reading = new HashMap<>(); // guarded by this
    private final AtomicLong cutOff = new AtomicLong();

    BoundedWorkers(long readTimeoutMillis, ThreadFactory workers, ThreadFactory watchdogThread) {
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(readTimeoutMillis);
        this.pool = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE),
                workers, (r, p) -> {
                    throw new RejectedExecutionException("status page busy: " + THREADS + " workers and " + QUEUE
                            + " waiting connections");
                });
        this.pool.allowCoreThreadTimeOut(true);
        this.watchdog = Executors.newSingleThreadScheduledExecutor(watchdogThread);
        long period = Math.max(10, readTimeoutMillis / 4);
        watchdog.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public void execute(Runnable task) {
        try {
            pool.execute(() -> run(task));
        } catch (RejectedExecutionException e) {
            LOG.warn("{}; a connection is dropped", e.getMessage());
            throw e;
        }
    }

    private void run(Runnable task) {
        Thread me = Thread.currentThread();
        synchronized (this) {
            reading.put(me, System.nanoTime());
        }
        try {
            task.run();
        } finally {
            synchronized (this) {
                reading.remove(me);
                Thread.interrupted(); // a late interrupt must not reach the next task
            }
        }
    }

    /** Called by the handler once the request line and headers are read: no deadline from now on. */
    void requestRead() {
        synchronized (this) {
            reading.remove(Thread.currentThread());
        }
    }

    /** Connections closed because they did not send their request within the deadline. */
    long cutOff() {
        return cutOff.get();
    }

    private synchronized void sweep() {
        long now = System.nanoTime();
        for (Iterator<Map.Entry<Thread, Long>> it = reading.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Thread, Long> e = it.next();
            if (now - e.getValue() >= timeoutNanos) {
                it.remove();
                cutOff.incrementAndGet();
                e.getKey().interrupt();
            }
        }
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
        pool.shutdownNow();
    }
}
