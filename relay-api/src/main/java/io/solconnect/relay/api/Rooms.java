package io.solconnect.relay.api;

import java.util.Objects;

/** Checks on room names, shared by the model records. Stateless and thread-safe. */
public final class Rooms {

    /** Longest room name, in characters. */
    public static final int MAX_LENGTH = 256;

    private Rooms() {
    }

    /**
     * Checks a room name: 1..{@value #MAX_LENGTH} characters, no control characters.
     *
     * @param room the room name
     * @return the same name
     * @throws IllegalArgumentException naming the problem
     */
    public static String check(String room) {
        Objects.requireNonNull(room, "room");
        if (room.isEmpty() || room.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("room must have 1.." + MAX_LENGTH + " characters, had " + room.length());
        }
        for (int i = 0; i < room.length(); i++) {
            if (Character.isISOControl(room.charAt(i))) {
                throw new IllegalArgumentException("room must not contain control characters");
            }
        }
        return room;
    }

    /**
     * Counts the UTF-8 bytes of a string without encoding it.
     *
     * @param s the string
     * @return its UTF-8 length in bytes
     */
    public static int utf8Length(CharSequence s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
