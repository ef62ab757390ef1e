package io.solconnect.relay.examples.cli;

import io.solconnect.relay.api.Scheduler;

import java.io.PrintStream;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Prints a progress line once a second while a command runs, e.g.
 * {@code send progress sent=500/1000 acked=480 failovers=0}. {@code send} and {@code receive}
 * start one only when standard output is a terminal ({@link #onTerminal}), so that scripts and
 * the tests that read their output see the same lines as before. Runs on the command's
 * scheduler; {@link #stop} may be called from any thread.
 */
public final class Progress implements AutoCloseable {

    /** How often the line is printed. */
    public static final Duration EVERY = Duration.ofSeconds(1);

    private final Scheduler scheduler;
    private final PrintStream out;
    private final String label;
    private final Supplier<String> line;
    private Scheduler.Cancellable next; // guarded by this
    private boolean stopped; // guarded by this

    private Progress(Scheduler scheduler, PrintStream out, String label, Supplier<String> line) {
        this.scheduler = scheduler;
        this.out = out;
        this.label = label;
        this.line = line;
    }

    /**
     * Starts printing {@code "<label> progress <line>"} every {@link #EVERY}.
     *
     * @param scheduler runs the ticks
     * @param out       where the lines go
     * @param label     the command name, e.g. {@code "send"}
     * @param line      the figures, read on each tick (must be thread-safe)
     * @return the running progress; close it to stop
     */
    public static Progress start(Scheduler scheduler, PrintStream out, String label, Supplier<String> line) {
        Progress p = new Progress(scheduler, out, label, line);
        p.schedule();
        return p;
    }

    /**
     * {@link #start} when standard output is a terminal ({@code System.console() != null}),
     * otherwise a progress that prints nothing.
     *
     * @param scheduler runs the ticks
     * @param out       where the lines go
     * @param label     the command name
     * @param line      the figures
     * @return the progress; close it to stop
     */
    public static Progress onTerminal(Scheduler scheduler, PrintStream out, String label, Supplier<String> line) {
        if (System.console() == null) {
            Progress silent = new Progress(scheduler, out, label, line);
            silent.stop();
            return silent;
        }
        return start(scheduler, out, label, line);
    }

    private synchronized void schedule() {
        if (!stopped) {
            next = scheduler.schedule(EVERY, this::tick);
        }
    }

    private void tick() {
        synchronized (this) {
            if (stopped) {
                return;
            }
        }
        out.println(label + " progress " + line.get());
        schedule();
    }

    /** Stops printing; idempotent. */
    public synchronized void stop() {
        stopped = true;
        if (next != null) {
            next.cancel();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
