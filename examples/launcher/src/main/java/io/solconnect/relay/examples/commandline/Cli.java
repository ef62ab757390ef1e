package io.solconnect.relay.examples.commandline;

import io.solconnect.relay.api.spi.PluginContext;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;

/**
 * Command-line parsing shared by every {@code ./relay} subcommand, on picocli: each command
 * declares its options on an object annotated with {@code @CommandLine.Command} (with
 * {@code mixinStandardHelpOptions = true} and {@code versionProvider = Cli.Version.class}) and
 * calls {@link #parse} first. One behaviour for all of them: {@code --help} prints the command's
 * help on standard output and exits 0, {@code --version} prints the version and exits 0, and a bad
 * command line prints one line {@code relay <command>: <what is wrong>} and a hint on standard
 * error and exits 2. Stateless; thread-safe.
 */
public final class Cli {

    /** Exit code for a bad command line. */
    public static final int USAGE = 2;

    private Cli() {
    }

    /**
     * Options that check rules picocli cannot express (ranges, combinations) once parsed.
     */
    public interface Checked {
        /**
         * Checks the parsed values.
         *
         * @throws UsageException naming the bad option and value
         */
        void check() throws UsageException;
    }

    /**
     * Parses a subcommand's arguments into its options object, handling {@code --help},
     * {@code --version} and errors.
     *
     * @param command the command as typed after {@code ./relay}, e.g. {@code "bench failover"}
     * @param options the annotated options object, filled in place
     * @param args    the arguments after the command
     * @param out     where help and version go
     * @param err     where errors go
     * @return empty when the command should run; otherwise the exit code to return at once
     */
    public static OptionalInt parse(String command, Object options, List<String> args, PrintStream out, PrintStream err) {
        CommandLine cl = commandLine(command, options);
        // Unknown arguments are collected rather than thrown at once, so that they are reported in
        // preference to a missing required option (the likelier cause: a misspelt option name).
        cl.setUnmatchedArgumentsAllowed(true);
        try {
            try {
                cl.parseArgs(args.toArray(String[]::new));
            } catch (CommandLine.MissingParameterException e) {
                throwUnmatched(cl);
                throw e;
            }
            throwUnmatched(cl);
            if (cl.isUsageHelpRequested()) {
                out.print(cl.getUsageMessage());
                out.flush();
                return OptionalInt.of(0);
            }
            if (cl.isVersionHelpRequested()) {
                cl.printVersionHelp(out);
                out.flush();
                return OptionalInt.of(0);
            }
            if (options instanceof Checked c) {
                c.check();
            }
            return OptionalInt.empty();
        } catch (CommandLine.ParameterException e) {
            return OptionalInt.of(usageError(command, e.getMessage(), err));
        } catch (UsageException e) {
            return OptionalInt.of(usageError(command, e.getMessage(), err));
        }
    }

    private static void throwUnmatched(CommandLine cl) {
        if (!cl.getUnmatchedArguments().isEmpty()) {
            throw new CommandLine.UnmatchedArgumentException(cl, cl.getUnmatchedArguments());
        }
    }

    /**
     * Prints a command-line error in the common style.
     *
     * @param command the command as typed after {@code ./relay}
     * @param message what is wrong
     * @param err     standard error
     * @return {@link #USAGE}
     */
    public static int usageError(String command, String message, PrintStream err) {
        err.println("relay " + command + ": " + message);
        err.println("(./relay " + command + " --help lists the options)");
        err.flush();
        return USAGE;
    }

    /**
     * The one-line summary {@code ./relay help} prints for a command: its name and the first line
     * of its description.
     *
     * @param command the command as typed after {@code ./relay}
     * @param options the annotated options object
     * @return e.g. {@code "send          send numbered messages to a room ..."}
     */
    public static String summary(String command, Object options) {
        String[] description = commandLine(command, options).getCommandSpec().usageMessage().description();
        return String.format("%-13s %s", command, description.length == 0 ? "" : description[0]);
    }

