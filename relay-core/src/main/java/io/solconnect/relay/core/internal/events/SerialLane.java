package io.solconnect.relay.core.internal.events;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on an executor, never on the submitting thread.
 * Bounded: when {@code capacity} tasks wait, the oldest is dropped and counted, so a stuck consumer
 * costs memory up to the bound and never blocks the submitter. Thread-safe.
 */
public final class SerialLane {

    private static final Logger log = LoggerFactory.getLogger(SerialLane.class);

    private final String name;
    private final Executor executor;
    private final int capacity;
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private boolean running;
    private long dropped;

    /**
     * Creates a lane.
     *
     * @param name     for logs
     * @param executor where tasks run
     * @param capacity most waiting tasks, at least 1
     */
    public SerialLane(String name, Executor executor, int capacity) {
        this.name = name;
        this.executor = Objects.requireNonNull(executor);
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
    }

    /** Queues a task; never blocks. */
    public void submit(Runnable task) {
        boolean start;
        synchronized (this) {
            if (queue.size() >= capacity) {
                queue.pollFirst();
                dropped++;
                if (Long.bitCount(dropped) == 1) {
                    log.warn("{}: a slow consumer made the lane drop {} tasks so far", name, dropped);
                }
            }
            queue.addLast(task);
            start = !running;
            running = true;
        }
        if (start) {
            try {
                executor.execute(this::drain);
            } catch (RuntimeException e) {
                synchronized (this) {
                    running = false;
                    queue.clear();
                }
                log.debug("{}: executor refused work ({}), tasks dropped", name, e.toString());
            }
        }
    }

    /** Tasks dropped because the lane was full. */
    public synchronized long dropped() {
        return dropped;
    }

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (this) {
                next = queue.pollFirst();
                if (next == null) {
                    running = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException | Error e) {
                log.warn("{}: a listener threw; it was skipped", name, e);
            }
        }
    }
}
