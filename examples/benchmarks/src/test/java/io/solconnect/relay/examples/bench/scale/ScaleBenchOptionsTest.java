package io.solconnect.relay.examples.bench.scale;

import io.solconnect.relay.examples.commandline.Cli;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line of {@code bench scale} and how many sessions it runs under an open-file limit; nothing is run. */
class ScaleBenchOptionsTest {

    private final PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    @Test
    void defaultsAndBadValues() {
        ScaleBench.Options d = new ScaleBench.Options();
        assertEquals(OptionalInt.empty(), Cli.parse("bench scale", d, List.of("--module-path", "x"), out, out));
        assertNull(d.sessions);
        assertEquals(3, d.relays);
        assertEquals(Duration.ofSeconds(30), d.idleFor);
        assertEquals(1.0, d.ratePerSession);
        assertNull(d.pingInterval);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(OptionalInt.of(2), Cli.parse("bench scale", new ScaleBench.Options(), List.of("--relays", "1",
                "--module-path", "x"), out, new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--relays must be a whole number in 2..16, was 1"), err.toString());
    }

    @Test
    void sessionsDefaultToTheTargetOrWhatFitsAndTooManyAreRefused() {
        // this machine: a hard limit of 20,000 open files, two sockets per session
        int fit = Probe.sessionsThatFit(20_000, 60, 2);
        assertEquals(9_820, fit);
        assertEquals(OptionalInt.of(9_820), ScaleBench.sessionsToRun(null, fit));
        assertEquals(OptionalInt.of(10_000), ScaleBench.sessionsToRun(null, Probe.sessionsThatFit(1_048_576, 60, 2)));
        assertEquals(OptionalInt.of(2_000), ScaleBench.sessionsToRun(2_000, fit));
        assertEquals(OptionalInt.empty(), ScaleBench.sessionsToRun(10_000, fit));
        assertEquals(0, Probe.sessionsThatFit(100, 60, 2), "no room is 0, not negative");
    }
}