    /**
     * The full help of a command, as {@code --help} prints it.
     *
     * @param command the command as typed after {@code ./relay}
     * @param options the annotated options object
     * @return the help text
     */
    public static String help(String command, Object options) {
        return commandLine(command, options).getUsageMessage();
    }

    private static CommandLine commandLine(String command, Object options) {
        CommandLine cl = new CommandLine(options);
        cl.setCommandName("./relay " + command);
        cl.setUsageHelpWidth(100);
        return cl;
    }

    /**
     * The product version, from the {@code version.properties} Maven writes at build time.
     *
     * @return e.g. {@code "0.1.0"}
     */
    public static String version() {
        try (InputStream in = Cli.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What {@code --version} prints; instantiated by picocli. */
    public static final class Version implements CommandLine.IVersionProvider {
        /** Creates the provider. */
        public Version() {
        }

        @Override
        public String[] getVersion() {
            return new String[] {"SolConnect Relay " + version(),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }

    /**
     * Checks that a whole number is in range.
     *
     * @param option the option name with its dashes
     * @param value  the value
     * @param min    smallest accepted
     * @param max    largest accepted
     * @return the value
     * @throws UsageException when out of range
     */
    public static long range(String option, long value, long min, long max) throws UsageException {
        if (value < min || value > max) {
            throw new UsageException(option + " must be a whole number in " + min + ".." + max + ", was " + value);
        }
        return value;
    }

    /**
     * Checks that a number is in range.
     *
     * @param option the option name with its dashes
     * @param value  the value
     * @param min    smallest accepted
     * @param max    largest accepted
     * @return the value
     * @throws UsageException when out of range or not a number
     */
    public static double range(String option, double value, double min, double max) throws UsageException {
        if (!(value >= min && value <= max)) {
            throw new UsageException(option + " must be in " + min + ".." + max + ", was " + value);
        }
        return value;
    }

    /** A rate: a positive number of messages per second, optionally followed by {@code /s}, at most 1,000,000. */
    public static final class Rate implements CommandLine.ITypeConverter<Double> {
        /** Creates the converter. */
        public Rate() {
        }

        @Override
        public Double convert(String value) {
            String n = value.endsWith("/s") ? value.substring(0, value.length() - 2) : value;
            try {
                double r = Double.parseDouble(n.strip());
                if (r > 0 && r <= 1_000_000) {
                    return r;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new CommandLine.TypeConversionException("must be a rate like 1000 or 1000/s (at most 1000000), was '"
                    + value + "'");
        }
    }

    /** A positive duration: {@code 250ms}, {@code 30s}, {@code 5m}, {@code PT30S}. */
    public static final class PositiveDuration implements CommandLine.ITypeConverter<Duration> {
        /** Creates the converter. */
        public PositiveDuration() {
        }

        @Override
        public Duration convert(String value) {
            return duration(value, false);
        }
    }

    /** A duration that may also be zero: {@code 0}, {@code 0s}, {@code 250ms}, {@code 30s}, ... */
    public static final class DurationOrZero implements CommandLine.ITypeConverter<Duration> {
        /** Creates the converter. */
        public DurationOrZero() {
        }

        @Override
        public Duration convert(String value) {
            return duration(value, true);
        }
    }

    private static Duration duration(String value, boolean zeroAllowed) {
        Optional<Duration> d = value.strip().equals("0") ? Optional.of(Duration.ZERO) : PluginContext.parseDuration(value);
        if (d.isEmpty() || d.get().isNegative() || (d.get().isZero() && !zeroAllowed)) {
            throw new CommandLine.TypeConversionException("must be a " + (zeroAllowed ? "" : "positive ")
                    + "duration like 30s or 500ms" + (zeroAllowed ? " (or 0)" : "") + ", was '" + value + "'");
        }
        return d.get();
    }

    /** A wrong command line found after parsing; the message names the option and the value. */
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
