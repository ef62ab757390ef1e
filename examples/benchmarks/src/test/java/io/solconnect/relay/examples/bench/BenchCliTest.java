package io.solconnect.relay.examples.bench;

import io.solconnect.relay.examples.Benchmark;
import io.solconnect.relay.examples.commandline.Cli;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command-line steps the harnesses share; nothing is measured. */
class BenchCliTest {

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
    private final List<Object> ran = new ArrayList<>();

    /** A harness named {@code probe} with no options of its own. */
    private static final class Probe implements Benchmark {
        @Override
        public String name() {
            return "probe";
        }

        @Override
        public String usage() {
            return BenchCli.usage(this, new Options(false));
        }

        @Override
        public int run(List<String> args, PrintStream out, PrintStream err) {
            throw new UnsupportedOperationException();
        }
    }

    @CommandLine.Command(mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
            description = {"a probe harness", "second line"})
    private static final class Options implements Cli.Checked {
        private final boolean refuse;

        Options(boolean refuse) {
            this.refuse = refuse;
        }

        @Override
        public void check() throws Cli.UsageException {
            if (refuse) {
                throw new Cli.UsageException("--probe refused");
            }
        }
    }

    private int run(Options options, String... args) throws Exception {
        return BenchCli.run(new Probe(), options, List.of(args), out, err, o -> {
            ran.add(o);
            return 7;
        });
    }

    @Test
    void aGoodCommandLineRunsTheBodyWithTheOptions() throws Exception {
        Options o = new Options(false);
        assertEquals(7, run(o));
        assertEquals(1, ran.size());
        assertSame(o, ran.get(0));
    }

    @Test
    void aBadCommandLineIsReportedUnderBenchNameAndNothingRuns() throws Exception {
        assertEquals(Cli.USAGE, run(new Options(false), "--bogus"));
        assertEquals(Cli.USAGE, run(new Options(true)));
        assertTrue(ran.isEmpty());
        String e = errBytes.toString(StandardCharsets.UTF_8);
        assertTrue(e.contains("relay bench probe: Unknown option: '--bogus'"), e);
        assertTrue(e.contains("relay bench probe: --probe refused"), e);
    }

    @Test
    void helpIsPrintedAndNothingRuns() throws Exception {
        assertEquals(0, run(new Options(false), "--help"));
        assertTrue(ran.isEmpty());
        String o = outBytes.toString(StandardCharsets.UTF_8);
        assertTrue(o.contains("./relay bench probe"), o);
    }

    @Test
    void usageIsTheBenchLineOfHelp() {
        assertEquals(String.format("%-13s %s", "bench probe", "a probe harness"), new Probe().usage());
    }

    @Test
    void modulePathIsTheGivenOneElseThisJvms() throws Exception {
        assertEquals("given", BenchCli.modulePath("given", "own"));
        assertEquals("given", BenchCli.modulePath("given", null));
        assertEquals("own", BenchCli.modulePath(null, "own"));
        for (String none : new String[] {null, "", " "}) {
            Cli.UsageException e = assertThrows(Cli.UsageException.class, () -> BenchCli.modulePath(null, none));
            assertEquals("--module-path: this JVM has none; give the launcher's module directory", e.getMessage());
        }
    }
}
