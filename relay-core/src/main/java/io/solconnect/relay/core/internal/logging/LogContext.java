package io.solconnect.relay.core.internal.logging;

import io.solconnect.relay.api.Scheduler;
import org.slf4j.MDC;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The SLF4J MDC keys of one client's log lines: {@value #SESSION} (the session id) on every line
 * the engine, pool, discovery, store and listener tasks log, and {@value #RELAY} (a relay id) on
 * lines about one relay. Threads are shared (a scheduler may serve several clients), so the keys
 * are set around each task and the thread's previous values restored after it, never left
 * behind. Immutable and thread-safe.
 */
public final class LogContext {

    /** MDC key of the session id: eight hex digits, random per client. */
    public static final String SESSION = "relay.session";
    /** MDC key of the relay a line concerns: its id (URL). */
    public static final String RELAY = "relay.id";

    private final String session;

    /**
     * The context of one client session.
     *
     * @param session the session id
     */
    public LogContext(String session) {
        this.session = Objects.requireNonNull(session, "session");
    }

    /**
     * The session id.
     *
     * @return the id
     */
    public String session() {
        return session;
    }

    /**
     * Wraps a task so that it runs with this session's key set.
     *
     * @param task the task
     * @return the wrapped task
     */
    public Runnable wrap(Runnable task) {
        Objects.requireNonNull(task, "task");
        return () -> run(task);
    }

    /**
     * Runs a task now with this session's key set.
     *
     * @param task the task
     */
    public void run(Runnable task) {
        String before = MDC.get(SESSION);
        MDC.put(SESSION, session);
        try {
            task.run();
        } finally {
            restore(SESSION, before);
        }
    }

    /**
     * Computes a value now with this session's key set.
     *
     * @param task the computation
     * @param <T> the value type
     * @return its value
     */
    public <T> T call(Supplier<T> task) {
        String before = MDC.get(SESSION);
        MDC.put(SESSION, session);
        try {
            return task.get();
        } finally {
            restore(SESSION, before);
        }
    }

    /**
     * Runs a task now with this session's and a relay's keys set.
     *
     * @param relay the relay id
     * @param task  the task
     */
    public void runFor(String relay, Runnable task) {
        String before = MDC.get(RELAY);
        MDC.put(RELAY, relay);
        try {
            run(task);
        } finally {
            restore(RELAY, before);
        }
    }

    /**
     * An executor that runs every task with this session's key set.
     *
     * @param executor the executor
     * @return the wrapping executor
     */
    public Executor wrap(Executor executor) {
        Objects.requireNonNull(executor, "executor");
        return task -> executor.execute(wrap(task));
    }

    /**
     * A scheduler whose tasks and timers run with this session's key set; time is the given
     * scheduler's.
     *
     * @param scheduler the scheduler
     * @return the wrapping scheduler
     */
    public Scheduler wrap(Scheduler scheduler) {
        Objects.requireNonNull(scheduler, "scheduler");
        LogContext context = this;
        return new Scheduler() {
            @Override
            public Instant now() {
                return scheduler.now();
            }

            @Override
            public long nanoTime() {
                return scheduler.nanoTime();
            }

            @Override
            public Cancellable schedule(Duration delay, Runnable task) {
                return scheduler.schedule(delay, context.wrap(task));
            }

            @Override
            public void execute(Runnable task) {
                scheduler.execute(context.wrap(task));
            }
        };
    }

    /** The keys as a map, e.g. for a test. */
    Map<String, String> keys() {
        return Map.of(SESSION, session);
    }

    private static void restore(String key, String before) {
        if (before == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, before);
        }
    }
}
