package io.solconnect.relay.examples.bench;

import io.solconnect.relay.examples.Benchmark;
import io.solconnect.relay.examples.commandline.Cli;

import java.io.PrintStream;
import java.util.List;
import java.util.OptionalInt;

/**
 * The command-line steps every {@code ./relay bench <name>} harness shares, on {@link Cli}: its
 * line in {@code ./relay help}, parsing its options before it runs (help, version and bad command
 * lines answered by {@link Cli#parse} without running it), and the default of a
 * {@code --module-path} option for harnesses that start child JVMs. Stateless; thread-safe.
 */
public final class BenchCli {

    private BenchCli() {
    }

    /**
     * What a harness does once its command line has parsed.
     *
     * @param <O> the harness's options type
     * @param <X> what it may throw
     */
    @FunctionalInterface
    public interface Body<O, X extends Exception> {
        /**
         * Runs the harness.
         *
         * @param options the parsed and checked options
         * @return the process exit code
         * @throws X on unexpected failures
         */
        int run(O options) throws X;
    }

    /**
     * The harness's line for {@code ./relay help}.
     *
     * @param bench   the harness
     * @param options a fresh options object of the harness
     * @return e.g. {@code "bench fleet   a relay fleet on NATS JetStream, ..."}
     */
    public static String usage(Benchmark bench, Object options) {
        return Cli.summary(command(bench), options);
    }

    /**
     * Parses the command line into {@code options}, then runs {@code body} with them unless the
     * command line asked for help or the version or was wrong.
     *
     * @param bench   the harness, whose {@link Benchmark#name()} names the command {@code bench <name>}
     * @param options a fresh options object, filled in place
     * @param args    the arguments after {@code bench <name>}
     * @param out     where help, version and results go
     * @param err     where errors go
     * @param body    the harness proper
     * @param <O>     the options type
     * @param <X>     what {@code body} may throw
     * @return {@code body}'s exit code; 0 after help or version; {@link Cli#USAGE} on a bad command line
     * @throws X whatever {@code body} throws
     */
    public static <O, X extends Exception> int run(Benchmark bench, O options, List<String> args, PrintStream out,
                                                   PrintStream err, Body<O, X> body) throws X {
        OptionalInt parsed = Cli.parse(command(bench), options, args, out, err);
        return parsed.isPresent() ? parsed.getAsInt() : body.run(options);
    }

    /**
     * The module path for child JVMs: the one given with {@code --module-path}, or else this JVM's.
     * Call it from the options' {@link Cli.Checked#check()}.
     *
     * @param given the option's value; null when not given
     * @return the module path to use
     * @throws Cli.UsageException when none was given and this JVM runs without a module path
     */
    public static String modulePath(String given) throws Cli.UsageException {
        return modulePath(given, System.getProperty("jdk.module.path"));
    }

    static String modulePath(String given, String own) throws Cli.UsageException {
        if (given != null) {
            return given;
        }
        if (own == null || own.isBlank()) {
            throw new Cli.UsageException("--module-path: this JVM has none; give the launcher's module directory");
        }
        return own;
    }

    private static String command(Benchmark bench) {
        return "bench " + bench.name();
    }
}
