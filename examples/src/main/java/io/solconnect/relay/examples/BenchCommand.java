package io.solconnect.relay.examples;

import java.io.PrintStream;
import java.util.List;

/** {@code ./relay bench <name> [options]}: runs one of the benchmark harnesses. */
final class BenchCommand implements Command {

    /** Every benchmark; add new ones here. Each is a {@link Command} named after the benchmark. */
    static final List<Command> BENCHES = List.of(
            new io.solconnect.relay.examples.bench.balancers.BalancersBench(),
            new io.solconnect.relay.examples.bench.failover.FailoverBench(),
            new io.solconnect.relay.examples.bench.throughput.ThroughputBench());

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
