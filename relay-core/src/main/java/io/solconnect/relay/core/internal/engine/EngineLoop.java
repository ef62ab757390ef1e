package io.solconnect.relay.core.internal.engine;

import io.solconnect.relay.api.Scheduler;
import io.solconnect.relay.core.internal.logging.LogContext;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serial loop that owns all engine state: tasks run one at a time, each to its end, in the
 * order they were queued, and never two at once; the loop holds no lock while a task runs.
 *
 * <p>Like gRPC's {@code SynchronizationContext}, the loop is a turn, not a thread. {@link #post}
 * always queues and lets a drain on the executor run the task (transport callbacks use it, so the
 * engine never runs inside a transport call). {@link #run} runs the task at once on the calling
 * thread when the loop is free and queues it otherwise (timers use it: they never block).
 * {@link #call} does the same and waits for the answer (the application's {@code send},
 * {@code status}, {@code stop}). A task that calls {@link #call} or {@link #run} from inside the
 * loop runs directly. Tasks from one source keep their order; tasks from different sources have
 * none (a timer that finds the loop free runs before tasks posted earlier by a transport thread,
 * as it did when it took the engine lock). Thread-safe.
 */
final class EngineLoop {

    private static final Logger log = LoggerFactory.getLogger(EngineLoop.class);

    private final String name;
    private final LogContext logs;
    private final Executor executor;
    private final Scheduler scheduler;
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    /** The thread taking the loop's turn now; null when the loop is free. */
    private Thread owner;
    /** A drain is queued on the executor (or running). */
    private boolean drainQueued;

    EngineLoop(String name, Scheduler scheduler) {
        this(name, scheduler, new LogContext(name));
    }

    /** A loop whose every task runs with the session's MDC key (its thread may be the caller's). */
    EngineLoop(String name, Scheduler scheduler, LogContext logs) {
        this.name = name;
        this.logs = logs;
        this.scheduler = scheduler;
        this.executor = scheduler::execute;
    }

    /** Queues a task behind every task queued before it; never runs it on the calling thread. */
    void post(Runnable task) {
        boolean start;
        synchronized (this) {
            queue.addLast(task);
            start = !drainQueued;
            drainQueued = true;
        }
        if (start) {
            startDrain();
        }
    }

    /**
     * Queues a task about one relay, as {@link #post}; its log lines carry the relay's MDC key
     * ({@code relay.id}) besides the session's.
     */
    void postFor(String relay, Runnable task) {
        post(() -> logs.runFor(relay, task));
    }

    /** Runs a task now on this thread if the loop is free (or this thread is in it), else queues it. */
    void run(Runnable task) {
        Thread me = Thread.currentThread();
        boolean outer;
        synchronized (this) {
            if (owner == me) {
                outer = false; // already in the loop: run in place
            } else if (owner == null) {
                owner = me;
                outer = true;
            } else {
                // the thread in the loop drains it, or hands the queue to a drain when it leaves
                queue.addLast(task);
                return;
            }
        }
        if (!outer) {
            runSafely(task);
            return;
        }
        try {
            runSafely(task);
        } finally {
            release();
        }
    }

    /** Runs {@code task} in the loop's turn and waits for its answer (on this thread when the loop is free). */
    <T> T call(Supplier<T> task) {
        Thread me = Thread.currentThread();
        CompletableFuture<T> answer = new CompletableFuture<>();
        run(() -> {
            try {
                answer.complete(task.get());
            } catch (RuntimeException | Error e) {
                answer.completeExceptionally(e);
            }
        });
        if (!answer.isDone() && owner() == me) {
            throw new IllegalStateException(name + ": a call from inside the loop did not complete");
        }
        try {
            return answer.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** Runs {@code task} in the loop after {@code delay} (a timer: see {@link #run}). */
    Scheduler.Cancellable schedule(Duration delay, Runnable task) {
        return scheduler.schedule(delay, () -> run(task));
    }

    /** Queues {@code task} for the loop after {@code delay} (see {@link #post}). */
    Scheduler.Cancellable schedulePost(Duration delay, Runnable task) {
        return scheduler.schedule(delay, () -> post(task));
    }

    /** Tasks waiting for the loop (for tests). */
    synchronized int queued() {
        return queue.size();
    }

    /** Whether the calling thread is in the loop's turn now (for assertions and tests). */
    synchronized boolean inLoop() {
        return owner == Thread.currentThread();
    }

    private synchronized Thread owner() {
        return owner;
    }

    /** Gives the turn back; queued tasks then go to a drain on the executor. */
    private void release() {
        boolean start;
        synchronized (this) {
            owner = null;
            start = !queue.isEmpty() && !drainQueued;
            if (start) {
                drainQueued = true;
            }
        }
        if (start) {
            startDrain();
        }
    }

    private void startDrain() {
        try {
            executor.execute(this::drain);
        } catch (RuntimeException e) {
            synchronized (this) {
                drainQueued = false;
                queue.clear();
            }
            log.debug("{}: executor refused work ({}), tasks dropped", name, e.toString());
        }
    }

    private void drain() {
        Thread me = Thread.currentThread();
        while (true) {
            Runnable next;
            synchronized (this) {
                if (owner != null && owner != me) {
                    drainQueued = false; // the thread in the loop hands the queue on when it leaves
                    return;
                }
                next = queue.pollFirst();
                if (next == null) {
                    owner = null;
                    drainQueued = false;
                    return;
                }
                owner = me;
            }
            runSafely(next);
        }
    }

    private void runSafely(Runnable task) {
        try {
            logs.run(task);
        } catch (RuntimeException e) {
            log.warn("{}: an engine task threw; the session goes on", name, e);
        }
    }
}
