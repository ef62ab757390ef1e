package io.solconnect.relay.core.internal.config;

/** A configuration problem at a JSON path; converted to a {@code Result} error at the boundary. */
final class ConfigError extends Exception {

    ConfigError(String path, String problem) {
        super(path + " " + problem, null, false, false);
    }
}
