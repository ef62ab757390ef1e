package io.solconnect.relay.api.spi;

import java.util.List;
import java.util.Optional;

/**
 * The optional capability of a {@link RelayProtocol} to carry several messages of one room in one
 * frame, which the relay acknowledges message by message (each by its message id). A protocol
 * offers it by returning this object from {@link RelayProtocol#batching()}; the engine asks once,
 * when a session is created.
 *
 * <p>The engine encodes every message once, on its own, with {@link RelayProtocol#encode} (or the
 * {@link SequencedProtocol} variants), and asks this object to {@link #join} consecutive frames
 * when it has several to write at once: a backlog behind the frames in flight, a replay on a new
 * primary, a catch-up or resend answer. With nothing in flight a message still goes out at once,
 * in a frame of its own. A joined frame is never longer than the sum of its parts, and the engine
 * bounds that sum by {@code maxMessageBytes}, so a joined frame respects every limit its parts do.
 * A relay that acknowledges only some of the messages of a joined frame gets the others again, one
 * per frame, after the ack timeout.
 *
 * <p>Stateless and thread-safe, like the protocol itself.
 */
public interface BatchingProtocol {

    /**
     * The most messages one joined frame may carry; the engine may use fewer (it caps batches at
     * 64 messages).
     *
     * @return at least 2
     */
    int maxMessages();

    /**
     * Joins frames into one that carries their messages in the given order.
     *
     * @param frames at least two frames, each as this protocol encoded one message, all of one room
     *               and in the order the messages must reach the room
     * @return the joined frame, or empty when these frames cannot share one (for example a resent
     *         frame beside an ordinary one, or a frame this protocol did not write); the engine then
     *         writes them one by one
     */
    Optional<String> join(List<String> frames);
}
