package io.solconnect.relay.examples.cli;

import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CliPartsTest {

    @TempDir
    Path dir;

    private static Args parse(String... argv) throws Args.UsageException {
        Set<String> known = new java.util.HashSet<>(ClientOptions.OPTIONS);
        known.addAll(Set.of("room", "count", "rate", "timeout"));
        return Args.parse("send", List.of(argv), known, Set.of());
    }

    @Test
    void argsReportWhatIsWrong() throws Exception {
        assertTrue(assertThrows(Args.UsageException.class, () -> parse("--colour", "red")).getMessage().contains("unknown option --colour"));
        assertTrue(assertThrows(Args.UsageException.class, () -> parse("--room")).getMessage().contains("--room needs a value"));
        assertTrue(assertThrows(Args.UsageException.class, () -> parse("--room", "a", "--room", "b")).getMessage().contains("given twice"));
        assertTrue(assertThrows(Args.UsageException.class, () -> parse("stray")).getMessage().contains("unexpected argument"));
        assertTrue(assertThrows(Args.UsageException.class, () -> parse("--count", "-5").integer("count", 0, 1, 10)).getMessage().contains("1..10"));
        assertTrue(assertThrows(Args.UsageException.class, () -> parse("--rate", "fast").rate("rate", 1)).getMessage().contains("rate like 1000"));
        assertTrue(assertThrows(Args.UsageException.class, () -> parse("--timeout", "0s").duration("timeout", Duration.ZERO)).getMessage().contains("positive duration"));
        Args ok = parse("--room=r1", "--rate", "250/s", "--timeout", "2s");
        assertEquals("r1", ok.required("room"));
        assertEquals(250.0, ok.rate("rate", 1));
        assertEquals(Duration.ofSeconds(2), ok.duration("timeout", Duration.ZERO));
        assertEquals(Duration.ZERO, parse("--timeout", "0").durationOrZero("timeout", Duration.ofSeconds(1)));
        assertEquals(Duration.ZERO, parse("--timeout", "0ms").durationOrZero("timeout", Duration.ofSeconds(1)));
        assertEquals(Duration.ofSeconds(1), parse().durationOrZero("timeout", Duration.ofSeconds(1)));
        assertTrue(assertThrows(Args.UsageException.class, () -> parse("--timeout", "-1s").durationOrZero("timeout", Duration.ZERO))
                .getMessage().contains("duration like 30s or 500ms (or 0)"));
        assertTrue(assertThrows(Args.UsageException.class, () -> parse("--timeout", "0").duration("timeout", Duration.ZERO))
                .getMessage().contains("positive duration"));
    }

    @Test
    void clientConfigFromOptionsAndFile() throws Exception {
        RelayConfig c = ClientOptions.config(parse("--relays", "ws://127.0.0.1:1/, ws://127.0.0.1:2/", "--strategy", "round-robin",
                "--protocol", "solconnect-legacy")).orElseThrow();
        assertEquals(2, c.relays().size());
        assertEquals("round-robin", c.selection().strategy().algorithm());
        assertEquals("solconnect-legacy", c.plugins().protocol().name());
        assertEquals("memory", c.plugins().store().name(), "command-line clients keep state in memory unless told otherwise");

        Path f = dir.resolve("relay.json");
        Files.writeString(f, "{\"relays\": [\"wss://relay.example.org/\"], \"plugins\": {\"store\": \"file\"}}");
        RelayConfig fromFile = ClientOptions.config(parse("--config", f.toString(), "--store-dir", dir.toString())).orElseThrow();
        assertEquals("wss://relay.example.org/", fromFile.relays().get(0).id());
        assertEquals(dir.toString(), fromFile.plugins().store().settings().get("directory"));

        Result<RelayConfig> insecure = ClientOptions.config(parse("--relays", "ws://relay.example.org/"));
        assertTrue(insecure.failure().orElseThrow().message().contains("non-loopback"), insecure.toString());
        assertEquals(ErrorCode.INVALID_CONFIG, ClientOptions.config(parse("--room", "r")).failure().orElseThrow().code());
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
