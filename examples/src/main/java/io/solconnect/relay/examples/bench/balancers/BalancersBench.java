package io.solconnect.relay.examples.bench.balancers;

import io.solconnect.relay.examples.Benchmark;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./relay bench balancers [--seed N] [--clients N] [--seconds S] [--warmup S] [--session S]
 * [--leave-slow F] [--scenario NAME] [--strategy NAME]}: runs the seeded load-balancer simulation
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

    @Override
    public String usage() {
        return "balancers [--seed N] [--clients N] [--seconds S] [--warmup S] [--session S] [--leave-slow F]"
                + " [--scenario NAME] [--strategy NAME]"
                + "  seeded simulation of the load balancers";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        long seed = 1;
        int clients = 2000;
        double seconds = 150;
        double warmup = 30;
        double session = 60;
        double leaveSlow = 0;
        String onlyScenario = null;
        String onlyStrategy = null;
        try {
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException(a.startsWith("--") ? a + " needs a value" : "unexpected '" + a + "'");
                }
                String v = args.get(++i);
                switch (a) {
                    case "--seed" -> seed = Long.parseLong(v);
                    case "--clients" -> clients = bounded(a, Integer.parseInt(v), 10, 1_000_000);
                    case "--seconds" -> seconds = bounded(a, Double.parseDouble(v), 10, 100_000);
                    case "--warmup" -> warmup = bounded(a, Double.parseDouble(v), 0, 100_000);
                    case "--session" -> session = bounded(a, Double.parseDouble(v), 1, 100_000);
                    case "--leave-slow" -> leaveSlow = bounded(a, Double.parseDouble(v), 1, 1000);
                    case "--scenario" -> onlyScenario = v;
                    case "--strategy" -> onlyStrategy = v;
                    default -> throw new IllegalArgumentException("unknown option '" + a + "'");
                }
            }
            if (warmup >= seconds) {
                throw new IllegalArgumentException("--warmup must be below --seconds");
            }
        } catch (NumberFormatException e) {
            err.println("relay bench balancers: not a number: " + e.getMessage());
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("relay bench balancers: " + e.getMessage());
            err.println("usage: ./relay bench " + usage());
            return 2;
        }
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
        if (scenarios.isEmpty() || contenders.isEmpty()) {
            err.println("relay bench balancers: no such scenario or strategy; scenarios: "
                    + Scenario.all().stream().map(Scenario::name).toList() + ", strategies: "
                    + CONTENDERS.stream().map(Simulation.Contender::label).toList());
            return 2;
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

    private static int bounded(String option, int v, int min, int max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(option + " must be in " + min + ".." + max + ", was " + v);
        }
        return v;
    }

    private static double bounded(String option, double v, double min, double max) {
        if (!(v >= min && v <= max)) {
            throw new IllegalArgumentException(option + " must be in " + min + ".." + max + ", was " + v);
        }
        return v;
    }
}
