package io.solconnect.relay.examples.e2e;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./relay bench crash --kills 5}: a sender JVM on the {@code file} store is killed with
 * SIGKILL five times while it sends and restarted on the same store; every message it confirmed
 * must reach the receiver, and none twice. Runs the packaged module path (failsafe, after
 * {@code package}) as the launcher does.
 */
class CrashBenchIT {

    @Test
    void killedSenderLosesAndDuplicatesNothing() throws Exception {
        Path modules = Path.of(System.getProperty("relay.modules", "target/modules"));
        assertTrue(Files.isDirectory(modules), "no module directory at " + modules.toAbsolutePath() + "; run after package");
        Path output = Files.createTempFile("crash-bench-", ".txt");
        Path log = Files.createTempFile("crash-bench-", ".log");
        try {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--module-path", modules.toString(), "-m", "io.solconnect.relay.examples/io.solconnect.relay.examples.Main",
                    "bench", "crash", "--kills", "5", "--seed", "17", "--min-delay", "100ms", "--max-delay", "800ms",
                    "--module-path", modules.toString())
                    .redirectOutput(output.toFile()).redirectError(log.toFile()).start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("bench crash did not end within 5 minutes:\n" + read(output) + "\nlog:\n" + read(log));
            }
            String out = read(output) + "\n(standard error:)\n" + read(log);
            System.out.println(out);
            String summary = out.lines().filter(l -> l.startsWith("summary ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no summary line:\n" + out));
            Map<String, String> f = fields(summary);
            assertEquals("5", f.get("kills"), out);
            assertEquals("5", f.get("sigkill_exits"), () -> "every kill must be a SIGKILL (exit 137):\n" + out);
            assertTrue(Long.parseLong(f.get("confirmed")) > 0, out);
            assertEquals("0", f.get("lost"), out);
            assertEquals("0", f.get("duplicates"), out);
            assertEquals("0", f.get("final_drain_exit"), out);
            assertEquals(5, out.lines().filter(l -> l.startsWith("kill #") && l.contains(" restart_ms=")).count(), out);
            // Reordering of replayed messages is a known engine bug (branch order); reported, not asserted here.
            if (!"0".equals(f.get("out_of_order"))) {
                System.out.println("CrashBenchIT: out_of_order=" + f.get("out_of_order") + " (known bug, see branch order)");
            }
        } finally {
            Files.deleteIfExists(output);
            Files.deleteIfExists(log);
        }
    }

    private static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    private static Map<String, String> fields(String line) {
        Map<String, String> m = new HashMap<>();
        for (String kv : List.of(line.substring("summary ".length()).split(" "))) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                m.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        return m;
    }
}
