package io.solconnect.relay.examples;

import java.io.PrintStream;
import java.util.List;

/** {@code ./relay bench <name> [options]}: runs one of the benchmark harnesses. */
final class BenchCommand implements Command {

    /** Every benchmark, found with ServiceLoader, sorted by name. */
    static final List<Benchmark> BENCHES = Main.load(Benchmark.class);

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String usage() {
        return "bench <name> [options]  run a benchmark: "
                + String.join(", ", BENCHES.stream().map(Command::name).toList());
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        if (args.isEmpty()) {
            err.println("usage: ./relay bench <name> [options]");
            for (Command b : BENCHES) {
                err.println("  " + b.usage());
            }
            return 2;
        }
        for (Command b : BENCHES) {
            if (b.name().equals(args.get(0))) {
                return b.run(args.subList(1, args.size()), out, err);
            }
        }
        err.println("relay bench: unknown benchmark '" + args.get(0) + "'");
        return 2;
    }
}
