package io.solconnect.relay.core.internal.store;

import io.solconnect.relay.api.OutboundMessage;
import io.solconnect.relay.api.ProviderChoice;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.RelayEvent;
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
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class FileStoreTest {

    @TempDir
    Path dir;

    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    static PluginContext context(Map<String, String> settings) {
        return context(settings, e -> { });
    }

    static PluginContext context(Map<String, String> settings, java.util.function.Consumer<RelayEvent> events) {
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
        return new PluginContext("file", settings, config, never, events);
    }

    private final List<RelayEvent> events = new ArrayList<>();

    private RelayStore open() {
        return new FileStoreProvider().create(context(Map.of("directory", dir.toString()), events::add)).orElseThrow();
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
        assertEquals(List.of(new RelayEvent.StoreDamaged(T0, dir.resolve("outbox.log").toString(), 1, true,
                "1 unreadable line(s) (a torn last line, as after a crash)")), events);
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
        assertTrue(r.failure().orElseThrow().message().contains("plugins.store.settings.fsync"));
        Result<RelayStore> both = new FileStoreProvider().create(context(Map.of("directory", dir.toString(), "application", "a")));
        assertTrue(both.failure().orElseThrow().message().contains("not both"), both.toString());
        Result<RelayStore> badName = new FileStoreProvider().create(context(Map.of("application", "../up")));
        assertTrue(badName.failure().orElseThrow().message().contains("application"), badName.toString());
        Result<RelayStore> typo = new FileStoreProvider().create(context(Map.of("directroy", dir.toString())));
        assertTrue(typo.failure().orElseThrow().message().contains("directroy"), typo.toString());
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

    @Test
    void aSecondStoreOnTheDirectoryIsRefusedUntilTheFirstCloses() {
        PluginContext quick = context(Map.of("directory", dir.toString(), "lockWait", "1ms"));
        RelayStore first = new FileStoreProvider().create(quick).orElseThrow();
        Result<RelayStore> second = new FileStoreProvider().create(quick);
        assertEquals(ErrorCode.STORE_LOCKED, second.failure().orElseThrow().code());
        assertTrue(second.failure().orElseThrow().message().contains(dir.toString()), second.toString());
        first.close();
        new FileStoreProvider().create(quick).orElseThrow().close();
    }

    @Test
    void theLockIsAnOsLockOnTheLockFile() throws IOException {
        try (RelayStore s = open();
             java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(dir.resolve("store.lock"),
                     StandardOpenOption.WRITE)) {
            // Another channel of this JVM overlapping the lock: what another process sees as a held lock.
            assertThrows(java.nio.channels.OverlappingFileLockException.class, ch::tryLock);
        }
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(dir.resolve("store.lock"),
                StandardOpenOption.WRITE); java.nio.channels.FileLock l = ch.tryLock()) {
            assertTrue(l != null && l.isValid(), "closing the store releases the lock");
        }
    }

    @Test
    void directoryAndFilesAreOwnerOnlyOnPosix() throws IOException {
        assumeTrue(Files0600.posix(), "POSIX permissions only");
        Path fresh = dir.resolve("fresh");
        try (RelayStore s = new FileStoreProvider().create(context(Map.of("directory", fresh.toString()))).orElseThrow()) {
            s.outboxPut(msg(1));
            s.saveConfig(RelayConfig.of(RelayEndpoint.of("wss://a.example.org/")));
            s.appendHistory(new ConnectionRecord("ws://127.0.0.1:1/", T0, Duration.ZERO, 1000, "ok"));
            s.saveKnownRelays("dns", List.of(RelayEndpoint.of("wss://a.example.org/")));
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)));
        try (var files = Files.list(fresh)) {
            List<Path> all = files.toList();
            assertEquals(5, all.size(), all.toString());
            for (Path f : all) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
            }
        }
        // A file an older version left with the umask's permissions is narrowed when opened again.
        Files.setPosixFilePermissions(fresh.resolve("outbox.log"), PosixFilePermissions.fromString("rw-r--r--"));
        try (RelayStore s = new FileStoreProvider().create(context(Map.of("directory", fresh.toString()))).orElseThrow()) {
            s.outboxPut(msg(2));
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh.resolve("outbox.log"))));
    }

    @Test
    void theDefaultDirectoryIsPerApplication() {
        FileStoreProvider provider = new FileStoreProvider(dir);
        try (RelayStore a = provider.create(context(Map.of("application", "billing"))).orElseThrow();
             RelayStore b = provider.create(context(Map.of("application", "chat"))).orElseThrow();
             RelayStore c = provider.create(context(Map.of("application", "chat", "lockWait", "1ms")))
                     .toOptional().orElse(null)) {
            assertEquals(dir.resolve(".solconnect-relay/billing"), ((FileStore) a).directory());
            assertEquals(dir.resolve(".solconnect-relay/chat"), ((FileStore) b).directory());
            assertEquals(null, c, "one application name, one client at a time");
            assertTrue(a.outboxPut(msg(1)).isOk());
            assertEquals(List.of(), b.outboxLoad().orElseThrow(), "applications do not share an outbox");
        }
        try (RelayStore d = provider.create(context(Map.of())).orElseThrow()) {
            assertEquals(dir.resolve(".solconnect-relay/default"), ((FileStore) d).directory());
        }
    }

    @Test
    void aLineWithAWrongChecksumIsSkippedAndReported() throws IOException {
        try (RelayStore s = open()) {
            for (int i = 0; i < 3; i++) {
                s.outboxPut(msg(i));
            }
        }
        Path log = dir.resolve("outbox.log");
        List<String> lines = Files.readAllLines(log);
        assertTrue(lines.stream().allMatch(l -> l.matches("\\{.*\\}\t[0-9a-f]{8}")), lines.toString());
        // Still valid JSON, but not what was written: only the checksum can tell.
        lines.set(1, lines.get(1).replace("payload 1", "payload X"));
        Files.write(log, lines);
        try (RelayStore s = open()) {
            assertEquals(List.of(msg(0), msg(2)), s.outboxLoad().orElseThrow());
        }
        assertEquals(List.of(new RelayEvent.StoreDamaged(T0, log.toString(), 1, false,
                "1 unreadable line(s), 1 with a wrong checksum")), events);
    }

    @Test
    void linesWrittenWithoutAChecksumAreStillRead() throws IOException {
        Files.writeString(dir.resolve("outbox.log"), """
                {"op":"put","message":{"id":"id-1","room":"room","sender":"alice","payload":"payload 1","createdAt":"2026-11-24T10:00:01Z"}}
                {"op":"put","message":{"id":"id-2","room":"room","sender":"alice","payload":"payload 2","createdAt":"2026-11-24T10:00:02Z"}}
                {"op":"remove","ids":["id-1"]}
                """);
        try (RelayStore s = open()) {
            assertEquals(List.of(msg(2)), s.outboxLoad().orElseThrow());
        }
        assertEquals(List.of(), events);
        assertTrue(Files.readAllLines(dir.resolve("outbox.log")).stream().allMatch(l -> l.contains("\t")),
                "rewritten with checksums");
    }

    @Test
    void aClientInAnotherProcessHoldingTheDirectoryMeansStoreLocked() throws Exception {
        // Another JVM takes the OS lock on store.lock, as a second application would, and holds it
        // until its standard input closes.
        Path holder = dir.resolve("Hold.java");
        Files.writeString(holder, """
                import java.nio.channels.FileChannel;
                import java.nio.file.*;
                public class Hold {
                    public static void main(String[] a) throws Exception {
                        try (FileChannel ch = FileChannel.open(Path.of(a[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                             var lock = ch.lock()) {
                            System.out.println("locked");
                            System.out.flush();
                            System.in.read();
                        }
                    }
                }
                """);
        Path store = dir.resolve("store");
        Files.createDirectories(store);
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, holder.toString(), store.resolve("store.lock").toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertEquals("locked", line);
            Result<RelayStore> r = new FileStoreProvider().create(context(Map.of("directory", store.toString(), "lockWait", "50ms")));
            assertEquals(ErrorCode.STORE_LOCKED, r.failure().orElseThrow().code(), r.toString());
        } finally {
            p.getOutputStream().close();
            assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
        }
        new FileStoreProvider().create(context(Map.of("directory", store.toString()))).orElseThrow().close();
    }
}
