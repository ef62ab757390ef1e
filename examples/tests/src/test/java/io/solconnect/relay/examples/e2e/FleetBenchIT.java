package io.solconnect.relay.examples.e2e;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code ./relay bench fleet} end to end with tiny settings, as its own JVM on the launcher's
 * module directory (a missing {@code requires}, e.g. of HdrHistogram or the NATS client, fails
 * here): a real nats-server, real relays and clients on loopback. Checks that each mode prints its
 * per-round lines and parseable summary lines with sane figures and nothing lost or duplicated;
 * not the figures' size, which depends on the machine.
 */
class FleetBenchIT {

    @BeforeEach
    void natsServerInstalled() {
        NatsServerRequired.check();
    }

    @Test
    void latencyModePrintsEachStrategyAndTheRatio() throws Exception {
        List<String> lines = bench("--clients", "4", "--room-size", "2", "--rate", "10", "--rounds", "1",
                "--warmup-rounds", "0", "--warmup", "500ms", "--duration", "1s", "--linger", "100ms");
        String all = String.join("\n", lines);
        for (String s : List.of("p2c-ewma", "least-connections", "round-robin")) {
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("round 1 " + s + " ")), () -> "no round of " + s + ":\n" + all);
            Map<String, String> f = summary(lines, "strategy=" + s);
            assertEquals("1", f.get("rounds"), all);
            double p50 = Double.parseDouble(f.get("p50_ms"));
            double p99 = Double.parseDouble(f.get("p99_ms"));
            assertTrue(p50 > 0 && p99 >= p50 && p99 < 60_000, () -> s + ": p50 " + p50 + " p99 " + p99 + "\n" + all);
            double share = Double.parseDouble(f.get("on_slow_share"));
            assertTrue(share >= 0 && share <= 1, all);
            assertEquals("0", f.get("lost"), all);
            assertEquals("0", f.get("duplicates"), all);
            assertEquals("0", f.get("failed"), all);
        }
        Map<String, String> ratio = summary(lines, "ratio_p99_p2c_ewma_over_round_robin=");
        assertTrue(Double.parseDouble(ratio.get("ratio_p99_p2c_ewma_over_round_robin")) > 0, all);
        assertEquals("0.50", ratio.get("target"), all);
        assertTrue(List.of("true", "false").contains(ratio.get("met")), all);
    }

    @Test
    void throughputModeComparesTheRelayWithAndWithoutTheBackplane() throws Exception {
        List<String> lines = bench("--mode", "throughput", "--flooders", "2", "--messages", "400", "--rounds", "1",
                "--warmup-rounds", "0");
        String all = String.join("\n", lines);
        for (String relay : List.of("memory", "backplane")) {
            Map<String, String> f = summary(lines, "relay=" + relay);
            assertTrue(Double.parseDouble(f.get("accepted_per_s")) > 0, all);
            assertTrue(Double.parseDouble(f.get("delivered_per_s")) > 0, all);
            assertEquals("0", f.get("lost"), all);
            assertEquals("0", f.get("duplicates"), all);
        }
        assertTrue(Double.parseDouble(summary(lines, "ratio_delivered_backplane_over_memory=")
                .get("ratio_delivered_backplane_over_memory")) > 0, all);
    }

    /** Runs the benchmark in its own JVM; asserts exit 0 and returns its standard output's lines. */
    private static List<String> bench(String... args) throws Exception {
        Path modules = Path.of(System.getProperty("relay.modules", "target/modules"));
        assertTrue(Files.isDirectory(modules), "no module directory at " + modules.toAbsolutePath() + "; run after package");
        Path output = Files.createTempFile("fleet-bench-", ".txt");
        Path log = Files.createTempFile("fleet-bench-", ".log");
        try {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--module-path", modules.toString(), "-m", "io.solconnect.relay.examples/io.solconnect.relay.examples.Main",
                    "bench", "fleet"));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectOutput(output.toFile()).redirectError(log.toFile()).start();
            if (!p.waitFor(4, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                fail("bench fleet did not end within 4 minutes:\n" + read(output) + "\nlog:\n" + read(log));
            }
            String out = read(output);
            System.out.println(out);
            assertEquals(0, p.exitValue(), () -> out + "\n(standard error:)\n" + read(log));
            return out.lines().toList();
        } finally {
            Files.deleteIfExists(output);
            Files.deleteIfExists(log);
        }
    }

    /** The {@code key=value} fields of the one summary line holding {@code marker}. */
    private static Map<String, String> summary(List<String> lines, String marker) {
        List<String> found = lines.stream().filter(l -> l.startsWith("summary ") && l.contains(" " + marker)).toList();
        assertEquals(1, found.size(), () -> "summary lines with '" + marker + "':\n" + String.join("\n", lines));
        Map<String, String> m = new HashMap<>();
        for (String kv : found.get(0).substring("summary ".length()).split(" ")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                m.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        return m;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
