package io.solconnect.relay.examples.cli;

import io.solconnect.relay.examples.commandline.Cli;
import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.Scheduler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CliPartsTest {

    @TempDir
    Path dir;

    private record Parsed(OptionalInt code, SendCommand.Options options, String out, String err) { }

    /** Parses a {@code send} command line as {@code ./relay send} does. */
    private static Parsed send(String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        SendCommand.Options o = new SendCommand.Options();
        OptionalInt code = Cli.parse("send", o, List.of(argv), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Parsed(code, o, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The error a bad {@code send} command line gets; fails unless it is a usage error (exit code 2). */
    private static String error(String... argv) {
        Parsed p = send(argv);
        assertEquals(OptionalInt.of(2), p.code(), () -> List.of(argv) + " -> " + p.err());
        assertTrue(p.err().startsWith("relay send: "), p.err());
        assertTrue(p.err().contains("./relay send --help"), p.err());
        assertEquals("", p.out());
        return p.err();
    }

    private static ClientOptions client(String... argv) {
        ClientOptions o = new ClientOptions();
        new CommandLine(o).parseArgs(argv);
        return o;
    }

    @Test
    void badCommandLinesSayWhatIsWrongInOneStyle() {
        assertTrue(error("--room", "r", "--count", "1", "--colour", "red").contains("Unknown options: '--colour', 'red'"));
        assertTrue(error("--colour").contains("Unknown option: '--colour'"), "reported before the missing options");
        assertTrue(error("--count", "1", "--room").contains("Missing required parameter for option '--room'"));
        assertTrue(error("--count", "1").contains("Missing required option: '--room=R'"));
        assertTrue(error("--count", "1", "--room", "a", "--room", "b").contains("should be specified only once"));
        assertTrue(error("--room", "r", "--count", "1", "stray").contains("Unmatched argument at index 4: 'stray'"));
        assertTrue(error("--room", "r", "--count", "-5").contains("--count must be a whole number in 1..100000000, was -5"));
        assertTrue(error("--room", "r", "--count", "many").contains("'many' is not a long"));
        assertTrue(error("--room", "r", "--count", "1", "--rate", "fast").contains("rate like 1000"));
        assertTrue(error("--room", "r", "--count", "1", "--timeout", "0s").contains("positive duration"));
    }

    @Test
    void goodCommandLinesAreParsed() {
        Parsed p = send("--room=r1", "--count", "7", "--rate", "250/s", "--timeout", "2s");
        assertEquals(OptionalInt.empty(), p.code(), p.err());
        assertEquals("r1", p.options().room);
        assertEquals(7, p.options().count);
        assertEquals(250.0, p.options().rate);
        assertEquals(Duration.ofSeconds(2), p.options().timeout);
        Parsed defaults = send("--room", "r", "--count", "1");
        assertEquals(100.0, defaults.options().rate);
        assertEquals(256, defaults.options().size);
        assertEquals(Duration.ofSeconds(30), defaults.options().timeout);
    }

    @Test
    void helpAndVersionGoToStandardOutputWithExitCodeZero() {
        Parsed help = send("--help");
        assertEquals(OptionalInt.of(0), help.code());
        assertTrue(help.out().startsWith("Usage: ./relay send"), help.out());
        assertTrue(help.out().contains("--count=N") && help.out().contains("--store-dir=DIR"), help.out());
        assertEquals("", help.err());
        Parsed version = send("--version");
        assertEquals(OptionalInt.of(0), version.code());
        assertTrue(version.out().startsWith("SolConnect Relay " + Cli.version()), version.out());
        assertTrue(Cli.version().matches("\\d+\\.\\d+\\.\\d+.*"), Cli.version());
    }

    @Test
    void durationsMayBeZeroOnlyWhereAllowed() {
        Cli.DurationOrZero orZero = new Cli.DurationOrZero();
        assertEquals(Duration.ZERO, orZero.convert("0"));
        assertEquals(Duration.ZERO, orZero.convert("0ms"));
        assertEquals(Duration.ofMillis(250), orZero.convert("250ms"));
        assertTrue(assertThrows(CommandLine.TypeConversionException.class, () -> orZero.convert("-1s"))
                .getMessage().contains("duration like 30s or 500ms (or 0)"));
        assertTrue(assertThrows(CommandLine.TypeConversionException.class, () -> new Cli.PositiveDuration().convert("0"))
                .getMessage().contains("positive duration"));
    }

    @Test
    void clientConfigFromOptionsAndFile() throws Exception {
        RelayConfig c = client("--relays", "ws://127.0.0.1:1/, ws://127.0.0.1:2/", "--strategy", "round-robin",
                "--protocol", "solconnect-legacy").config().orElseThrow();
        assertEquals(2, c.relays().size());
        assertEquals("round-robin", c.selection().strategy().algorithm());
        assertEquals("solconnect-legacy", c.plugins().protocol().name());
        assertEquals("memory", c.plugins().store().name(), "command-line clients keep state in memory unless told otherwise");

        Path f = dir.resolve("relay.json");
        Files.writeString(f, "{\"relays\": [\"wss://relay.example.org/\"], \"plugins\": {\"store\": \"file\"}}");
        RelayConfig fromFile = client("--config", f.toString(), "--store-dir", dir.toString()).config().orElseThrow();
        assertEquals("wss://relay.example.org/", fromFile.relays().get(0).id());
        assertEquals(dir.toString(), fromFile.plugins().store().settings().get("directory"));

        Result<RelayConfig> insecure = client("--relays", "ws://relay.example.org/").config();
        assertTrue(insecure.failure().orElseThrow().message().contains("non-loopback"), insecure.toString());
        assertEquals(ErrorCode.INVALID_CONFIG, client().config().failure().orElseThrow().code());
    }

    @Test
    void progressPrintsOnceASecondUntilStopped() {
        ManualScheduler scheduler = new ManualScheduler();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AtomicLong sent = new AtomicLong();
        Progress p = Progress.start(scheduler, new PrintStream(out, true, StandardCharsets.UTF_8), "send",
                () -> "sent=" + sent.get());
        assertEquals(List.of(Duration.ofSeconds(1)), scheduler.delays());
        sent.set(5);
        scheduler.runDue();
        sent.set(9);
        scheduler.runDue();
        assertEquals("send progress sent=5\nsend progress sent=9\n", out.toString(StandardCharsets.UTF_8).replace("\r", ""));
        p.stop();
        scheduler.runDue();
        assertEquals(2, out.toString(StandardCharsets.UTF_8).lines().count(), "nothing after stop");
    }

    /** Runs scheduled tasks only when told; records the delays asked for. Not thread-safe. */
    private static final class ManualScheduler implements Scheduler {
        private final List<Runnable> due = new ArrayList<>();
        private final List<Duration> delays = new ArrayList<>();

        @Override
        public Instant now() {
            return Instant.EPOCH;
        }

        @Override
        public long nanoTime() {
            return 0;
        }

        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
            delays.add(delay);
            due.add(task);
            return () -> due.remove(task);
        }

        @Override
        public void execute(Runnable task) {
            task.run();
        }

        List<Duration> delays() {
            return List.copyOf(delays);
        }

        void runDue() {
            List<Runnable> now = new ArrayList<>(due);
            due.clear();
            now.forEach(Runnable::run);
        }
    }

    @Test
    void payloadsRoundTrip() {
        String p = Payloads.make(42, "alice", 1234, 256);
        assertEquals(256, p.length());
        assertEquals(new Payloads.Header(42, "alice", 1234), Payloads.parse(p).orElseThrow());
        assertTrue(Payloads.parse("hello world").isEmpty());
        assertTrue(Payloads.parse("seq=x from=a at=1 ").isEmpty());
    }

    @Test
    void tallyCountsDuplicatesAndReordering() {
        ReceiveCommand.Tally t = new ReceiveCommand.Tally(3);
        t.add(Payloads.make(1, "a", 0, 64));
        t.add(Payloads.make(3, "a", 0, 64));
        t.add(Payloads.make(2, "a", 0, 64));
        t.add(Payloads.make(2, "a", 0, 64));
        t.add("not ours");
        assertEquals(3, t.distinct());
        assertEquals(1, t.duplicates());
        assertEquals(1, t.reordered());
        assertEquals(1, t.foreign());
    }

    @Test
    void summaryLine() {
        String line = new Summary().sent(10).acked(9).lost(1)
                .failovers(List.of(Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofMillis(10))).line();
        assertEquals("summary sent=10 acked=9 delivered=- lost=1 duplicates=- failovers=3 failover_p50_ms=10.0"
                + " failover_p99_ms=20.0 failover_max_ms=20.0", line);
        assertEquals("summary sent=- acked=- delivered=0 lost=- duplicates=0 failovers=0 failover_p50_ms=-"
                + " failover_p99_ms=- failover_max_ms=-", new Summary().delivered(0).duplicates(0).line());
    }
}
