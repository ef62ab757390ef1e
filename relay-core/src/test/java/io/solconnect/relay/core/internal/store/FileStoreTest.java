package io.solconnect.relay.core.internal.store;

import io.solconnect.relay.api.OutboundMessage;
import io.solconnect.relay.api.ProviderChoice;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.Scheduler;
import io.solconnect.relay.api.spi.ConnectionRecord;
import io.solconnect.relay.api.spi.PluginContext;
import io.solconnect.relay.api.spi.RelayStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileStoreTest {

    @TempDir
    Path dir;

    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    static PluginContext context(Map<String, String> settings) {
        RelayConfig config = RelayConfig.of(RelayEndpoint.of("ws://127.0.0.1:1/"));
        Scheduler never = new Scheduler() {
            @Override
            public Instant now() {
                return T0;
            }

            @Override
            public long nanoTime() {
                return 0;
            }

            @Override
            public Cancellable schedule(Duration delay, Runnable task) {
                throw new UnsupportedOperationException("the store schedules nothing");
            }

            @Override
            public void execute(Runnable task) {
                throw new UnsupportedOperationException("the store schedules nothing");
            }
        };
        return new PluginContext("file", settings, config, never, e -> { });
    }

    private RelayStore open() {
        return new FileStoreProvider().create(context(Map.of("directory", dir.toString()))).orElseThrow();
    }

    private static OutboundMessage msg(int i) {
        return new OutboundMessage("id-" + i, "room", "alice", "payload " + i, T0.plusSeconds(i));
    }

    @Test
    void configSurvivesReopenAndIsWrittenAtomically() throws IOException {
        RelayConfig c = RelayConfig.custom().addRelay("wss://a.example.org/").region("eu")
                .store(ProviderChoice.of("file", Map.of("directory", dir.toString()))).build();
        try (RelayStore s = open()) {
            assertEquals(Optional.empty(), s.loadConfig().orElseThrow());
            assertTrue(s.saveConfig(c).isOk());
        }
        try (RelayStore s = open()) {
            assertEquals(Optional.of(c), s.loadConfig().orElseThrow());
        }
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp file left behind");
        }
    }

    @Test
    void configSavedByAnOlderVersionInTheFlatShapeStillLoads() throws IOException {
        Files.writeString(dir.resolve("config.json"), """
                {"relays": ["wss://a.example.org/"], "region": "eu", "standbyCount": 2,
                 "store": {"name": "file", "settings": {"directory": "x"}}}
                """);
        RelayConfig expected = RelayConfig.custom().addRelay("wss://a.example.org/").region("eu").standbyCount(2)
                .store(ProviderChoice.of("file", Map.of("directory", "x"))).build();
        try (RelayStore s = open()) {
            assertEquals(Optional.of(expected), s.loadConfig().orElseThrow());
            assertTrue(s.saveConfig(expected).isOk());
        }
        var saved = io.solconnect.relay.core.internal.config.ConfigJson.mapper()
                .readTree(Files.readString(dir.resolve("config.json")));
        assertTrue(saved.has("failover") && !saved.has("standbyCount") && !saved.has("region"),
                "saved again in the grouped shape: " + saved);
    }

    @Test
    void damagedConfigIsAnErrorNamingTheFile() throws IOException {
        Files.writeString(dir.resolve("config.json"), "{\"relays\": 7}");
        try (RelayStore s = open()) {
            String msg = s.loadConfig().failure().orElseThrow().message();
            assertTrue(msg.contains("config.json") && msg.contains("$.relays"), msg);
        }
    }

    @Test
    void outboxSurvivesReopenInOrder() {
        try (RelayStore s = open()) {
            for (int i = 0; i < 5; i++) {
                assertTrue(s.outboxPut(msg(i)).isOk());
            }
            assertTrue(s.outboxRemove(List.of("id-1", "id-3")).isOk());
        }
        try (RelayStore s = open()) {
            assertEquals(List.of(msg(0), msg(2), msg(4)), s.outboxLoad().orElseThrow());
        }
    }

    @Test
    void tornLastLineAfterCrashIsSkipped() throws IOException {
        try (RelayStore s = open()) {
            s.outboxPut(msg(0));
            s.outboxPut(msg(1));
        }
        Files.writeString(dir.resolve("outbox.log"), "{\"op\":\"put\",\"message\":{\"id\":\"id-2\",\"ro",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        try (RelayStore s = open()) {
            assertEquals(List.of(msg(0), msg(1)), s.outboxLoad().orElseThrow());
            s.outboxPut(msg(3));
        }
        try (RelayStore s = open()) {
            assertEquals(List.of(msg(0), msg(1), msg(3)), s.outboxLoad().orElseThrow());
        }
    }

    @Test
    void outboxLogIsCompacted() throws IOException {
        try (RelayStore s = open()) {
            for (int i = 0; i < 3000; i++) {
                s.outboxPut(msg(i));
                s.outboxRemove(List.of("id-" + i));
            }
            s.outboxPut(msg(9999));
        }
        long lines = Files.readAllLines(dir.resolve("outbox.log")).size();
        assertTrue(lines < 2100, "log should have been compacted, has " + lines + " lines");
        try (RelayStore s = open()) {
            assertEquals(List.of(msg(9999)), s.outboxLoad().orElseThrow());
        }
    }

    @Test
    void historyIsBoundedAndSurvivesReopen() {
        try (RelayStore s = open()) {
            for (int i = 0; i < StoreState.MAX_HISTORY + 10; i++) {
                s.appendHistory(new ConnectionRecord("ws://127.0.0.1:1/", T0.plusSeconds(i), Duration.ofSeconds(1), 1006, "drop " + i));
            }
        }
        try (RelayStore s = open()) {
            List<ConnectionRecord> h = s.history(5000).orElseThrow();
            assertEquals(StoreState.MAX_HISTORY, h.size());
            assertEquals("drop " + (StoreState.MAX_HISTORY + 9), h.get(h.size() - 1).reason());
            assertEquals(3, s.history(3).orElseThrow().size());
        }
    }

    @Test
    void damagedHistoryStartsOver() throws IOException {
        Files.writeString(dir.resolve("history.json"), "not json");
        try (RelayStore s = open()) {
            assertEquals(List.of(), s.history(10).orElseThrow());
            assertTrue(s.appendHistory(new ConnectionRecord("ws://127.0.0.1:1/", T0, Duration.ZERO, 1000, "ok")).isOk());
            assertEquals(1, s.history(10).orElseThrow().size());
        }
    }

    @Test
    void knownRelaysPerSource() throws IOException {
        List<RelayEndpoint> relays = new ArrayList<>();
        IntStream.range(0, 3).forEach(i -> relays.add(RelayEndpoint.builder("wss://r" + i + ".example.org/").region("eu").weight(i).build()));
        try (RelayStore s = open()) {
            assertTrue(s.saveKnownRelays("dns", relays).isOk());
            assertEquals(List.of(), s.knownRelays("bootstrap").orElseThrow());
            assertFalse(s.saveKnownRelays("../etc", relays).isOk(), "a source name must not escape the directory");
        }
        try (RelayStore s = open()) {
            assertEquals(relays, s.knownRelays("dns").orElseThrow());
        }
        Files.writeString(dir.resolve("known-relays-dns.json"), "[{\"url\": 5}]");
        try (RelayStore s = open()) {
            assertTrue(s.knownRelays("dns").failure().orElseThrow().message().contains("damaged"));
        }
    }

    @Test
    void badSettings() throws IOException {
        Result<RelayStore> r = new FileStoreProvider().create(context(Map.of("directory", dir.toString(), "fsync", "maybe")));
        assertTrue(r.failure().orElseThrow().message().contains("file.fsync"));
        Path file = dir.resolve("a-file");
        Files.writeString(file, "x");
        Result<RelayStore> r2 = new FileStoreProvider().create(context(Map.of("directory", file.resolve("sub").toString())));
        assertTrue(r2.failure().orElseThrow().message().contains("cannot be created"), r2.toString());
    }

    @Test
    void memoryStoreKeepsTheSameContract() {
        RelayStore s = new MemoryStoreProvider().create(context(Map.of())).orElseThrow();
        assertFalse(s.durable());
        s.outboxPut(msg(1));
        s.outboxPut(msg(2));
        s.outboxRemove(List.of("id-1"));
        assertEquals(List.of(msg(2)), s.outboxLoad().orElseThrow());
    }
}
