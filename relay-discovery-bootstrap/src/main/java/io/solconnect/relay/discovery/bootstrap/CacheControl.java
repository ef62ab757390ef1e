package io.solconnect.relay.discovery.bootstrap;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/** Reads {@code Cache-Control} and {@code Age} into the time before the next lookup. Stateless. */
final class CacheControl {

    private static final long MAX_SECONDS = 10L * 365 * 24 * 3600;

    private CacheControl() {
    }

    /**
     * The next lookup time the headers ask for, clamped by the settings.
     *
     * @param headers  the response headers
     * @param settings the source's refresh bounds
     * @return {@code max-age - Age}; {@code minRefresh} for {@code no-cache}/{@code no-store};
     *         {@code defaultRefresh} when there is no usable {@code max-age}
     */
    static Duration refreshAfter(HttpHeaders headers, BootstrapSettings settings) {
        Optional<Long> maxAge = Optional.empty();
        for (String value : headers.allValues("Cache-Control")) {
            for (String directive : value.split(",")) {
                String d = directive.strip().toLowerCase(Locale.ROOT);
                if (d.equals("no-cache") || d.equals("no-store")) {
                    return settings.minRefresh();
                }
                if (d.startsWith("max-age=")) {
                    maxAge = seconds(d.substring("max-age=".length()).replace("\"", ""));
                }
            }
        }
        if (maxAge.isEmpty()) {
            return settings.clamp(settings.defaultRefresh());
        }
        long age = headers.firstValue("Age").flatMap(CacheControl::seconds).orElse(0L);
        return settings.clamp(Duration.ofSeconds(Math.max(0, maxAge.get() - age)));
    }

    private static Optional<Long> seconds(String s) {
        String t = s.strip();
        if (t.isEmpty() || t.length() > 12 || !t.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        return Optional.of(Math.min(Long.parseLong(t), MAX_SECONDS));
    }
}
