package io.solconnect.relay.examples;

import io.solconnect.relay.examples.commandline.Cli;
import picocli.CommandLine;

import java.io.PrintStream;
import java.util.List;
import java.util.OptionalInt;

/** {@code ./relay bench <name> [options]}: runs one of the benchmark harnesses. */
final class BenchCommand implements Command {

    /** Every benchmark, found with ServiceLoader, sorted by name. */
    static final List<Benchmark> BENCHES = Main.load(Benchmark.class);

    /** The command line of {@code bench} itself (before the benchmark's name). */
    @CommandLine.Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
            description = {"run a benchmark: ./relay bench <name> [options]; ./relay bench <name> --help lists its options"})
    static final class Options {
    }

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String usage() {
        return String.format("%-13s run a benchmark: %s", name(),
                String.join(", ", BENCHES.stream().map(Command::name).toList()));
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        if (args.isEmpty()) {
            list(err);
            return Cli.USAGE;
        }
        if (args.get(0).startsWith("-")) {
            OptionalInt parsed = Cli.parse(name(), new Options(), args, out, err);
            if (parsed.isPresent() && parsed.getAsInt() == 0 && !args.contains("--version") && !args.contains("-V")) {
                list(out);
            }
            return parsed.orElseGet(() -> Cli.usageError(name(), "the benchmark's name comes first", err));
        }
        for (Command b : BENCHES) {
            if (b.name().equals(args.get(0))) {
                return b.run(args.subList(1, args.size()), out, err);
            }
        }
        return Cli.usageError(name(), "unknown benchmark '" + args.get(0) + "'; benchmarks: "
                + String.join(", ", BENCHES.stream().map(Command::name).toList()), err);
    }

    private static void list(PrintStream s) {
        s.println("usage: ./relay bench <name> [options]   (./relay bench <name> --help lists its options)");
        for (Command b : BENCHES) {
            s.println("  " + b.usage());
        }
    }
}
