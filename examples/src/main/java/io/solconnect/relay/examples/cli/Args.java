package io.solconnect.relay.examples.cli;

import io.solconnect.relay.api.spi.PluginContext;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A small {@code --name value} option parser with clear errors. Not thread-safe; one per command
 * run.
 */
public final class Args {

    private final String command;
    private final Map<String, String> values = new HashMap<>();

    private Args(String command) {
        this.command = command;
    }

    /**
     * Parses {@code --name value} pairs (and {@code --name=value}).
     *
     * @param command the command name, for messages
     * @param args    the arguments
     * @param known   the option names accepted (without dashes)
     * @param flags   the options that take no value
     * @return the parsed options
     * @throws UsageException naming an unknown option, a missing value or a repeated option
     */
    public static Args parse(String command, List<String> args, Set<String> known, Set<String> flags) throws UsageException {
        Args a = new Args(command);
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new UsageException(command + ": unexpected argument '" + arg + "'");
            }
            String name = arg.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (flags.contains(name)) {
                value = "true";
            } else {
                if (i + 1 >= args.size()) {
                    throw new UsageException(command + ": --" + name + " needs a value");
                }
                value = args.get(++i);
            }
            if (!known.contains(name) && !flags.contains(name)) {
                throw new UsageException(command + ": unknown option --" + name + "; known: --" + String.join(", --",
                        new java.util.TreeSet<>(union(known, flags))));
            }
            if (a.values.put(name, value) != null) {
                throw new UsageException(command + ": --" + name + " given twice");
            }
        }
        return a;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        java.util.Set<String> u = new java.util.HashSet<>(a);
        u.addAll(b);
        return u;
    }

    /**
     * An option's value.
     *
     * @param name the option name
     * @return the value, or empty when not given
     */
    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /**
     * Whether a flag was given.
     *
     * @param name the flag name
     * @return true if present
     */
    public boolean flag(String name) {
        return values.containsKey(name);
    }

    /**
     * A required option.
     *
     * @param name the option name
     * @return the value
     * @throws UsageException when missing
     */
    public String required(String name) throws UsageException {
        String v = values.get(name);
        if (v == null || v.isBlank()) {
            throw new UsageException(command + ": --" + name + " is required");
        }
        return v;
    }

    /**
     * An integer option within bounds.
     *
     * @param name     the option name
     * @param fallback the value when not given
     * @param min      smallest accepted
     * @param max      largest accepted
     * @return the value
     * @throws UsageException when not an integer in range
     */
    public long integer(String name, long fallback, long min, long max) throws UsageException {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(command + ": --" + name + " must be a whole number in " + min + ".." + max + ", was '" + v + "'");
    }

    /**
     * A rate option: a number, optionally followed by {@code /s}.
     *
     * @param name     the option name
     * @param fallback the value when not given
     * @return messages per second, positive
     * @throws UsageException when not a positive number
     */
    public double rate(String name, double fallback) throws UsageException {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        String n = v.endsWith("/s") ? v.substring(0, v.length() - 2) : v;
        try {
            double r = Double.parseDouble(n.strip());
            if (r > 0 && r <= 1_000_000) {
                return r;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(command + ": --" + name + " must be a rate like 1000 or 1000/s (at most 1000000), was '" + v + "'");
    }

    /**
     * A positive duration option ({@code 250ms}, {@code 30s}, {@code 5m}, {@code PT30S}).
     *
     * @param name     the option name
     * @param fallback the value when not given
     * @return the duration
     * @throws UsageException when not a positive duration
     */
    public Duration duration(String name, Duration fallback) throws UsageException {
        return duration(name, fallback, false);
    }

    /**
     * A duration option that may also be zero ({@code 0}, {@code 0s}, {@code 250ms}, {@code 30s}, ...).
     *
     * @param name     the option name
     * @param fallback the value when not given
     * @return the duration, zero or positive
     * @throws UsageException when not a duration or negative
     */
    public Duration durationOrZero(String name, Duration fallback) throws UsageException {
        return duration(name, fallback, true);
    }

    private Duration duration(String name, Duration fallback, boolean zeroAllowed) throws UsageException {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        Optional<Duration> d = v.strip().equals("0") ? Optional.of(Duration.ZERO) : PluginContext.parseDuration(v);
        if (d.isEmpty() || d.get().isNegative() || (d.get().isZero() && !zeroAllowed)) {
            throw new UsageException(command + ": --" + name + " must be a " + (zeroAllowed ? "" : "positive ")
                    + "duration like 30s or 500ms" + (zeroAllowed ? " (or 0)" : "") + ", was '" + v + "'");
        }
        return d.get();
    }

    /** A wrong command line; the message says what and is printed as is. */
    public static final class UsageException extends Exception {
        /**
         * Creates the exception.
         *
         * @param message what is wrong
         */
        public UsageException(String message) {
            super(message, null, false, false);
        }
    }
}
