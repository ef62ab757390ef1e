package io.solconnect.relay.api;

import java.util.Objects;

/**
 * An expected failure: a stable {@link ErrorCode} and a human-readable message that names the
 * thing that is wrong (a field, a provider, a relay). Immutable and thread-safe.
 *
 * @param code    the stable code
 * @param message what went wrong, in words; never empty
 */
public record RelayError(ErrorCode code, String message) {

    /**
     * Validates the components.
     *
     * @param code the stable code
     * @param message what went wrong, in words; never empty
     * @throws NullPointerException     if either is null
     * @throws IllegalArgumentException if the message is blank
     */
    public RelayError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        if (message.isBlank()) {
            throw new IllegalArgumentException("message must not be blank");
        }
    }

    /**
     * Creates an error.
     *
     * @param code    the stable code
     * @param message what went wrong
     * @return the error
     */
    public static RelayError of(ErrorCode code, String message) {
        return new RelayError(code, message);
    }

    /** Returns {@code "<code>: <message>"}. */
    @Override
    public String toString() {
        return code.code() + ": " + message;
    }
}
