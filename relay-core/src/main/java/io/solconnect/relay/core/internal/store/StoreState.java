package io.solconnect.relay.core.internal.store;

import io.solconnect.relay.api.OutboundMessage;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.spi.ConnectionRecord;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The in-memory contents of a store; the {@code memory} store is only this, the {@code file} store
 * writes each change through to disk as well. Not thread-safe: the owning store synchronises.
 */
final class StoreState {

    /** Connection records kept, newest last. */
    static final int MAX_HISTORY = 1000;

    private Optional<RelayConfig> config = Optional.empty();
    private final Deque<ConnectionRecord> history = new ArrayDeque<>();
    private final Map<String, List<RelayEndpoint>> knownRelays = new HashMap<>();
    private final LinkedHashMap<String, OutboundMessage> outbox = new LinkedHashMap<>();

    Optional<RelayConfig> config() {
        return config;
    }

    void config(RelayConfig c) {
        config = Optional.of(c);
    }

    void addHistory(ConnectionRecord r) {
        history.addLast(r);
        while (history.size() > MAX_HISTORY) {
            history.removeFirst();
        }
    }

    List<ConnectionRecord> history() {
        return List.copyOf(history);
    }

    List<ConnectionRecord> history(int max) {
        List<ConnectionRecord> all = new ArrayList<>(history);
        return List.copyOf(all.subList(Math.max(0, all.size() - Math.max(0, max)), all.size()));
    }

    void knownRelays(String source, List<RelayEndpoint> relays) {
        knownRelays.put(source, List.copyOf(relays));
    }

    List<RelayEndpoint> knownRelays(String source) {
        return knownRelays.getOrDefault(source, List.of());
    }

    void outboxPut(OutboundMessage m) {
        outbox.put(m.id(), m);
    }

    int outboxRemove(List<String> ids) {
        int removed = 0;
        for (String id : ids) {
            if (outbox.remove(id) != null) {
                removed++;
            }
        }
        return removed;
    }

    List<OutboundMessage> outbox() {
        return List.copyOf(outbox.values());
    }

    int outboxSize() {
        return outbox.size();
    }
}
