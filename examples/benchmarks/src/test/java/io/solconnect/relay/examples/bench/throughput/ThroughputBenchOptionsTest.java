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
                List.of("--rounds", "15", "--size", "64,256,4096", "--jvms", "5", "--rates", "1000"), out, errStream),
                err.toString(StandardCharsets.UTF_8));
        assertEquals(15, o.rounds);
        assertEquals(List.of(64L, 256L, 4096L), o.sizes);
        assertEquals(20_000, o.messages);
        assertEquals(5, o.jvms);
        assertEquals(List.of(1000L), o.rates);
        assertEquals(3, o.warmup);
        ThroughputBench.Options d = new ThroughputBench.Options();
        assertEquals(OptionalInt.empty(), Cli.parse("bench throughput", d, List.of(), out, errStream));
        assertEquals(List.of(256L), d.sizes);
        assertEquals(List.of(1000L, 10_000L), d.rates);
        assertEquals(1, d.jvms);
        ByteArrayOutputStream sizeErr = new ByteArrayOutputStream();
        assertEquals(OptionalInt.of(2), Cli.parse("bench throughput", new ThroughputBench.Options(),
                List.of("--size", "256,32"), out, new PrintStream(sizeErr, true, StandardCharsets.UTF_8)));
        assertTrue(sizeErr.toString(StandardCharsets.UTF_8).contains("--size must be a whole number in 64..1048576, was 32"),
                "every size is checked: " + sizeErr);
        assertEquals(OptionalInt.of(2), Cli.parse("bench throughput", new ThroughputBench.Options(),
                List.of("--window", "0"), out, errStream));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("relay bench throughput: --window must be a whole number in 1..100000"),
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void jvmRunsPassTheArgumentsWithOneJvmAndCollectEachRunsSummary() {
        assertEquals(List.of("--size", "256", "--jvms", "1"), JvmRuns.withOneJvm(List.of("--jvms", "5", "--size", "256")));
        assertEquals(List.of("--jvms", "1"), JvmRuns.withOneJvm(List.of("--jvms=7")));
        java.util.Map<String, java.util.Map<String, List<Double>>> f = new java.util.LinkedHashMap<>();
        JvmRuns.collect("size=256 ratio=1.5 manager_msg_per_s=100", f);
        JvmRuns.collect("size=256 ratio=2.5 manager_msg_per_s=200", f);
        JvmRuns.collect("size=256 rate=1000 manager_p99_ms=0.5", f);
        assertEquals(List.of(1.5, 2.5), f.get("size=256").get("ratio"));
        assertEquals(List.of(0.5), f.get("size=256 rate=1000").get("manager_p99_ms"));
        assertEquals(2.0, ThroughputBench.med(new double[] {2.5, 1.5}));
    }
}
