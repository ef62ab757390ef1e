package io.solconnect.relay.api;

import java.time.Duration;
import java.time.Instant;

/**
 * The time source and task runner handed to the engine and to plugins. Production code gets one
 * backed by the system clock and a scheduled thread pool; tests inject a virtual one whose time
 * advances only when the test says, which makes timing behaviour deterministic.
 *
 * <p>Implementations are thread-safe. Tasks must not block: they run on a small shared pool.
 */
public interface Scheduler {

    /**
     * The current wall-clock time.
     *
     * @return now
     */
    Instant now();

    /**
     * A monotonic time in nanoseconds, for measuring intervals (RTT, failover time). Only the
     * difference of two readings means anything.
     *
     * @return nanoseconds from an arbitrary origin
     */
    long nanoTime();

    /**
     * Runs a task once after a delay.
     *
     * @param delay how long to wait; zero or negative runs it as soon as possible
     * @param task  the task; exceptions it throws are logged and swallowed
     * @return a handle that cancels the task if it has not started
     */
    Cancellable schedule(Duration delay, Runnable task);

    /**
     * Runs a task as soon as possible, asynchronously.
     *
     * @param task the task; exceptions it throws are logged and swallowed
     */
    void execute(Runnable task);

    /** A scheduled task that can be cancelled. */
    interface Cancellable {
        /**
         * Cancels the task if it has not started; harmless otherwise.
         *
         * @return true if this call stopped it from running
         */
        boolean cancel();
    }
}
