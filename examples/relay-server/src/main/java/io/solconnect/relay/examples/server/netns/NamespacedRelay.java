package io.solconnect.relay.examples.server.netns;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The reference relay server ({@code relay-server}) as a child JVM inside its own {@link NetNs},
 * listening on the namespace's address: the relay's own faults go to the child's standard input
 * ({@link #kill()}, {@link #blackhole()}, {@link #slow(Duration)}, {@link #heal()},
 * {@link #restart()}), the network's are made by the kernel ({@link #partition()} sets the link
 * down, {@link #rateLimit(long)} adds {@code tbf}; {@link #reconnect()} and
 * {@link #clearRateLimit()} undo them). The child runs on the module path of the current JVM
 * ({@code jdk.module.path}), so the caller must run on the module path with the relay-server module
 * on it.
 *
 * <p>Thread-safe: the commands are serialised on the instance's lock; each waits (at most 10 s)
 * for the child's answer.
 */
public final class NamespacedRelay implements AutoCloseable {

    private static final String MAIN = "io.solconnect.relay.examples/io.solconnect.relay.examples.Main";
    private static final String LISTENING = "relay-server listening on ";
    private static final long ANSWER_SECONDS = 10;

    private final NetNs ns;
    private final Process process;
    private final Writer stdin;
    // what the child printed since the last command; bounded: its log lines are not read otherwise
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>(1000);
    private final Deque<String> recent = new ArrayDeque<>();
    private final URI uri;
    private volatile boolean running = true;

    private NamespacedRelay(NetNs ns, Process process) throws IOException {
        this.ns = ns;
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::pump, "relay-" + ns.name() + "-out");
        reader.setDaemon(true);
        reader.start();
        String first = awaitLine(l -> l.startsWith(LISTENING), Duration.ofSeconds(60), "start");
        this.uri = URI.create(first.substring(LISTENING.length()).strip());
    }

    /**
     * Creates a namespace and starts a relay in it on an ephemeral port; returns once it listens.
     *
     * @return the relay; close it
     * @throws IOException when the namespace or the process cannot be made, or the relay does not
     *                     report its address within 60 s (the message holds its last output)
     */
    public static NamespacedRelay start() throws IOException {
        String modulePath = System.getProperty("jdk.module.path");
        if (modulePath == null || modulePath.isBlank()) {
            throw new IllegalStateException("not running on the module path: cannot start the relay-server module");
        }
        NetNs ns = NetNs.create();
        try {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> cmd = ns.command(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "--module-path", modulePath,
                    "-m", MAIN, "relay-server", "--host", ns.insideAddress(), "--port", "0"));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            try {
                return new NamespacedRelay(ns, p);
            } catch (IOException | RuntimeException e) {
                p.destroyForcibly();
                waitFor(p);
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            ns.close();
            throw e;
        }
    }

    private void pump() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (recent) {
                    recent.addLast(line);
                    if (recent.size() > 20) {
                        recent.removeFirst();
                    }
                }
                lines.offer(line); // dropped when full: nobody is waiting for an answer then
            }
        } catch (IOException e) {
            // the process is gone; awaitLine reports it
        }
    }

    private String awaitLine(java.util.function.Predicate<String> match, Duration timeout, String what)
            throws IOException {
        long end = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = end - System.nanoTime();
                String line = left > 0 ? lines.poll(Math.min(left, 200_000_000L), TimeUnit.NANOSECONDS) : null;
                if (line != null && match.test(line)) {
                    return line;
                }
                if (line != null && line.startsWith(what + " failed")) {
                    throw new IOException(this + ": " + line);
                }
                if (line == null && (!process.isAlive() && lines.isEmpty() || left <= 0)) {
                    throw new IOException(this + ": no answer to '" + what + "'"
                            + (process.isAlive() ? " within " + timeout.toSeconds() + " s" : ", process exited")
                            + "; last output: " + recentOutput());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(this + ": interrupted waiting for '" + what + "'", e);
        }
    }

    private String recentOutput() {
        synchronized (recent) {
            return String.join(" | ", new ArrayList<>(recent));
        }
    }

    /** Sends one fault command and waits for {@code ok <command> running=...}. */
    private synchronized void command(String line) throws IOException {
        String word = line.split(" ")[0];
        lines.clear();
        stdin.write(line + "\n");
        stdin.flush();
        String ok = awaitLine(l -> l.startsWith("ok " + word + " "), Duration.ofSeconds(ANSWER_SECONDS), word);
        running = ok.contains("running=true");
    }

    /**
     * The relay's URL, e.g. {@code ws://10.203.7.2:41234/}; the same after {@link #restart()}.
     *
     * @return the URL
     */
    public URI uri() {
        return uri;
    }

    /**
     * The namespace the relay runs in.
     *
     * @return the namespace
     */
    public NetNs namespace() {
        return ns;
    }

    /**
     * Whether the relay listens, as of its last answer (false after {@link #kill()}), regardless
     * of the network faults.
     *
     * @return true while running
     */
    public boolean running() {
        return running && process.isAlive();
    }

    /**
     * The relay's {@code kill}: connections reset, no close frames; undone by {@link #restart()}.
     *
     * @throws IOException when the child does not confirm
     */
    public void kill() throws IOException {
        command("kill");
    }

    /**
     * The relay's {@code blackhole} (in user space: the relay reads and sends nothing); undone by
     * {@link #heal()}.
     *
     * @throws IOException when the child does not confirm
     */
    public void blackhole() throws IOException {
        command("blackhole");
    }

    /**
     * The relay's {@code slow}: every read held back by {@code by}; undone by {@link #heal()}.
     *
     * @param by the delay, 1 ms or more
     * @throws IOException when the child does not confirm
     */
    public void slow(Duration by) throws IOException {
        if (by.toMillis() < 1) {
            throw new IllegalArgumentException("slow needs at least 1 ms, was " + by);
        }
        command("slow " + by.toMillis() + "ms");
    }

    /**
     * The relay's {@code heal}: ends {@link #blackhole()} and {@link #slow(Duration)}.
     *
     * @throws IOException when the child does not confirm
     */
    public void heal() throws IOException {
        command("heal");
    }

    /**
     * The relay's {@code restart} on the same port, after {@link #kill()}.
     *
     * @throws IOException when the child does not confirm
     */
    public void restart() throws IOException {
        command("restart");
    }

    /**
     * A real partition: the namespace's link goes down ({@link NetNs#linkDown()}); the relay
     * process runs on but nothing reaches it and nothing it sends arrives.
     *
     * @throws IOException when {@code ip} fails
     */
    public void partition() throws IOException {
        ns.linkDown();
    }

    /**
     * Ends {@link #partition()} ({@link NetNs#linkUp()}).
     *
     * @throws IOException when {@code ip} fails
     */
    public void reconnect() throws IOException {
        ns.linkUp();
    }

    /**
     * Limits the link to the relay to {@code bitsPerSecond} each way ({@link NetNs#rateLimit(long)}).
     *
     * @param bitsPerSecond the rate, 8000 or more
     * @throws IOException when {@code tc} fails
     */
    public void rateLimit(long bitsPerSecond) throws IOException {
        ns.rateLimit(bitsPerSecond);
    }

    /**
     * Removes the rate limit ({@link NetNs#clearRateLimit()}).
     *
     * @throws IOException when {@code tc} fails
     */
    public void clearRateLimit() throws IOException {
        ns.clearRateLimit();
    }

    /**
     * Stops the child (asks it to quit, then kills it after 5 s) and removes the namespace.
     * Idempotent; errors are ignored.
     */
    @Override
    public void close() {
        try {
            synchronized (this) {
                stdin.write("quit\n");
                stdin.flush();
            }
        } catch (IOException e) {
            // already gone
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                waitFor(process);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        ns.close();
    }

    private static void waitFor(Process p) {
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "relay in " + ns;
    }
}
