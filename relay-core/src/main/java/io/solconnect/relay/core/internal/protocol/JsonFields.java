package io.solconnect.relay.core.internal.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.solconnect.relay.api.Rooms;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Checked reading of one field of an untrusted frame, for {@link JsonFrames}: each reader checks
 * the type and the length and never throws. Optional fields tell "absent" (empty) from "present
 * but wrong" ({@code null}, which the caller turns into a malformed frame). Stateless, so
 * thread-safe.
 */
final class JsonFields {

    private JsonFields() {
    }

    /** Whether {@code room} is a room name {@link Rooms#check} accepts. */
    static boolean validRoom(String room) {
        try {
            Rooms.check(room);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The text of {@code n}; empty when absent, not text, or longer than {@code maxLength} characters. */
    static Optional<String> text(JsonNode n, int maxLength) {
        if (n == null || !n.isTextual() || n.asText().length() > maxLength) {
            return Optional.empty();
        }
        return Optional.of(n.asText());
    }

    /** Empty when absent or JSON null; null (meaning malformed) when present with a wrong type or too long. */
    static Optional<String> optionalText(JsonNode parent, String field, int maxLength) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isTextual() || n.asText().length() > maxLength) {
            return null;
        }
        return Optional.of(n.asText());
    }

    /** Empty when absent, null when malformed. */
    static OptionalLong sequence(JsonNode n) {
        if (n == null || n.isNull()) {
            return OptionalLong.empty();
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0) {
            return null;
        }
        return OptionalLong.of(n.asLong());
    }

    /** An ISO-8601 instant of at most 64 characters; empty when absent or unreadable (a timestamp is advisory). */
    static Optional<Instant> instant(JsonNode n) {
        if (n == null || !n.isTextual() || n.asText().length() > 64) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(n.asText()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
