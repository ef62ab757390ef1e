package io.solconnect.relay.examples.e2e;

import io.solconnect.relay.api.SessionState;
import io.solconnect.relay.examples.server.RelayServer;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./relay send} and {@code ./relay receive} as separate OS processes (the packaged module
 * path, {@code java -m}) against three example relays; the relay carrying the stream is killed
 * while messages flow. Both processes must exit 0 and their summary lines must report nothing
 * lost and nothing duplicated. Runs after {@code package} (failsafe), when
 * {@code target/modules} exists.
 */
class SendReceiveProcessesIT {

    private static final int COUNT = 2000;
    private static final String ROOM = "process-room";

    @Test
    void sendAndReceiveProcessesLoseAndDuplicateNothingAcrossAKilledRelay() throws Exception {
        Path modules = Path.of(System.getProperty("relay.modules", "target/modules"));
        assertTrue(Files.isDirectory(modules), "no module directory at " + modules.toAbsolutePath() + "; run after package");
        try (Relays relays = new Relays(3)) {
            String list = Arrays.stream(relays.uris()).map(URI::toString).collect(Collectors.joining(","));
            try (Cli receive = new Cli(modules, "receive", "--relays", list, "--room", ROOM, "--until",
                    Integer.toString(COUNT), "--timeout", "150s")) {
                receive.await(l -> l.startsWith("receive ready"));
                try (Cli send = new Cli(modules, "send", "--relays", list, "--room", ROOM, "--count",
                        Integer.toString(COUNT), "--rate", "150", "--timeout", "150s")) {
                    String line = send.await(l -> l.startsWith("send connected relay=") && l.endsWith("role=primary"));
                    String primary = line.substring("send connected relay=".length(), line.indexOf(' ', "send connected relay=".length()));
                    RelayServer victim = relays.byId(primary);

                    // watch the stream on the sender's relay; kill it once messages flow through it
                    try (E2EClient watcher = new E2EClient(E2EClient.config(victim.uri()).build())) {
                        watcher.start(ROOM);
                        watcher.await("watcher connected", () -> watcher.manager().status().state() == SessionState.CONNECTED);
                        // the stream passes this relay (its history or live); at 150/s most of it is still to
                        // come, and the sender's failover count below proves the kill came mid-stream
                        watcher.awaitReceived(1);
                        victim.kill();
                    }

                    String sendSummary = send.awaitExit();
                    System.out.println("send    " + sendSummary);
                    Map<String, String> sent = summary(sendSummary);
                    assertEquals(0, send.exitCode(), () -> "send failed:\n" + send.output());
                    assertEquals(Integer.toString(COUNT), sent.get("sent"), send::output);
                    assertEquals(Integer.toString(COUNT), sent.get("acked"), send::output);
                    assertEquals("0", sent.get("lost"), send::output);
                    // a sender cannot count duplicates at the receivers: it prints "-" there
                    assertTrue(Optional.ofNullable(sent.get("duplicates")).filter(d -> d.equals("0") || d.equals("-")).isPresent(),
                            send::output);
                    assertTrue(Integer.parseInt(sent.get("failovers")) >= 1, () -> "the sender's relay was killed:\n" + send.output());
                }
                String receiveSummary = receive.awaitExit();
                System.out.println("receive " + receiveSummary);
                Map<String, String> received = summary(receiveSummary);
                assertEquals(0, receive.exitCode(), () -> "receive failed:\n" + receive.output());
                assertEquals(Integer.toString(COUNT), received.get("delivered"), receive::output);
                assertEquals("0", received.get("lost"), receive::output);
                assertEquals("0", received.get("duplicates"), receive::output);
                assertTrue(receive.output().lines().noneMatch(l -> l.contains("order_violations")), receive::output);
            }
        }
    }

    private static Map<String, String> summary(String line) {
        Map<String, String> fields = new HashMap<>();
        for (String kv : line.substring("summary ".length()).split(" ")) {
            int eq = kv.indexOf('=');
            fields.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return fields;
    }

    /** One {@code ./relay} subcommand in its own JVM; its output is collected line by line. */
    private static final class Cli implements AutoCloseable {
        private final Process process;
        private final List<String> lines = new ArrayList<>(); // guarded by this
        private boolean ended; // guarded by this

        Cli(Path modules, String... args) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--module-path", modules.toString(),
                    "-m", "io.solconnect.relay.examples/io.solconnect.relay.examples.Main"));
            cmd.addAll(List.of(args));
            process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String l;
                    while ((l = r.readLine()) != null) {
                        synchronized (this) {
                            lines.add(l);
                            notifyAll();
                        }
                    }
                } catch (IOException e) {
                    // the process ended
                } finally {
                    synchronized (this) {
                        ended = true;
                        notifyAll();
                    }
                }
            }, "cli-" + args[0]);
            reader.setDaemon(true);
            reader.start();
        }

        /** Waits for a line of output that matches, and returns it. */
        synchronized String await(Predicate<String> match) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (true) {
                Optional<String> hit = lines.stream().filter(match).findFirst();
                if (hit.isPresent()) {
                    return hit.get();
                }
                long left = deadline - System.nanoTime();
                if (ended || left <= 0) {
                    throw new AssertionError("expected line not printed; output:\n" + String.join("\n", lines));
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        /** Waits for the process to end and returns its summary line. */
        String awaitExit() throws InterruptedException {
            if (!process.waitFor(180, TimeUnit.SECONDS)) {
                throw new AssertionError("did not end; output:\n" + output());
            }
            return await(l -> l.startsWith("summary "));
        }

        int exitCode() {
            return process.exitValue();
        }

        synchronized String output() {
            return String.join("\n", lines);
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}
