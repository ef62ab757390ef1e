package io.solconnect.relay.examples.server.nats;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One {@code nats-server} process with JetStream, listening on 127.0.0.1 only, its store in a
 * directory of its own; alone or as a node of a {@link NatsCluster}. {@link #kill()} is a SIGKILL;
 * {@link #restart()} starts it again on the same ports with the same store, as a rebooted node.
 * Thread-safe.
 */
public final class NatsServerProcess implements AutoCloseable {

    /** Where Debian's {@code nats-server} package puts the binary. */
    public static final Path DEBIAN_BINARY = Path.of("/usr/sbin/nats-server");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);

    private final String name;
    private final int port;
    private final Path storeDir;
    private final List<String> extraArgs;
    private final Deque<String> lastLines = new ArrayDeque<>(); // guarded by itself
    private Process process; // guarded by this

    private NatsServerProcess(String name, int port, Path storeDir, List<String> extraArgs) {
        this.name = name;
        this.port = port;
        this.storeDir = storeDir;
        this.extraArgs = List.copyOf(extraArgs);
    }

    /**
     * The {@code nats-server} binary: Debian's, or the first on the {@code PATH}.
     *
     * @return the binary, empty when it is not installed ({@code apt-get install nats-server})
     */
    public static Optional<Path> binary() {
        if (Files.isExecutable(DEBIAN_BINARY)) {
            return Optional.of(DEBIAN_BINARY);
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "nats-server");
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * Starts a single JetStream node on a free loopback port, its store in a new temporary
     * directory that {@link #close()} removes, and waits until it is ready.
     *
     * @return the running node
     * @throws IOException when nats-server is missing or does not become ready
     */
    public static NatsServerProcess startSingle() throws IOException {
        return start("n1", freePort(), Files.createTempDirectory("nats-js-"), List.of());
    }

    /**
     * Starts a node and waits until it is ready (listening for clients).
     *
     * @param name      the server name, unique in a cluster
     * @param port      the client port on 127.0.0.1
     * @param storeDir  the JetStream store directory, removed by {@link #close()}
     * @param extraArgs further {@code nats-server} arguments (cluster and routes)
     * @return the running node
     * @throws IOException when nats-server is missing or does not become ready
     */
    static NatsServerProcess start(String name, int port, Path storeDir, List<String> extraArgs) throws IOException {
        NatsServerProcess p = new NatsServerProcess(name, port, storeDir, extraArgs);
        p.launch();
        return p;
    }

    private synchronized void launch() throws IOException {
        Path bin = binary().orElseThrow(() -> new IOException(
                "nats-server is not installed: apt-get install -y nats-server (./relay-test does it when run as root)"));
        List<String> cmd = new ArrayList<>(List.of(bin.toString(), "-a", "127.0.0.1", "-p", Integer.toString(port),
                "-n", name, "-js", "-sd", storeDir.toString()));
        cmd.addAll(extraArgs);
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CountDownLatch ready = new CountDownLatch(1);
        Thread pump = new Thread(() -> pump(proc, ready), "nats-server-" + name + "-log");
        pump.setDaemon(true);
        pump.start();
        process = proc;
        try {
            if (!ready.await(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) || !proc.isAlive()) {
                proc.destroyForcibly();
                throw new IOException("nats-server " + name + " did not become ready within " + READY_TIMEOUT
                        + "; its last lines: " + lastLines());
            }
        } catch (InterruptedException e) {
            proc.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting nats-server " + name, e);
        }
    }

    private void pump(Process proc, CountDownLatch ready) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (lastLines) {
                    lastLines.addLast(line);
                    if (lastLines.size() > 40) {
                        lastLines.removeFirst();
                    }
                }
                if (line.contains("Server is ready")) {
                    ready.countDown();
                }
            }
        } catch (IOException e) {
            // the process went away
        }
        ready.countDown(); // a process that died is not ready: launch() checks isAlive()
    }

    /**
     * The server's last output lines (for failure messages).
     *
     * @return up to 40 lines, oldest first
     */
    public List<String> lastLines() {
        synchronized (lastLines) {
            return List.copyOf(lastLines);
        }
    }

    /**
     * The node's client URL, {@code nats://127.0.0.1:PORT}.
     *
     * @return the URL
     */
    public URI uri() {
        return URI.create("nats://127.0.0.1:" + port);
    }

    /**
     * The server name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Whether the process runs.
     *
     * @return true while running
     */
    public synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    /** Kills the process with SIGKILL and waits for it to end; its store stays. Idempotent. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly(); // SIGKILL on Linux
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /**
     * Starts the node again on the same port with the same store; kills it first when running.
     *
     * @throws IOException when it does not become ready
     */
    public synchronized void restart() throws IOException {
        kill();
        launch();
    }

    /** Kills the process and removes its store directory. */
    @Override
    public void close() {
        kill();
        try (Stream<Path> files = Files.walk(storeDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // a leftover temp directory is harmless
        }
    }

    /** A TCP port free on 127.0.0.1 now. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
