package io.solconnect.relay.ui.web;

import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * An extra read-only text page of a {@link StatusServer}, e.g. a Prometheus scrape endpoint whose
 * body another module renders: the status page serves it without depending on what produces it.
 * Every request needs this start's token, in the {@code X-Relay-Token} header or as
 * {@code Authorization: Bearer <token>} (what Prometheus sends with {@code authorization:
 * credentials}), since what it shows may be more than the page itself shows. Immutable; the body
 * supplier must be thread-safe, it is called once per request on an HTTP worker thread.
 *
 * @param path        the path, e.g. {@code /metrics}: lowercase letters, digits, {@code -},
 *                    {@code _} and {@code /}; not under {@code /api/} and not a page of the server
 * @param contentType the response's content type, e.g.
 *                    {@code text/plain; version=0.0.4; charset=utf-8}
 * @param body        renders the body on each request
 */
public record TextEndpoint(String path, String contentType, Supplier<String> body) {

    private static final Pattern PATH = Pattern.compile("/[a-z0-9][a-z0-9_/-]{0,63}");
    private static final Set<String> TAKEN = Set.of("/settings", "/favicon.ico", "/index.html", "/settings.html");

    /**
     * Validates the components.
     *
     * @param path        the path
     * @param contentType the content type
     * @param body        renders the body
     * @throws IllegalArgumentException for a malformed or reserved path, or a blank content type
     */
    public TextEndpoint {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
        if (!PATH.matcher(path).matches() || path.startsWith("/api/") || path.startsWith("/assets/") || TAKEN.contains(path)) {
            throw new IllegalArgumentException("path must match " + PATH.pattern()
                    + " and not be a page of the status server, was '" + path + "'");
        }
        if (contentType.isBlank()) {
            throw new IllegalArgumentException("contentType must not be blank");
        }
    }
}
