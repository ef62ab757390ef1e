package io.solconnect.relay.core.internal.store;

import io.solconnect.relay.api.OutboundMessage;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.spi.ConnectionRecord;
import io.solconnect.relay.api.spi.PluginContext;
import io.solconnect.relay.api.spi.RelayStore;
import io.solconnect.relay.api.spi.StoreProvider;

import java.util.List;
import java.util.Optional;

/**
 * The {@code memory} store: everything in memory, lost when the process ends ({@code durable()} is
 * false). No settings. For tests, benchmarks and clients that need no persistence.
 */
public final class MemoryStoreProvider implements StoreProvider {

    /** Creates the provider; does nothing else. */
    public MemoryStoreProvider() {
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public Result<RelayStore> create(PluginContext context) {
        return Result.ok(new MemoryStore());
    }

    /** Thread-safe: every method synchronises on the store. */
    static final class MemoryStore implements RelayStore {
        private final StoreState state = new StoreState();

        @Override
        public boolean durable() {
            return false;
        }

        @Override
        public synchronized Result<Optional<RelayConfig>> loadConfig() {
            return Result.ok(state.config());
        }

        @Override
        public synchronized Result<Result.Done> saveConfig(RelayConfig config) {
            state.config(config);
            return Result.ok();
        }

        @Override
        public synchronized Result<Result.Done> appendHistory(ConnectionRecord record) {
            state.addHistory(record);
            return Result.ok();
        }

        @Override
        public synchronized Result<List<ConnectionRecord>> history(int max) {
            return Result.ok(state.history(max));
        }

        @Override
        public synchronized Result<Result.Done> saveKnownRelays(String source, List<RelayEndpoint> relays) {
            state.knownRelays(source, relays);
            return Result.ok();
        }

        @Override
        public synchronized Result<List<RelayEndpoint>> knownRelays(String source) {
            return Result.ok(state.knownRelays(source));
        }

        @Override
        public synchronized Result<Result.Done> outboxPut(OutboundMessage message) {
            state.outboxPut(message);
            return Result.ok();
        }

        @Override
        public synchronized Result<Result.Done> outboxRemove(List<String> messageIds) {
            state.outboxRemove(messageIds);
            return Result.ok();
        }

        @Override
        public synchronized Result<List<OutboundMessage>> outboxLoad() {
            return Result.ok(state.outbox());
        }

        @Override
        public void close() {
            // nothing held
        }
    }
}
