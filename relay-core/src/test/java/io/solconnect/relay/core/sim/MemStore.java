package io.solconnect.relay.core.sim;

import io.solconnect.relay.api.ErrorCode;
import io.solconnect.relay.api.OutboundMessage;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.spi.ConnectionRecord;
import io.solconnect.relay.api.spi.RelayStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A tiny in-memory store for tests; can be told to refuse outbox writes. */
public final class MemStore implements RelayStore {
    public final Map<String, OutboundMessage> outbox = new LinkedHashMap<>();
    public final List<ConnectionRecord> history = new ArrayList<>();
    public final Map<String, List<RelayEndpoint>> known = new HashMap<>();
    public boolean refuseWrites;
    public Optional<RelayConfig> saved = Optional.empty();
    public volatile boolean closed;
    /** Runs after every {@link #outboxRemove}, on the thread that called it. */
    public volatile Runnable afterRemove = () -> { };

    @Override
    public boolean durable() {
        return false;
    }

    @Override
    public synchronized Result<Optional<RelayConfig>> loadConfig() {
        return Result.ok(saved);
    }

    @Override
    public synchronized Result<Result.Done> saveConfig(RelayConfig config) {
        saved = Optional.of(config);
        return Result.ok();
    }

    @Override
    public synchronized Result<Result.Done> appendHistory(ConnectionRecord record) {
        history.add(record);
        return Result.ok();
    }

    @Override
    public synchronized Result<List<ConnectionRecord>> history(int max) {
        return Result.ok(List.copyOf(history.subList(Math.max(0, history.size() - max), history.size())));
    }

    @Override
    public synchronized Result<Result.Done> saveKnownRelays(String source, List<RelayEndpoint> relays) {
        known.put(source, List.copyOf(relays));
        return Result.ok();
    }

    @Override
    public synchronized Result<List<RelayEndpoint>> knownRelays(String source) {
        return Result.ok(known.getOrDefault(source, List.of()));
    }

    @Override
    public synchronized Result<Result.Done> outboxPut(OutboundMessage message) {
        if (refuseWrites) {
            return Result.err(ErrorCode.IO, "disk full");
        }
        outbox.put(message.id(), message);
        return Result.ok();
    }

    @Override
    public synchronized Result<Result.Done> outboxRemove(List<String> messageIds) {
        messageIds.forEach(outbox::remove);
        afterRemove.run();
        return Result.ok();
    }

    @Override
    public synchronized Result<List<OutboundMessage>> outboxLoad() {
        return Result.ok(List.copyOf(outbox.values()));
    }

    @Override
    public void close() {
        closed = true;
    }
}
