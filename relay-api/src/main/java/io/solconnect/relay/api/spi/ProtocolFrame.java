package io.solconnect.relay.api.spi;

import io.solconnect.relay.api.InboundMessage;

import java.util.List;
import java.util.Objects;

/** What a decoded inbound frame means. A sealed family of immutable records. */
public sealed interface ProtocolFrame {

    /**
     * Messages for the application (one chat frame, or a batch from a resume response).
     *
     * @param messages the messages, in relay order
     */
    record Deliver(List<InboundMessage> messages) implements ProtocolFrame {
        /**
         * Copies the list.
         *
         * @param messages the messages, in relay order
         */
        public Deliver {
            messages = List.copyOf(messages);
        }
    }

    /**
     * The relay acknowledged messages.
     *
     * @param messageIds the client message ids acknowledged
     */
    record Ack(List<String> messageIds) implements ProtocolFrame {
        /**
         * Copies the list.
         *
         * @param messageIds the client message ids acknowledged
         */
        public Ack {
            messageIds = List.copyOf(messageIds);
        }
    }

    /**
     * The relay reported an error (the connection stays open).
     *
     * @param message the relay's error text
     */
    record Error(String message) implements ProtocolFrame {
        /**
         * Checks for null.
         *
         * @param message the relay's error text
         */
        public Error {
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * A valid frame that needs no action (joins of other clients, status, heartbeats).
     *
     * @param what a short description for debug logs
     */
    record Ignored(String what) implements ProtocolFrame {
        /**
         * Checks for null.
         *
         * @param what a short description for debug logs
         */
        public Ignored {
            Objects.requireNonNull(what, "what");
        }
    }

    /**
     * A frame that could not be decoded or was refused; counted and logged, nothing else.
     *
     * @param reason what was wrong, without echoing the frame
     */
    record Malformed(String reason) implements ProtocolFrame {
        /**
         * Checks for null.
         *
         * @param reason what was wrong, without echoing the frame
         */
        public Malformed {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
