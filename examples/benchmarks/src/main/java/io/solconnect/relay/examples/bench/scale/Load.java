package io.solconnect.relay.examples.bench.scale;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends {@code ratePerSession} messages per second from every session, spread evenly: one sender
 * thread takes the sessions round-robin in 10 ms steps, so N sessions at 1 msg/s make N msg/s in
 * total, never a burst of N. Every {@code send} stage is counted when it completes: acknowledged by
 * a relay, or failed (the first errors are kept). A message is lost when its stage did not complete
 * with an acknowledgement once the run drained.
 *
 * <p>{@link #start()} and {@link #stop()} from the harness thread; the counters are safe from any thread.
 */
final class Load {

    private static final long STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final List<Session> sessions;
    private final double ratePerSession;
    private final String padding;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final List<String> errors = new ArrayList<>(); // guarded by itself, the first 10
    private volatile boolean running;
    private Thread thread;

    /**
     * @param sessions       the senders
     * @param ratePerSession messages per second per session
     * @param size           payload size in bytes (ASCII), at least 32
     */
    Load(List<Session> sessions, double ratePerSession, int size) {
        this.sessions = List.copyOf(sessions);
        this.ratePerSession = ratePerSession;
        this.padding = "x".repeat(size);
    }

    /** Starts sending. */
    void start() {
        running = true;
        thread = new Thread(this::run, "scale-sender");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        double perNano = ratePerSession * sessions.size() / 1e9;
        long t0 = System.nanoTime();
        long next = t0;
        int cursor = 0;
        while (running) {
            long due = (long) ((System.nanoTime() - t0) * perNano) - sent.get();
            for (long i = 0; i < due && running; i++) {
                Session s = sessions.get(cursor);
                cursor = (cursor + 1) % sessions.size();
                send(s);
            }
            next += STEP_NANOS;
            LockSupport.parkNanos(next - System.nanoTime()); // pacing, not waiting for something to happen
        }
    }

    private void send(Session s) {
        long seq = sent.incrementAndGet();
        String head = s.room() + " " + seq + " ";
        String payload = head + padding.substring(Math.min(padding.length(), head.length()));
        s.manager().send(s.room(), payload).whenComplete((r, e) -> {
            if (e == null && r.isOk()) {
                acked.incrementAndGet();
                return;
            }
            failed.incrementAndGet();
            synchronized (errors) {
                if (errors.size() < 10) {
                    errors.add(e != null ? e.toString() : r.failure().map(Object::toString).orElse("?"));
                }
            }
        });
    }

    /**
     * Stops sending and waits for the sender thread.
     *
     * @throws InterruptedException when interrupted
     */
    void stop() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join();
        }
    }

    /** @return messages handed to {@code send} */
    long sent() {
        return sent.get();
    }

    /** @return sends acknowledged */
    long acked() {
        return acked.get();
    }

    /** @return sends completed with an error */
    long failed() {
        return failed.get();
    }

    /** @return sends not completed yet */
    long pending() {
        return sent.get() - acked.get() - failed.get();
    }

    /** @return the first errors, at most 10 */
    List<String> errors() {
        synchronized (errors) {
            return List.copyOf(errors);
        }
    }
}
