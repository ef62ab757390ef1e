package io.solconnect.relay.examples.bench.fleet;

import io.solconnect.relay.examples.commandline.Cli;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmark's command line; parsing only, nothing is run. */
class FleetBenchOptionsTest {

    private final PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    private String refused(String... argv) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(OptionalInt.of(2), Cli.parse("bench fleet", new FleetBench.Options(), List.of(argv), out,
                new PrintStream(err, true, StandardCharsets.UTF_8)), List.of(argv).toString());
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void defaultsAreTheIssuesSetUp() {
        FleetBench.Options o = new FleetBench.Options();
        assertEquals(OptionalInt.empty(), Cli.parse("bench fleet", o, List.of(), out, out));
        assertEquals("latency", o.mode);
        assertEquals(3, o.relays);
        assertEquals(Duration.ofMillis(20), o.slowBy);
        assertEquals(30, o.clients);
        assertEquals(List.of("p2c-ewma", "least-connections", "round-robin"), o.strategies);
        assertEquals(5, o.rounds);
        assertEquals(1, o.standbys);
    }

    @Test
    void documentedOptionsParse() {
        FleetBench.Options o = new FleetBench.Options();
        assertEquals(OptionalInt.empty(), Cli.parse("bench fleet", o, List.of("--mode", "throughput", "--relays", "5",
                "--slow-by", "0", "--strategies", "round-robin,p2c-ewma", "--flooders", "8", "--window", "50"), out, out));
        assertEquals("throughput", o.mode);
        assertEquals(5, o.relays);
        assertEquals(Duration.ZERO, o.slowBy);
        assertEquals(List.of("round-robin", "p2c-ewma"), o.strategies);
        assertEquals(8, o.flooders);
        assertEquals(50, o.window);
    }

    @Test
    void badOnesAreRefusedByName() {
        assertTrue(refused("--mode", "fast").contains("--mode must be latency or throughput, was 'fast'"));
        assertTrue(refused("--relays", "2").contains("--relays must be a whole number in 3..5, was 2"));
        String unknown = refused("--strategies", "p2c-ewma,fastest");
        assertTrue(unknown.contains("unknown load balancer 'fastest'") && unknown.contains("round-robin"), unknown);
        assertTrue(refused("--strategies", "round-robin,round-robin").contains("'round-robin' given twice"));
        assertTrue(refused("--standbys", "3").contains("--standbys must be a whole number in 0..2, was 3"));
        assertTrue(refused("--slow-by", "11s").contains("--slow-by must be at most 10s"));
    }
}
