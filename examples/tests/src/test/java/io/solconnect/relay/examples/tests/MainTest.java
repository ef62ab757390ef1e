package io.solconnect.relay.examples.tests;

import io.solconnect.relay.examples.Main;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher's dispatch: help, version and exit codes, the same for every subcommand. The
 * subcommands live in other modules and reach the launcher only through their {@code provides}
 * clauses, so the lists below also check that each module still provides its commands.
 */
class MainTest {

    /** Every {@code ./relay} command: the launcher's own (plugins, bench) and those provided. */
    private static final List<String> COMMANDS = List.of("bench", "demo", "fleet", "plugins", "receive", "relay-server", "send");
    /** Every {@code ./relay bench} benchmark, provided by the benchmarks module. */
    private static final List<String> BENCHES = List.of("balancers", "crash", "failover", "fleet", "scale", "soak", "throughput");

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
        for (String c : COMMANDS) {
            all.add(List.of(c));
        }
        for (String b : BENCHES) {
            all.add(List.of("bench", b));
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
        // exactly these commands, in this order: one usage line each after the first line
        List<String> listed = help.out().lines().skip(1).map(l -> l.strip().split(" ")[0]).toList();
        assertEquals(COMMANDS, listed, help.out());
        Run unknown = run("fly");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().startsWith("relay: unknown command 'fly'"), unknown.err());
        Run bench = run("bench");
        assertEquals(2, bench.code());
        assertTrue(bench.err().contains("failover"), bench.err());
        Run benchHelp = run("bench", "--help");
        assertEquals(0, benchHelp.code());
        for (String b : BENCHES) {
            assertTrue(benchHelp.out().contains("\n  bench " + b + " "), b + " missing from\n" + benchHelp.out());
        }
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
