package io.solconnect.relay.examples.bench.scale;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One bundled relay ({@code ./relay relay-server --port 0}) in a child JVM on the benchmark's own
 * module path, so that SIGKILL takes the whole relay away as a crash would: the kernel closes its
 * sockets and the clients see their connections end. Standard error goes to a log file; standard
 * output is read for the {@code listening on} line.
 *
 * <p>Used by the harness thread only (plus the reader thread it owns).
 */
final class RelayProcess implements AutoCloseable {

    private static final String MAIN = "io.solconnect.relay.examples/io.solconnect.relay.examples.Main";
    private static final String LISTENING = "relay-server listening on ";

    private final Process process;
    private final CompletableFuture<URI> uri = new CompletableFuture<>();

    /**
     * Starts the relay JVM.
     *
     * @param modulePath the module path (the launcher's)
     * @param heap       its {@code -Xmx}, e.g. {@code 1g}
     * @param log        where its standard error goes
     * @throws IOException when the JVM cannot be started
     */
    RelayProcess(String modulePath, String heap, Path log) throws IOException {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-XX:+UseSerialGC", "--module-path", modulePath, "-m", MAIN, "relay-server", "--port", "0");
        process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        Thread reader = new Thread(this::read, "scale-relay-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String l;
            while ((l = r.readLine()) != null) {
                if (l.startsWith(LISTENING)) {
                    String rest = l.substring(LISTENING.length()).strip();
                    uri.complete(URI.create(rest.split("\\s+")[0]));
                }
            }
        } catch (IOException | RuntimeException e) {
            uri.completeExceptionally(e);
        }
        uri.completeExceptionally(new IOException("relay process " + process.pid() + " ended before it listened"));
    }

    /**
     * Waits for the relay to listen.
     *
     * @param timeout the longest wait
     * @return its {@code ws://127.0.0.1:PORT/} address
     * @throws IOException when it ended or did not listen in time
     * @throws InterruptedException when interrupted
     */
    URI awaitListening(Duration timeout) throws IOException, InterruptedException {
        try {
            return uri.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException("relay process " + process.pid() + " did not listen within " + timeout.toSeconds() + " s");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException(e.getCause().getMessage(), e.getCause());
        }
    }

    /** @return the process id */
    long pid() {
        return process.pid();
    }

    /** @return CPU time the relay JVM used so far, in nanoseconds, or -1 when the OS does not say */
    long cpuNanos() {
        return process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }

    /**
     * Kills the relay with SIGKILL ({@link ProcessHandle#destroyForcibly()} on Linux) and waits for
     * it to end.
     *
     * @return its exit code (137 = 128 + SIGKILL)
     * @throws InterruptedException when interrupted
     */
    int kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        return process.waitFor();
    }

    /** Kills the relay if it still runs. */
    @Override
    public void close() {
        process.toHandle().destroyForcibly();
    }
}
