package io.solconnect.relay.examples.bench.failover;

import io.solconnect.relay.examples.commandline.Cli;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmark's command line as the documented runs use it; parsing only, nothing is run. */
class FailoverBenchOptionsTest {

    private static FailoverBench.Options parse(ByteArrayOutputStream err, String... argv) {
        FailoverBench.Options o = new FailoverBench.Options();
        OptionalInt code = Cli.parse("bench failover", o, List.of(argv), new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return code.isEmpty() ? o : null;
    }

    @Test
    void documentedOptionsParse() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        FailoverBench.Options o = parse(err, "--repeat", "20", "--rate", "1000", "--storm", "--warmup", "0",
                "--backoff-max", "30s", "--faults", "crash,slow", "--slow-by", "500ms");
        assertTrue(o != null, err.toString(StandardCharsets.UTF_8));
        assertEquals(20, o.repeat);
        assertEquals(1000.0, o.rate);
        assertTrue(o.storm);
        assertEquals(Duration.ZERO, o.warmup);
        assertEquals(Duration.ofSeconds(30), o.backoffMax);
        assertEquals(List.of(Fault.parse("crash").get(0), Fault.parse("slow").get(0)), o.faultList);
        FailoverBench.Options controls = parse(err, "--faults", "noop,blackhole", "--standbys", "0", "--hold", "5s",
                "--linger", "0");
        assertTrue(controls != null, err.toString(StandardCharsets.UTF_8));
        assertEquals(List.of(Fault.NOOP, Fault.BLACKHOLE), controls.faultList);
        assertFalse(Fault.NOOP.expectsFailover());
        assertTrue(Fault.BLACKHOLE.expectsFailover());
        assertEquals(0, controls.standbys);
        assertEquals(Duration.ofSeconds(5), controls.hold);
        assertEquals(Duration.ZERO, controls.linger);
        FailoverBench.Options defaults = parse(err);
        assertEquals(3, defaults.faultList.size());
        assertEquals(Duration.ofSeconds(10), defaults.warmup);
        assertNull(defaults.backoffMax);
        assertTrue(!defaults.storm);
        assertNull(defaults.hold, "held until the stream moved");
        assertEquals(Duration.ofSeconds(10), defaults.linger);
    }

    @Test
    void badValuesAreUsageErrors() {
        for (String[] bad : List.of(new String[] {"--repeat", "0"}, new String[] {"--faults", "meteor"},
                new String[] {"--backoff-max", "1ms"}, new String[] {"--warmup", "-1s"}, new String[] {"--storm=maybe"},
                new String[] {"--hold", "0s"}, new String[] {"--linger", "-1s"})) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            assertNull(parse(err, bad), List.of(bad).toString());
            assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("relay bench failover: "), err.toString(StandardCharsets.UTF_8));
        }
    }
}
