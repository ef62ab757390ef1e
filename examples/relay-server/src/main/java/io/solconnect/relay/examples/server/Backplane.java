package io.solconnect.relay.examples.server;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where a relay of a fleet stores the messages it accepts and learns of the messages every other
 * relay accepted: the shared, ordered log behind {@link SyncRelay} when it runs with a backplane
 * ({@link JetStreamBackplane}). Without one, {@link SyncRelay} keeps each room's history and
 * sequence in its own {@link Room}s, as a single relay always did. Implementations are thread-safe.
 */
interface Backplane extends AutoCloseable {

    /**
     * One message a client sent and the relay accepted.
     *
     * @param roomId    the room
     * @param clientId  the client's message id; a retried or re-published message with the same id
     *                  is stored once fleet-wide
     * @param entry     its {@code sync_response} entry, without {@code sequenceNumber}
     * @param broadcast the frame members get, without {@code sequenceNumber}
     */
    record Outgoing(String roomId, Optional<String> clientId, ObjectNode entry, ObjectNode broadcast) { }

    /**
     * A room's stored messages after a sequence.
     *
     * @param entries        {@code sync_response} entries, oldest first, with their sequences
     * @param latestSequence the room's latest sequence, or that of the last entry when the reply was
     *                       cut at its limit; 0 for a room with nothing stored
     */
    record History(List<ObjectNode> entries, long latestSequence) {
        public History {
            entries = List.copyOf(entries);
        }
    }

    /** Where messages of the log go: to the members of the room on this relay. */
    interface Sink {
        /**
         * Delivers a frame to this relay's members of a room. Called on the backplane's thread,
         * in log order per room.
         *
         * @param roomId the room
         * @param except the member that sent it through this relay, who gets no copy
         * @param frame  the frame, with its {@code sequenceNumber}
         */
        void deliver(String roomId, Optional<Peer> except, String frame);
    }

    /**
     * Stores messages, in order, in the shared log; each is then delivered (through every relay's
     * {@link Sink}) to every member of its room except the sender.
     *
     * @param from     the sender
     * @param messages the messages
     * @return completes with each message's sequence once the log has stored them all (for a
     *         message stored before, its first sequence), or exceptionally when they cannot be stored
     *         in time
     */
    CompletableFuture<List<Long>> append(Peer from, List<Outgoing> messages);

    /**
     * Reads a room's stored messages after a sequence, from the shared log. Blocks for the reads.
     *
     * @param roomId the room
     * @param after  the last sequence the client has
     * @param limit  the most entries returned
     * @return the messages
     * @throws IOException when the log cannot be read
     */
    History history(String roomId, long after, int limit) throws IOException;

    /**
     * Forgets a peer that disconnected.
     *
     * @param peer the peer
     */
    void forget(Peer peer);

    /** Disconnects from the log at once; nothing more is delivered. Idempotent. */
    @Override
    void close();
}
