package io.solconnect.relay.core.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.OutboundMessage;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.spi.ConnectionRecord;
import io.solconnect.relay.api.spi.PluginContext;
import io.solconnect.relay.api.spi.RelayStore;
import io.solconnect.relay.core.internal.config.ConfigJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code file} store itself: the JSON files and the outbox log in one directory that
 * {@link FileStoreProvider} checked and locked; the file formats and their crash safety are
 * described there. {@link #close()} releases the directory lock.
 *
 * <p>Thread-safe: every method synchronises on the store.
 */
final class FileStore implements RelayStore {
    private static final Logger log = LoggerFactory.getLogger(FileStore.class);
    private static final Pattern SAFE_SOURCE = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    private final Path dir;
    private final boolean sync;
    private final StoreLock lock;
    private final PluginContext context;
    private final StoreState state = new StoreState();
    private boolean historyLoaded;
    private boolean outboxLoaded;
    private FileChannel outboxLog;
    private long outboxLogEntries;

    FileStore(Path dir, boolean sync, StoreLock lock, PluginContext context) {
        this.dir = dir;
        this.sync = sync;
        this.lock = lock;
        this.context = context;
    }

    Path directory() {
        return dir;
    }

    @Override
    public boolean durable() {
        return sync;
    }

    @Override
    public synchronized Result<Optional<RelayConfig>> loadConfig() {
        Path f = dir.resolve("config.json");
        if (!Files.exists(f)) {
            return Result.ok(Optional.empty());
        }
        return io.solconnect.relay.core.RelayConfigs.load(f).map(Optional::of);
    }

    @Override
    public synchronized Result<Result.Done> saveConfig(RelayConfig config) {
        return write(dir.resolve("config.json"), ConfigJson.toJson(config));
    }

    @Override
    public synchronized Result<Result.Done> appendHistory(ConnectionRecord record) {
        Result<Result.Done> loaded = loadHistory();
        if (!loaded.isOk()) {
            return loaded;
        }
        state.addHistory(record);
        ArrayNode arr = ConfigJson.mapper().createArrayNode();
        state.history().forEach(r -> arr.add(StoreJson.history(r)));
        return write(dir.resolve("history.json"), arr.toString());
    }

    @Override
    public synchronized Result<List<ConnectionRecord>> history(int max) {
        return loadHistory().map(d -> state.history(max));
    }

    private Result<Result.Done> loadHistory() {
        if (historyLoaded) {
            return Result.ok();
        }
        Path f = dir.resolve("history.json");
        try {
            JsonNode arr = ConfigJson.mapper().readTree(Files.readString(f));
            for (JsonNode n : arr) {
                state.addHistory(StoreJson.history(n));
            }
        } catch (NoSuchFileException e) {
            // no history yet
        } catch (IOException | RuntimeException e) {
            // A damaged history must not stop the client: start a new one and say so.
            log.warn("file store: {} is damaged ({}); starting a new history", f, e.getMessage());
        }
        historyLoaded = true;
        return Result.ok();
    }

    @Override
    public synchronized Result<Result.Done> saveKnownRelays(String source, List<RelayEndpoint> relays) {
        if (!SAFE_SOURCE.matcher(source).matches()) {
            return Result.err(ErrorCode.INVALID_CONFIG, "source name '" + source + "' is not a provider name");
        }
        ArrayNode arr = ConfigJson.mapper().createArrayNode();
        relays.forEach(r -> arr.add(StoreJson.endpoint(r)));
        Result<Result.Done> r = write(dir.resolve("known-relays-" + source + ".json"), arr.toString());
        r.ifOk(d -> state.knownRelays(source, relays));
        return r;
    }

    @Override
    public synchronized Result<List<RelayEndpoint>> knownRelays(String source) {
        if (!SAFE_SOURCE.matcher(source).matches()) {
            return Result.err(ErrorCode.INVALID_CONFIG, "source name '" + source + "' is not a provider name");
        }
        Path f = dir.resolve("known-relays-" + source + ".json");
        try {
            JsonNode arr = ConfigJson.mapper().readTree(Files.readString(f));
            List<RelayEndpoint> out = new ArrayList<>();
            for (JsonNode n : arr) {
                out.add(StoreJson.endpoint(n));
            }
            return Result.ok(List.copyOf(out));
        } catch (NoSuchFileException e) {
            return Result.ok(List.of());
        } catch (IOException | RuntimeException e) {
            return Result.err(ErrorCode.IO, f + " is damaged: " + e.getMessage());
        }
    }

    @Override
    public synchronized Result<Result.Done> outboxPut(OutboundMessage message) {
        ObjectNode line = ConfigJson.mapper().createObjectNode();
        line.put("op", "put");
        line.set("message", StoreJson.message(message));
        Result<Result.Done> r = append(line);
        r.ifOk(d -> state.outboxPut(message));
        return r;
    }

    @Override
    public synchronized Result<Result.Done> outboxRemove(List<String> messageIds) {
        if (messageIds.isEmpty()) {
            return Result.ok();
        }
        ObjectNode line = ConfigJson.mapper().createObjectNode();
        line.put("op", "remove");
        ArrayNode ids = line.putArray("ids");
        messageIds.forEach(ids::add);
        Result<Result.Done> r = append(line);
        if (r.isOk()) {
            state.outboxRemove(messageIds);
            if (outboxLogEntries > 1000 && outboxLogEntries > 4L * state.outboxSize()) {
                return compact();
            }
        }
        return r;
    }

    @Override
    public synchronized Result<List<OutboundMessage>> outboxLoad() {
        return openOutbox().map(d -> state.outbox());
    }

    private Result<Result.Done> append(ObjectNode line) {
        Result<Result.Done> open = openOutbox();
        if (!open.isOk()) {
            return open;
        }
        try {
            ByteBuffer buf = ByteBuffer.wrap((OutboxLine.frame(line.toString()) + "\n").getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) {
                outboxLog.write(buf);
            }
            if (sync) {
                outboxLog.force(false);
            }
            outboxLogEntries++;
            return Result.ok();
        } catch (IOException e) {
            return Result.err(ErrorCode.IO, "cannot append to " + dir.resolve("outbox.log") + ": " + e.getMessage());
        }
    }

    private Result<Result.Done> openOutbox() {
        if (outboxLoaded) {
            return Result.ok();
        }
        Path f = dir.resolve("outbox.log");
        if (Files.exists(f)) {
            List<String> lines;
            try {
                lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return Result.err(ErrorCode.IO, "cannot read " + f + ": " + e.getMessage());
            }
            int skipped = 0;
            int badChecksums = 0;
            boolean lastBad = false;
            for (int i = 0; i < lines.size(); i++) {
                Optional<String> json = OutboxLine.unframe(lines.get(i));
                boolean ok = json.isPresent() && readEntry(json.get());
                if (!ok) {
                    skipped++;
                    badChecksums += json.isEmpty() ? 1 : 0;
                    lastBad = i == lines.size() - 1;
                }
            }
            if (skipped > 0) {
                boolean tornOnly = skipped == 1 && lastBad;
                // A torn last line is expected after a crash mid-append; anything else is damage.
                String detail = skipped + " unreadable line(s)" + (badChecksums > 0 ? ", " + badChecksums
                        + " with a wrong checksum" : "") + (tornOnly ? " (a torn last line, as after a crash)" : "");
                if (tornOnly) {
                    log.info("file store: skipped {} in {}", detail, f);
                } else {
                    log.warn("file store: skipped {} in {}", detail, f);
                }
                context.events().accept(new RelayEvent.StoreDamaged(context.scheduler().now(), f.toString(), skipped,
                        tornOnly, detail));
            }
        }
        outboxLoaded = true;
        return compact();
    }

    /** Applies one entry to the state; false when it is not a valid entry. */
    private boolean readEntry(String json) {
        try {
            JsonNode n = ConfigJson.mapper().readTree(json);
            switch (n.path("op").asText()) {
                case "put" -> state.outboxPut(StoreJson.message(n.get("message")));
                case "remove" -> {
                    List<String> ids = new ArrayList<>();
                    n.path("ids").forEach(i -> ids.add(i.asText()));
                    state.outboxRemove(ids);
                }
                default -> {
                    return false;
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private Result<Result.Done> compact() {
        StringBuilder sb = new StringBuilder();
        for (OutboundMessage m : state.outbox()) {
            ObjectNode line = ConfigJson.mapper().createObjectNode();
            line.put("op", "put");
            line.set("message", StoreJson.message(m));
            sb.append(OutboxLine.frame(line.toString())).append('\n');
        }
        Path f = dir.resolve("outbox.log");
        try {
            if (outboxLog != null) {
                outboxLog.close();
                outboxLog = null;
            }
        } catch (IOException e) {
            log.debug("closing outbox log: {}", e.getMessage());
        }
        Result<Result.Done> w = write(f, sb.toString());
        if (!w.isOk()) {
            return w;
        }
        try {
            outboxLog = Files0600.openForWrite(f, StandardOpenOption.APPEND);
            outboxLogEntries = state.outboxSize();
            return Result.ok();
        } catch (IOException e) {
            return Result.err(ErrorCode.IO, "cannot open " + f + ": " + e.getMessage());
        }
    }

    private Result<Result.Done> write(Path target, String content) {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            Files.deleteIfExists(tmp); // a leftover may carry wider permissions
            try (FileChannel ch = Files0600.openForWrite(tmp, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                if (sync) {
                    ch.force(true);
                }
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            if (sync) {
                try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                    d.force(true);
                } catch (IOException e) {
                    // Some file systems cannot sync a directory; the rename is still atomic.
                    log.debug("directory sync of {} not supported: {}", dir, e.getMessage());
                }
            }
            return Result.ok();
        } catch (IOException e) {
            return Result.err(ErrorCode.IO, "cannot write " + target + ": " + e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        if (outboxLog != null) {
            try {
                outboxLog.close();
            } catch (IOException e) {
                log.debug("closing outbox log: {}", e.getMessage());
            }
            outboxLog = null;
        }
        outboxLoaded = false;
        lock.release();
    }
}
