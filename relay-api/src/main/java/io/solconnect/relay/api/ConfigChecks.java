package io.solconnect.relay.api;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The single-value checks shared by the configuration records and {@link RelayConfig.Builder}, so
 * that a setter and a compact constructor refuse a value with the same message. Each message
 * starts with the option's JSON path, e.g. {@code "liveness.pingInterval must be positive, was PT0S"}.
 */
final class ConfigChecks {

    private ConfigChecks() {
    }

    static Duration positive(String field, Duration d) {
        Objects.requireNonNull(d, field);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(field + " must be positive, was " + d);
        }
        if (d.compareTo(RelayConfig.MAX_DURATION) > 0) {
            throw new IllegalArgumentException(field + " must be at most " + RelayConfig.MAX_DURATION.toDays()
                    + " days, was " + d);
        }
        return d;
    }

    /** Positive and at least {@code min}: timers shorter than that would only spin. */
    static Duration atLeast(String field, Duration d, Duration min) {
        positive(field, d);
        if (d.compareTo(min) < 0) {
            throw new IllegalArgumentException(field + " must be at least " + min.toMillis() + " ms, was " + d);
        }
        return d;
    }

    static long range(String field, long v, long min, long max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(field + " must be in " + min + ".." + max + ", was " + v);
        }
        return v;
    }

    static long atLeast(String field, long v, long min) {
        if (v < min) {
            throw new IllegalArgumentException(field + " must be at least " + min + ", was " + v);
        }
        return v;
    }

    static double unitInterval(String field, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(field + " must be in [0, 1], was " + v);
        }
        return v;
    }

    static String maxLength(String field, String s, int max) {
        Objects.requireNonNull(s, field);
        if (s.length() > max) {
            throw new IllegalArgumentException(field + " must be at most " + max + " characters, was " + s.length());
        }
        return s;
    }

    /** Lower-cases and checks URL schemes: a non-empty subset of {@code {ws, wss}}. */
    static Set<String> schemes(String field, Set<String> given) {
        Objects.requireNonNull(given, field);
        Set<String> out = new TreeSet<>();
        for (String s : given) {
            String lower = Objects.requireNonNull(s, field + " entry").toLowerCase(Locale.ROOT);
            if (!lower.equals("ws") && !lower.equals("wss")) {
                throw new IllegalArgumentException(field + " may hold only 'ws' and 'wss', had '" + s + "'");
            }
            out.add(lower);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(field + " must not be empty");
        }
        return Set.copyOf(out);
    }
}
