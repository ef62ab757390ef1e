package io.solconnect.relay.examples;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The launcher's dispatch: help, version and exit codes, the same for every subcommand. */
class MainTest {

    private record Run(int code, String out, String err) { }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Every command line that names one command, e.g. {@code send} and {@code bench failover}. */
    private static List<List<String>> everyCommand() {
        List<List<String>> all = new ArrayList<>();
        for (Command c : Main.COMMANDS) {
            all.add(List.of(c.name()));
        }
        for (Benchmark b : BenchCommand.BENCHES) {
            all.add(List.of("bench", b.name()));
        }
        return all;
    }

    @Test
    void everyCommandHasHelpOnStandardOutputWithExitCodeZero() {
        assertTrue(everyCommand().size() >= 9, everyCommand().toString());
        for (List<String> command : everyCommand()) {
            List<String> argv = new ArrayList<>(command);
            argv.add("--help");
            Run r = run(argv.toArray(String[]::new));
            assertEquals(0, r.code(), argv + ": " + r.err());
            assertTrue(r.out().startsWith("Usage: ./relay " + String.join(" ", command)), argv + ":\n" + r.out());
            assertTrue(r.out().contains("--version"), argv + ":\n" + r.out());
            assertEquals("", r.err(), argv.toString());
            Run viaHelp = run(prepend("help", command));
            assertEquals(r, viaHelp, "./relay help " + command + " is " + command + " --help");
        }
    }

    @Test
    void everyCommandPrintsTheVersion() {
        Run top = run("--version");
        assertEquals(0, top.code());
        assertTrue(top.out().matches("(?s)SolConnect Relay \\d+\\.\\d+\\.\\d+.*"), top.out());
        for (List<String> command : everyCommand()) {
            List<String> argv = new ArrayList<>(command);
            argv.add("--version");
            Run r = run(argv.toArray(String[]::new));
            assertEquals(0, r.code(), argv + ": " + r.err());
            assertEquals(top.out(), r.out(), argv.toString());
        }
    }

    @Test
    void everyCommandRefusesAnUnknownOptionWithExitCodeTwoInOneStyle() {
        for (List<String> command : everyCommand()) {
            List<String> argv = new ArrayList<>(command);
            argv.add("--no-such-option");
            Run r = run(argv.toArray(String[]::new));
            assertEquals(2, r.code(), argv.toString());
            assertTrue(r.err().startsWith("relay " + String.join(" ", command) + ": Unknown option: '--no-such-option'"),
                    argv + ":\n" + r.err());
            assertEquals("", r.out(), argv.toString());
        }
    }

    @Test
    void topLevelUsageAndExitCodes() {
        Run none = run();
        assertEquals(2, none.code());
        assertTrue(none.err().startsWith("usage: ./relay <command>"), none.err());
        Run help = run("help");
        assertEquals(0, help.code());
        for (Command c : Main.COMMANDS) {
            assertTrue(help.out().contains("\n  " + c.name() + " "), c.name() + " missing from\n" + help.out());
        }
        Run unknown = run("fly");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().startsWith("relay: unknown command 'fly'"), unknown.err());
        Run bench = run("bench");
        assertEquals(2, bench.code());
        assertTrue(bench.err().contains("failover"), bench.err());
        Run benchHelp = run("bench", "--help");
        assertEquals(0, benchHelp.code());
        assertTrue(benchHelp.out().contains("throughput"), benchHelp.out());
        Run noBench = run("bench", "nope");
        assertEquals(2, noBench.code());
        assertTrue(noBench.err().startsWith("relay bench: unknown benchmark 'nope'"), noBench.err());
        assertFalse(run("plugins").out().isEmpty());
        assertEquals(2, run("plugins", "extra").code());
    }

    private static String[] prepend(String first, List<String> rest) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(rest);
        return all.toArray(String[]::new);
    }
}
