package io.solconnect.relay.core.internal.config;

/** A configuration problem at a JSON path; converted to a {@code Result} error at the boundary. */
final class ConfigError extends Exception {

    ConfigError(String path, String problem) {
        this(path + " " + problem);
    }

    private ConfigError(String message) {
        super(message, null, false, false);
    }

    /** This error with {@code note} appended to its message. */
    ConfigError withNote(String note) {
        return note.isEmpty() ? this : new ConfigError(getMessage() + note);
    }
}
