package io.solconnect.relay.examples.server;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Maps room ids to NATS subjects and back: {@code <prefix>.<token>}, the token being the room id's
 * UTF-8 bytes in unpadded base64url, so any room id (dots, spaces, wildcards and all) is one safe
 * subject token. Immutable and thread-safe.
 */
final class RoomSubjects {

    private final String prefix;

    RoomSubjects(String prefix) {
        this.prefix = prefix + ".";
    }

    /** The subject of a room. */
    String subjectOf(String roomId) {
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(roomId.getBytes(StandardCharsets.UTF_8));
    }

    /** The room of a subject, or empty for a subject this mapping did not make. */
    Optional<String> roomOf(String subject) {
        if (!subject.startsWith(prefix) || subject.length() == prefix.length()) {
            return Optional.empty();
        }
        try {
            byte[] raw = Base64.getUrlDecoder().decode(subject.substring(prefix.length()));
            return Optional.of(new String(raw, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The wildcard subject of every room. */
    String allRooms() {
        return prefix + ">";
    }
}
