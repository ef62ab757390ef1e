package io.solconnect.relay.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Something that happened in a relay client, published to subscribers. A sealed family of small
 * immutable records, so a listener can {@code switch} over them. Each carries the time it
 * happened (from the client's injected clock) and, where it concerns one, the relay id.
 *
 * <p>Events are built only when someone listens. Listeners run off the engine's I/O threads; an
 * exception thrown by a listener is caught and logged, and never reaches the engine.
 */
public sealed interface RelayEvent {

    /**
     * When it happened.
     *
     * @return the instant, from the client's clock
     */
    Instant at();

    /**
     * The relay it concerns, if any.
     *
     * @return the relay id, or empty for session-wide events
     */
    Optional<String> relayId();

    /**
     * A discovery source reported a relay not known before.
     *
     * @param at     when
     * @param relay  the relay
     * @param source the discovery provider name
     */
    record RelayDiscovered(Instant at, RelayEndpoint relay, String source) implements RelayEvent {
        /**
         * Checks for nulls.
         *
         * @param at when
         * @param relay the relay
         * @param source the discovery provider name
         */
        public RelayDiscovered {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(relay, "relay");
            Objects.requireNonNull(source, "source");
        }

        @Override
        public Optional<String> relayId() {
            return Optional.of(relay.id());
        }
    }

    /**
     * A relay disappeared from every discovery source; it is drained, not cut.
     *
     * @param at     when
     * @param relay  the relay id
     * @param source the discovery provider name that last listed it
     */
    record RelayLost(Instant at, String relay, String source) implements RelayEvent {
        /**
         * Checks for nulls.
         *
         * @param at when
         * @param relay the relay id
         * @param source the discovery provider name that last listed it
         */
        public RelayLost {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(relay, "relay");
            Objects.requireNonNull(source, "source");
        }

        @Override
        public Optional<String> relayId() {
            return Optional.of(relay);
        }
    }

    /**
     * A discovery source failed, or rejected some of what it returned. The last known good list is
     * kept.
     *
     * @param at     when
     * @param source the discovery provider name
     * @param error  what went wrong
     */
    record DiscoveryFailed(Instant at, String source, RelayError error) implements RelayEvent {
        /**
         * Checks for nulls.
         *
         * @param at when
         * @param source the discovery provider name
         * @param error what went wrong
         */
        public DiscoveryFailed {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(error, "error");
        }

        @Override
        public Optional<String> relayId() {
            return Optional.empty();
        }
    }

    /**
     * A connection to a relay opened and joined its rooms.
     *
     * @param at    when
     * @param relay the relay id
     * @param role  the role it was opened for (primary or standby)
     */
    record Connected(Instant at, String relay, RelayRole role) implements RelayEvent {
        /**
         * Checks for nulls.
         *
         * @param at when
         * @param relay the relay id
         * @param role the role it was opened for (primary or standby)
         */
        public Connected {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(relay, "relay");
            Objects.requireNonNull(role, "role");
        }

        @Override
        public Optional<String> relayId() {
            return Optional.of(relay);
        }
    }

    /**
     * A connection to a relay ended.
     *
     * @param at        when
     * @param relay     the relay id
     * @param closeCode the WebSocket close code (1006 when the connection dropped without one)
     * @param reason    the close reason or the error, in words
     */
    record Disconnected(Instant at, String relay, int closeCode, String reason) implements RelayEvent {
        /**
         * Checks for nulls.
         *
         * @param at when
         * @param relay the relay id
         * @param closeCode the WebSocket close code (1006 when the connection dropped without one)
         * @param reason the close reason or the error, in words
         */
        public Disconnected {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(relay, "relay");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public Optional<String> relayId() {
            return Optional.of(relay);
        }
    }

    /**
     * The session moved to a new primary.
     *
     * @param at       when the new primary took over
     * @param from     the relay left, if any
     * @param to       the new primary
     * @param reason   why
     * @param duration from detection to the new primary carrying traffic
     * @param replayed unacknowledged messages written again
     */
    record Failover(Instant at, Optional<String> from, String to, String reason, Duration duration, int replayed)
            implements RelayEvent {
        /**
         * Checks for nulls.
         *
         * @param at when the new primary took over
         * @param from the relay left, if any
         * @param to the new primary
         * @param reason why
         * @param duration from detection to the new primary carrying traffic
         * @param replayed unacknowledged messages written again
         */
        public Failover {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(duration, "duration");
        }

        @Override
        public Optional<String> relayId() {
            return Optional.of(to);
        }

        /**
         * The same failover as a status-history record.
         *
         * @return the record
         */
        public FailoverRecord toRecord() {
            return new FailoverRecord(at, from, to, reason, duration, replayed);
        }
    }

    /**
     * A relay's health score moved noticeably.
     *
     * @param at       when
     * @param relay    the relay id
     * @param oldScore the previous score in [0, 1]
     * @param newScore the new score in [0, 1]
     */
    record HealthChanged(Instant at, String relay, double oldScore, double newScore) implements RelayEvent {
        /**
         * Checks for nulls.
         *
         * @param at when
         * @param relay the relay id
         * @param oldScore the previous score in [0, 1]
         * @param newScore the new score in [0, 1]
         */
        public HealthChanged {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(relay, "relay");
        }

        @Override
        public Optional<String> relayId() {
            return Optional.of(relay);
        }
    }

    /**
     * A failing relay was excluded until a time.
     *
     * @param at     when
     * @param relay  the relay id
     * @param until  when it becomes eligible again
     * @param reason why
     */
    record Ejected(Instant at, String relay, Instant until, String reason) implements RelayEvent {
        /**
         * Checks for nulls.
         *
         * @param at when
         * @param relay the relay id
         * @param until when it becomes eligible again
         * @param reason why
         */
        public Ejected {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(relay, "relay");
            Objects.requireNonNull(until, "until");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public Optional<String> relayId() {
            return Optional.of(relay);
        }
    }

    /**
     * An ejected relay became eligible again.
     *
     * @param at    when
     * @param relay the relay id
     */
    record Restored(Instant at, String relay) implements RelayEvent {
        /**
         * Checks for nulls.
         *
         * @param at when
         * @param relay the relay id
         */
        public Restored {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(relay, "relay");
        }

        @Override
        public Optional<String> relayId() {
            return Optional.of(relay);
        }
    }

    /**
     * No relay is reachable; sends queue up to the outbox bound.
     *
     * @param at     when
     * @param reason why, e.g. {@code "all 3 relays dropped within 200 ms: local network down?"}
     */
    record Offline(Instant at, String reason) implements RelayEvent {
        /**
         * Checks for nulls.
         *
         * @param at when
         * @param reason why, e.g. {@code "all 3 relays dropped within 200 ms: local network down?"}
         */
        public Offline {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public Optional<String> relayId() {
            return Optional.empty();
        }
    }

    /**
     * The session is connected again after being offline.
     *
     * @param at      when
     * @param relay   the new primary
     * @param offline how long it was offline
     */
    record Online(Instant at, String relay, Duration offline) implements RelayEvent {
        /**
         * Checks for nulls.
         *
         * @param at when
         * @param relay the new primary
         * @param offline how long it was offline
         */
        public Online {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(relay, "relay");
            Objects.requireNonNull(offline, "offline");
        }

        @Override
        public Optional<String> relayId() {
            return Optional.of(relay);
        }
    }

    /**
     * The session state machine moved.
     *
     * @param at     when
     * @param from   the previous state
     * @param to     the new state
     * @param reason why
     */
    record StateChanged(Instant at, SessionState from, SessionState to, String reason) implements RelayEvent {
        /**
         * Checks for nulls.
         *
         * @param at when
         * @param from the previous state
         * @param to the new state
         * @param reason why
         */
        public StateChanged {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public Optional<String> relayId() {
            return Optional.empty();
        }
    }

    /**
     * A relay acknowledged a message (or, without acks, it was written).
     *
     * @param at        when
     * @param relay     the relay id
     * @param messageId the client message id
     * @param confirmed false for a protocol without acknowledgements
     */
    record MessageAcknowledged(Instant at, String relay, String messageId, boolean confirmed) implements RelayEvent {
        /**
         * Checks for nulls.
         *
         * @param at when
         * @param relay the relay id
         * @param messageId the client message id
         * @param confirmed false for a protocol without acknowledgements
         */
        public MessageAcknowledged {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(relay, "relay");
            Objects.requireNonNull(messageId, "messageId");
        }

        @Override
        public Optional<String> relayId() {
            return Optional.of(relay);
        }
    }

    /**
     * A message was not accepted or could not be delivered.
     *
     * @param at        when
     * @param messageId the client message id (empty string when refused before one was given)
     * @param error     why
     */
    record MessageFailed(Instant at, String messageId, RelayError error) implements RelayEvent {
        /**
         * Checks for nulls.
         *
         * @param at when
         * @param messageId the client message id (empty string when refused before one was given)
         * @param error why
         */
        public MessageFailed {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(messageId, "messageId");
            Objects.requireNonNull(error, "error");
        }

        @Override
        public Optional<String> relayId() {
            return Optional.empty();
        }
    }

    /**
     * An inbound frame was malformed, hostile or refused; it changed nothing but counters.
     *
     * @param at     when
     * @param relay  the relay id
     * @param reason what was wrong, without the frame's content
     */
    record FrameRejected(Instant at, String relay, String reason) implements RelayEvent {
        /**
         * Checks for nulls.
         *
         * @param at when
         * @param relay the relay id
         * @param reason what was wrong, without the frame's content
         */
        public FrameRejected {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(relay, "relay");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public Optional<String> relayId() {
            return Optional.of(relay);
        }
    }

    /**
     * A relay sent more than the client holds for it (a per-link inbound queue, the live frames
     * held while a resume is pending): the link was closed with code 1008 and its frames dropped.
     * The session reconnects as after any lost link and resumes what it missed, so nothing is
     * lost; the memory a relay can fill stays bounded.
     *
     * @param at     when
     * @param relay  the relay id
     * @param limit  which limit, e.g. {@code "inbound queue"} or {@code "resume buffer"}
     * @param detail the figures (held frames and bytes, the limit), without content
     */
    record LimitExceeded(Instant at, String relay, String limit, String detail) implements RelayEvent {
        /**
         * Checks for nulls.
         *
         * @param at when
         * @param relay the relay id
         * @param limit which limit
         * @param detail the figures, without content
         */
        public LimitExceeded {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(relay, "relay");
            Objects.requireNonNull(limit, "limit");
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public Optional<String> relayId() {
            return Optional.of(relay);
        }
    }

    /**
     * The store found damaged data and skipped it, e.g. lines of the {@code file} store's outbox
     * log whose checksum does not match or that cannot be read. A torn last line after a crash is
     * reported too (with {@code lastLineOnly} true): it was never acknowledged to {@code send}.
     *
     * @param at           when it was found
     * @param file         the file or record the damage is in
     * @param lines        how many entries were skipped; at least 1
     * @param lastLineOnly whether the only damage is a torn last line (expected after a crash)
     * @param detail       what was wrong, without the damaged content
     */
    record StoreDamaged(Instant at, String file, int lines, boolean lastLineOnly, String detail) implements RelayEvent {
        /**
         * Checks the components.
         *
         * @param at when it was found
         * @param file the file or record the damage is in
         * @param lines how many entries were skipped; at least 1
         * @param lastLineOnly whether the only damage is a torn last line (expected after a crash)
         * @param detail what was wrong, without the damaged content
         * @throws IllegalArgumentException if {@code lines} is below 1
         */
        public StoreDamaged {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(detail, "detail");
            if (lines < 1) {
                throw new IllegalArgumentException("lines must be at least 1, was " + lines);
            }
        }

        @Override
        public Optional<String> relayId() {
            return Optional.empty();
        }
    }
}
