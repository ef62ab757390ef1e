package io.solconnect.relay.examples.bench.throughput;

import io.solconnect.relay.examples.commandline.Cli;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmark's command line; parsing only, nothing is run. */
class ThroughputBenchOptionsTest {

    @Test
    void documentedOptionsParseAndBadOnesAreRefused() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ThroughputBench.Options o = new ThroughputBench.Options();
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertEquals(OptionalInt.empty(), Cli.parse("bench throughput", o,
                List.of("--rounds", "15", "--raw-no-idle-timeout", "--size", "512"), out, errStream), err.toString(StandardCharsets.UTF_8));
        assertEquals(15, o.rounds);
        assertEquals(512, o.size);
        assertEquals(20_000, o.messages);
        assertTrue(o.rawNoIdleTimeout);
        assertEquals(OptionalInt.of(2), Cli.parse("bench throughput", new ThroughputBench.Options(),
                List.of("--window", "0"), out, errStream));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("relay bench throughput: --window must be a whole number in 1..100000"),
                err.toString(StandardCharsets.UTF_8));
    }
}
