package io.solconnect.relay.api.spi;

import io.solconnect.relay.api.OutboundMessage;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.Result;

import java.util.List;
import java.util.Optional;

/**
 * Keeps what must survive a restart. Thread-safe. Calls may block for disk I/O: the engine calls
 * them off its I/O threads, except {@link #outboxPut} which runs inside {@code send} so that a
 * durable store has the message on disk before {@code send} accepts it.
 */
public interface RelayStore extends AutoCloseable {

    /**
     * Whether writes survive a process crash.
     *
     * @return true for a store that syncs to disk
     */
    boolean durable();

    /**
     * The saved configuration, if any (written by the settings page).
     *
     * @return the configuration, empty when none was saved, or an error for an unreadable file
     */
    Result<Optional<RelayConfig>> loadConfig();

    /**
     * Saves the configuration, atomically.
     *
     * @param config the configuration
     * @return ok or an {@link io.solconnect.relay.api.ErrorCode#IO} error
     */
    Result<Result.Done> saveConfig(RelayConfig config);

    /**
     * Appends a finished connection to the history (bounded: old entries are dropped).
     *
     * @param record the connection
     * @return ok or an error
     */
    Result<Result.Done> appendHistory(ConnectionRecord record);

    /**
     * The most recent connections, newest last.
     *
     * @param max at most this many
     * @return the records or an error
     */
    Result<List<ConnectionRecord>> history(int max);

    /**
     * Saves a discovery source's last good relay list.
     *
     * @param source the discovery provider name
     * @param relays the relays
     * @return ok or an error
     */
    Result<Result.Done> saveKnownRelays(String source, List<RelayEndpoint> relays);

    /**
     * A discovery source's last good relay list.
     *
     * @param source the discovery provider name
     * @return the relays (empty when none saved) or an error
     */
    Result<List<RelayEndpoint>> knownRelays(String source);

    /**
     * Adds a message to the durable outbox; with a durable store it is on disk when this returns.
     *
     * @param message the message
     * @return ok or an error (the send then fails)
     */
    Result<Result.Done> outboxPut(OutboundMessage message);

    /**
     * Removes acknowledged messages from the durable outbox.
     *
     * @param messageIds the ids
     * @return ok or an error
     */
    Result<Result.Done> outboxRemove(List<String> messageIds);

    /**
     * The messages in the durable outbox, oldest first, for replay at start.
     *
     * @return the messages or an error
     */
    Result<List<OutboundMessage>> outboxLoad();

    /** Flushes and releases files. Idempotent. */
    @Override
    void close();
}
