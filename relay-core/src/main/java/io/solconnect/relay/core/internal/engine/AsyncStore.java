package io.solconnect.relay.core.internal.engine;

import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.spi.RelayStore;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs store writes on the blocking executor, never on the engine loop; a failure is logged (the
 * message stays in memory either way). Thread-safe.
 */
final class AsyncStore {

    private static final Logger log = LoggerFactory.getLogger(AsyncStore.class);

    private final RelayStore store;
    private final Executor blocking;
    private final String session;

    AsyncStore(RelayStore store, Executor blocking, String session) {
        this.store = store;
        this.blocking = blocking;
        this.session = session;
    }

    RelayStore store() {
        return store;
    }

    /** Queues {@code op} on the blocking executor. */
    void run(Supplier<Result<Result.Done>> op) {
        try {
            blocking.execute(() -> op.get().ifErr(e -> log.warn("store operation failed: {}", e)));
        } catch (RuntimeException e) {
            log.warn("store operation not run: {}", e.toString());
        }
    }
}
