package io.solconnect.relay.examples.bench.balancers;

import io.solconnect.relay.examples.Benchmark;
import io.solconnect.relay.examples.bench.BenchCli;
import io.solconnect.relay.examples.commandline.Cli;
import picocli.CommandLine;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./relay bench balancers [--seed N] [--clients N] [--seconds S] [--warmup S] [--session S]
 * [--leave-slow F] [--scenario NAME] [--strategy NAME]} (see {@code --help}): runs the seeded load-balancer simulation
 * ({@link Simulation}) for every scenario and strategy and prints one table row per pair: p50/p99
 * message latency, load spread (max/mean of load over capacity), the returning relays' peak share
 * of connections and the share of split rooms. The same arguments always print the same figures. Stateless; {@link #run} blocks until done.
 */
public final class BalancersBench implements Benchmark {

    private static final List<Simulation.Contender> CONTENDERS = List.of(
            new Simulation.Contender("round-robin", "round-robin", false),
            new Simulation.Contender("least-connections", "least-connections", false),
            new Simulation.Contender("weighted-random", "weighted-random", false),
            new Simulation.Contender("geographic", "geographic", false),
            new Simulation.Contender("p2c-ewma", "p2c-ewma", false),
            new Simulation.Contender("p2c-ewma+sticky", "p2c-ewma", true));

    /** Creates the command; cheap. */
    public BalancersBench() {
    }

    @Override
    public String name() {
        return "balancers";
    }

    /** The command line of {@code bench balancers}, filled by picocli. */
    @CommandLine.Command(name = "balancers", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
            sortOptions = false, description = {"seeded simulation of the load balancers",
                    "One table row per scenario and strategy; the same arguments always print the same figures."})
    static final class Options implements Cli.Checked {
        @CommandLine.Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "random seed (default: ${DEFAULT-VALUE})")
        long seed;

        @CommandLine.Option(names = "--clients", paramLabel = "N", defaultValue = "2000",
                description = "simulated clients, 10..1000000 (default: ${DEFAULT-VALUE})")
        long clients;

        @CommandLine.Option(names = "--seconds", paramLabel = "S", defaultValue = "150",
                description = "simulated seconds, 10..100000 (default: ${DEFAULT-VALUE})")
        double seconds;

        @CommandLine.Option(names = "--warmup", paramLabel = "S", defaultValue = "30",
                description = "first seconds not measured, below --seconds (default: ${DEFAULT-VALUE})")
        double warmup;

        @CommandLine.Option(names = "--session", paramLabel = "S", defaultValue = "60",
                description = "mean session length in seconds, 1..100000 (default: ${DEFAULT-VALUE})")
        double session;

        @CommandLine.Option(names = "--leave-slow", paramLabel = "F",
                description = "leave a primary F times slower than the standby, 1..1000 (default: never)")
        Double leaveSlow;

        @CommandLine.Option(names = "--scenario", paramLabel = "NAME", description = "run only this scenario")
        String scenario;

        @CommandLine.Option(names = "--strategy", paramLabel = "NAME", description = "run only this strategy")
        String strategy;

        @Override
        public void check() throws Cli.UsageException {
            Cli.range("--clients", clients, 10, 1_000_000);
            Cli.range("--seconds", seconds, 10, 100_000);
            Cli.range("--warmup", warmup, 0, 100_000);
            Cli.range("--session", session, 1, 100_000);
            if (leaveSlow != null) {
                Cli.range("--leave-slow", leaveSlow, 1, 1000);
            }
            if (warmup >= seconds) {
                throw new Cli.UsageException("--warmup must be below --seconds");
            }
            if ((scenario != null && Scenario.all().stream().noneMatch(s -> s.name().equals(scenario)))
                    || (strategy != null && CONTENDERS.stream().noneMatch(c -> c.label().equals(strategy)))) {
                throw new Cli.UsageException("no such scenario or strategy; scenarios: "
                        + Scenario.all().stream().map(Scenario::name).toList() + ", strategies: "
                        + CONTENDERS.stream().map(Simulation.Contender::label).toList());
            }
        }
    }

    @Override
    public String usage() {
        return BenchCli.usage(this, new Options());
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        return BenchCli.run(this, new Options(), args, out, err, opts -> measure(opts, out, err));
    }

    private int measure(Options opts, PrintStream out, PrintStream err) {
        long seed = opts.seed;
        int clients = (int) opts.clients;
        double seconds = opts.seconds;
        double warmup = opts.warmup;
        double session = opts.session;
        double leaveSlow = opts.leaveSlow == null ? 0 : opts.leaveSlow;
        String onlyScenario = opts.scenario;
        String onlyStrategy = opts.strategy;
        List<Scenario> scenarios = new ArrayList<>();
        for (Scenario s : Scenario.all()) {
            if (onlyScenario == null || s.name().equals(onlyScenario)) {
                scenarios.add(s);
            }
        }
        List<Simulation.Contender> contenders = new ArrayList<>();
        for (Simulation.Contender c : CONTENDERS) {
            if (onlyStrategy == null || c.label().equals(onlyStrategy)) {
                contenders.add(c);
            }
        }
        Simulation.Params params = new Simulation.Params(seed, clients, seconds, warmup, session, leaveSlow);
        out.printf(Locale.ROOT, "balancer simulation: seed %d, %d clients, %.0f s simulated (first %.0f s not measured),"
                + " sessions of %.0f s on average, 9 relays in eu/us/ap%s%n", seed, clients, seconds, warmup, session,
                leaveSlow > 0 ? String.format(Locale.ROOT, ", primary left when %.1fx slower than the standby",
                        leaveSlow) : "");
        out.printf(Locale.ROOT, "%-17s %-18s %8s %8s %9s %13s %7s %7s%n", "scenario", "strategy", "p50 ms", "p99 ms",
                "max/mean", "return peak", "split", "picks");
        long started = System.nanoTime();
        for (Scenario s : scenarios) {
            for (Simulation.Contender c : contenders) {
                Simulation.Outcome o = new Simulation(s, c, params).run();
                String ret = Double.isNaN(o.returnPeakShare()) ? "-"
                        : String.format(Locale.ROOT, "%.2f (%.2f)", o.returnPeakShare(), o.returnFairShare());
                out.printf(Locale.ROOT, "%-17s %-18s %8.1f %8.1f %9.2f %13s %6.0f%% %7d%n", s.name(), c.label(),
                        o.p50Millis(), o.p99Millis(), o.maxOverMean(), ret, o.splitRooms() * 100, o.picks());
            }
        }
        out.printf(Locale.ROOT, "return peak: highest share of all connections held by the returning relay(s)"
                + " after they came back (their share of capacity in brackets); split: rooms whose members sit on more than one relay%n");
        err.printf(Locale.ROOT, "wall time %.1f s%n", (System.nanoTime() - started) / 1e9);
        return 0;
    }
}
