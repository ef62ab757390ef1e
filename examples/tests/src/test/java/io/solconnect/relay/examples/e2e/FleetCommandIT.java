package io.solconnect.relay.examples.e2e;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code ./relay fleet} as its own JVM on the launcher's module directory (so a missing
 * {@code requires}, e.g. of the NATS client, fails here): a 3-node NATS cluster, three relays, a
 * relay crash and a NATS node SIGKILL, and a summary line with nothing lost or duplicated.
 */
class FleetCommandIT {

    @Test
    void theFleetDemoKillsARelayAndANatsNodeAndLosesNothing() throws Exception {
        NatsServerRequired.check();
        Path modules = Path.of(System.getProperty("relay.modules", "target/modules"));
        assertTrue(Files.isDirectory(modules), "no module directory at " + modules.toAbsolutePath() + "; run after package");
        Path log = Files.createTempFile("relay-fleet-", ".log");
        try {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--module-path", modules.toString(), "-m", "io.solconnect.relay.examples/io.solconnect.relay.examples.Main",
                    "fleet", "--duration", "9s", "--rate", "50")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(240, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("./relay fleet did not end; output:\n" + Files.readString(log, StandardCharsets.UTF_8));
            }
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            String all = String.join("\n", lines);
            assertEquals(0, p.exitValue(), all);
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("fleet: killing relay ws://127.0.0.1:")), all);
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("fleet: SIGKILL of NATS node ")), all);
            String summary = lines.stream().filter(l -> l.startsWith("summary ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no summary line:\n" + all));
            assertTrue(summary.contains(" lost=0 ") && summary.contains(" duplicates=0 "), summary);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
