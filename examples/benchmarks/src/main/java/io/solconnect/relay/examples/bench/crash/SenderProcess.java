package io.solconnect.relay.examples.bench.crash;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One incarnation of {@link CrashSender} in its own JVM, and the thread that reads its output:
 * each {@code accepted} line goes to the {@link DeliveryLedger} as a confirmed message and raises
 * the highest confirmed number. Its standard error is appended to a log file.
 *
 * <p>Used by the harness thread only, except the reader thread it owns.
 */
final class SenderProcess {

    private final Process process;
    private final Thread reader;
    private final CountDownLatch connected = new CountDownLatch(1);
    private final AtomicLong confirmed = new AtomicLong();
    private final ArrayDeque<String> tail = new ArrayDeque<>(); // guarded by itself
    private final List<String> failures = new ArrayList<>(); // guarded by itself
    private volatile long connectedAtNanos;

    /**
     * Starts the process.
     *
     * @param command the command line
     * @param log     where its standard error is appended
     * @param ledger  where confirmed messages go
     * @param highest raised to every confirmed number
     * @throws IOException when the JVM cannot be started
     */
    SenderProcess(List<String> command, Path log, DeliveryLedger ledger, AtomicLong highest) throws IOException {
        process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        reader = new Thread(() -> read(ledger, highest), "crash-sender-output");
        reader.setDaemon(true);
        reader.start();
    }

    private void read(DeliveryLedger ledger, AtomicLong highest) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String l;
            while ((l = r.readLine()) != null) {
                if (l.startsWith("accepted ")) {
                    String[] p = l.split(" ");
                    long seq = Long.parseLong(p[2]);
                    ledger.confirmed(new CrashPayload(Integer.parseInt(p[1]), seq));
                    highest.accumulateAndGet(seq, Math::max);
                    confirmed.incrementAndGet();
                    continue;
                }
                if (l.startsWith("connected ")) {
                    connectedAtNanos = System.nanoTime();
                    connected.countDown();
                }
                if (l.startsWith("failed ") || l.startsWith("refused ")) {
                    synchronized (failures) {
                        failures.add(l);
                    }
                }
                synchronized (tail) {
                    tail.addLast(l);
                    if (tail.size() > 20) {
                        tail.removeFirst();
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            synchronized (tail) {
                tail.addLast("(output unreadable: " + e + ")");
            }
        }
    }

    /**
     * Waits until the process printed {@code connected}.
     *
     * @param timeout the longest wait
     * @return when it did, on {@link System#nanoTime()}, or -1 on timeout or exit
     * @throws InterruptedException when interrupted
     */
    long awaitConnected(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (connected.await(50, TimeUnit.MILLISECONDS)) {
                return connectedAtNanos;
            }
            if (!process.isAlive()) {
                return -1;
            }
        }
        return -1;
    }

    /**
     * Kills the process with SIGKILL, waits for it and for the last line it printed to be read.
     *
     * <p>Through {@link ProcessHandle#destroyForcibly()} (SIGKILL on Linux), not
     * {@link Process#destroyForcibly()}: the latter also closes our end of the process's output,
     * which throws away confirmations it printed that were not read yet, so that messages it
     * confirmed would look unconfirmed.
     *
     * @return its exit code (137 = 128 + SIGKILL)
     * @throws InterruptedException when interrupted
     */
    int kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        int code = process.waitFor();
        reader.join();
        return code;
    }

    /**
     * Asks the process to stop sending and drain its outbox, and waits for it to exit.
     *
     * @param timeout the longest wait
     * @return its exit code, or -1 when it had to be killed
     * @throws InterruptedException when interrupted
     */
    int stopAndDrain(Duration timeout) throws InterruptedException {
        try {
            OutputStream in = process.getOutputStream();
            in.write("stop\n".getBytes(StandardCharsets.US_ASCII));
            in.flush();
            in.close();
        } catch (IOException e) {
            // it already ended: waitFor says how
        }
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
            return -1;
        }
        reader.join();
        return process.exitValue();
    }

    /** Kills the process if it still runs (cleanup after an error). */
    void destroy() {
        process.destroyForcibly();
    }

    /** @return messages this process confirmed */
    long confirmed() {
        return confirmed.get();
    }

    /** @return its {@code failed}/{@code refused} lines */
    List<String> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    /** @return its last lines of output other than confirmations */
    String tail() {
        synchronized (tail) {
            return String.join("\n", tail);
        }
    }
}
