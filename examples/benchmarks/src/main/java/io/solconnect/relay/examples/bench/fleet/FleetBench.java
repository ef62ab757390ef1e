package io.solconnect.relay.examples.bench.fleet;

import io.solconnect.relay.api.spi.LoadBalancerProvider;
import io.solconnect.relay.core.ProviderRegistry;
import io.solconnect.relay.examples.Benchmark;
import io.solconnect.relay.examples.bench.BenchCli;
import io.solconnect.relay.examples.commandline.Cli;
import picocli.CommandLine;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * {@code ./relay bench fleet}: a relay fleet on real sockets. Two modes:
 * <ul>
 *   <li>{@code latency} (default): {@code --relays} relays on one JetStream stream (a single
 *       {@code nats-server} node on loopback), the first slowed by the relay's fault filter
 *       ({@code --slow-by} per read, frames and pings alike); {@code --clients} fresh clients per
 *       round without session affinity, in rooms of {@code --room-size}, each sending
 *       {@code --rate} messages per second into its room; rounds of the {@code --strategies}
 *       interleaved (A, B, C, A, B, C, ...). Per round and per strategy (median and spread over
 *       rounds): send → {@code onMessage} p50/p99 at the other members, lost and duplicates, and
 *       how many clients had the slow relay as their primary; then the median of the per-round
 *       ratios {@code p2c-ewma} p99 / {@code round-robin} p99 against the target 0.5.</li>
 *   <li>{@code throughput}: one relay without a backplane and one with it, in alternating rounds:
 *       {@code --flooders} clients flooding one room ({@code --messages} per round, at most
 *       {@code --window} unacknowledged each); messages accepted and delivered per second.</li>
 * </ul>
 * Lines starting {@code summary } are {@code key=value} pairs for scripts and the smoke test. Exits
 * 1 when anything was lost, duplicated or refused, 2 on a bad command line. Not thread-safe.
 */
public final class FleetBench implements Benchmark {

    /** The target of issue 18: {@code p2c-ewma} p99 at most this times {@code round-robin} p99. */
    static final double TARGET_RATIO = 0.5;
    private static final String P2C = "p2c-ewma";
    private static final String RR = "round-robin";

    /** Creates the command. */
    public FleetBench() {
    }

    @Override
    public String name() {
        return "fleet";
    }

    /** The command line of {@code bench fleet}, filled by picocli. */
    @CommandLine.Command(name = "fleet", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
            sortOptions = false, description = {"a relay fleet on NATS JetStream, real sockets: load balancers side by side, throughput",
                    "--mode latency (default): a fleet with one relay slowed, many clients without affinity,"
                            + " delivery latency p50/p99 per strategy in interleaved rounds and the ratio p2c-ewma/round-robin p99.",
                    "--mode throughput: one relay with and one without the backplane, in alternating rounds;"
                            + " messages accepted and delivered per second.",
                    "Needs nats-server (apt-get install -y nats-server); uses a single node on loopback."})
    static final class Options implements Cli.Checked {
        @CommandLine.Option(names = "--mode", paramLabel = "latency|throughput", defaultValue = "latency",
                description = "what to measure (default: ${DEFAULT-VALUE})")
        String mode;

        @CommandLine.Option(names = "--relays", paramLabel = "N", defaultValue = "3",
                description = "latency: relays in the fleet, 3..5 (default: ${DEFAULT-VALUE})")
        long relays;

        @CommandLine.Option(names = "--slow-by", paramLabel = "DURATION", defaultValue = "20ms",
                converter = Cli.DurationOrZero.class,
                description = "latency: delay added to every read of the first relay; 0 for none (default: ${DEFAULT-VALUE})")
        Duration slowBy;

        @CommandLine.Option(names = "--clients", paramLabel = "N", defaultValue = "30",
                description = "latency: clients per round, 2..500 (default: ${DEFAULT-VALUE})")
        long clients;

        @CommandLine.Option(names = "--room-size", paramLabel = "N", defaultValue = "3",
                description = "latency: members per room, 2..100 (default: ${DEFAULT-VALUE})")
        long roomSize;

        @CommandLine.Option(names = "--standbys", paramLabel = "N", defaultValue = "1",
                description = "latency: each client's warm standbys (standbyCount), 0..2; the client's default is 1"
                        + " (default: ${DEFAULT-VALUE})")
        long standbys;

        @CommandLine.Option(names = "--rate", paramLabel = "MSG_PER_S", defaultValue = "10",
                description = "latency: messages per second each client sends, 1..1000 (default: ${DEFAULT-VALUE})")
        long rate;

        @CommandLine.Option(names = "--strategies", paramLabel = "NAME[,NAME...]", split = ",",
                defaultValue = "p2c-ewma,least-connections,round-robin",
                description = "latency: load balancers, one round each in turn (default: ${DEFAULT-VALUE})")
        List<String> strategies;

        @CommandLine.Option(names = "--rounds", paramLabel = "N", defaultValue = "5",
                description = "measured rounds per strategy (latency) or per relay kind (throughput), 1..100"
                        + " (default: ${DEFAULT-VALUE})")
        long rounds;

        @CommandLine.Option(names = "--warmup-rounds", paramLabel = "N", defaultValue = "1",
                description = "unmeasured rounds before the first, 0..10; latency: strategies in turn (default: ${DEFAULT-VALUE})")
        long warmupRounds;

        @CommandLine.Option(names = "--warmup", paramLabel = "DURATION", defaultValue = "2s",
                converter = Cli.DurationOrZero.class,
                description = "latency: sending before each round's measured period (default: ${DEFAULT-VALUE})")
        Duration warmup;

        @CommandLine.Option(names = "--duration", paramLabel = "DURATION", defaultValue = "5s",
                converter = Cli.PositiveDuration.class,
                description = "latency: each round's measured period (default: ${DEFAULT-VALUE})")
        Duration duration;

        @CommandLine.Option(names = "--size", paramLabel = "CHARS", defaultValue = "256",
                description = "payload size, 64..65536 (default: ${DEFAULT-VALUE})")
        long size;

        @CommandLine.Option(names = "--flooders", paramLabel = "N", defaultValue = "4",
                description = "throughput: clients flooding the room, 2..64 (default: ${DEFAULT-VALUE})")
        long flooders;

        @CommandLine.Option(names = "--messages", paramLabel = "N", defaultValue = "20000",
                description = "throughput: messages per round, all flooders together, 10..10000000 (default: ${DEFAULT-VALUE})")
        long messages;

        @CommandLine.Option(names = "--window", paramLabel = "N", defaultValue = "100",
                description = "throughput: unacknowledged messages per flooder at most, 1..100000 (default: ${DEFAULT-VALUE})")
        long window;

        @CommandLine.Option(names = "--drain", paramLabel = "DURATION", defaultValue = "20s",
                converter = Cli.PositiveDuration.class,
                description = "longest wait after a round for everything to arrive (default: ${DEFAULT-VALUE})")
        Duration drain;

        @CommandLine.Option(names = "--linger", paramLabel = "DURATION", defaultValue = "500ms",
                converter = Cli.DurationOrZero.class,
                description = "latency: listening for duplicates once everything arrived (default: ${DEFAULT-VALUE})")
        Duration linger;

        @Override
        public void check() throws Cli.UsageException {
            if (!mode.equals("latency") && !mode.equals("throughput")) {
                throw new Cli.UsageException("--mode must be latency or throughput, was '" + mode + "'");
            }
            Cli.range("--relays", relays, 3, 5);
            Cli.range("--clients", clients, 2, 500);
            Cli.range("--room-size", roomSize, 2, 100);
            Cli.range("--standbys", standbys, 0, 2);
            Cli.range("--rate", rate, 1, 1000);
            Cli.range("--rounds", rounds, 1, 100);
            Cli.range("--warmup-rounds", warmupRounds, 0, 10);
            Cli.range("--size", size, 64, 65536);
            Cli.range("--flooders", flooders, 2, 64);
            Cli.range("--messages", messages, 10, 10_000_000);
            Cli.range("--window", window, 1, 100_000);
            if (slowBy.compareTo(Duration.ofSeconds(10)) > 0) {
                throw new Cli.UsageException("--slow-by must be at most 10s, was " + slowBy);
            }
            List<String> known = ProviderRegistry.load().names(LoadBalancerProvider.class);
            List<String> seen = new ArrayList<>();
            for (String s : strategies) {
                if (!known.contains(s)) {
                    throw new Cli.UsageException("--strategies: unknown load balancer '" + s + "'; known: "
                            + String.join(", ", known));
                }
                if (seen.contains(s)) {
                    throw new Cli.UsageException("--strategies: '" + s + "' given twice");
                }
                seen.add(s);
            }
        }
    }

    @Override
    public String usage() {
        return BenchCli.usage(this, new Options());
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
        return BenchCli.run(this, new Options(), argv, out, err, o -> measure(o, out, err));
    }

    private int measure(Options o, PrintStream out, PrintStream err) throws Exception {
        return o.mode.equals("latency") ? latency(o, out) : throughput(o, out);
    }

    private static int latency(Options o, PrintStream out) throws Exception {
        int clients = (int) o.clients;
        out.printf(Locale.ROOT, "bench fleet: %d relays on one JetStream stream (single nats-server node, loopback), the"
                        + " first slowed by %d ms per read; %d fresh clients per round without session affinity, %d standby(s)"
                        + " each, rooms of %d, %d msg/s each, %d B payloads; strategies %s interleaved, %d measured rounds each after %d warm-up"
                        + " round(s); per round %d ms warm-up then %d ms measured%n", o.relays, o.slowBy.toMillis(), clients,
                o.standbys, o.roomSize, o.rate, o.size, o.strategies, o.rounds, o.warmupRounds, o.warmup.toMillis(),
                o.duration.toMillis());
        Map<String, List<LatencyRound.Figures>> byStrategy = new LinkedHashMap<>();
        o.strategies.forEach(s -> byStrategy.put(s, new ArrayList<>()));
        boolean clean = true;
        try (Fleet fleet = Fleet.start((int) o.relays, o.slowBy)) {
            out.println("relays " + fleet.endpoints().stream().map(e -> e.id()).toList() + " slow="
                    + fleet.slowRelay().orElse("none") + " nats=" + fleet.natsUri());
            int n = 0;
            for (int w = 0; w < o.warmupRounds; w++) {
                String s = o.strategies.get(w % o.strategies.size());
                LatencyRound.Figures f = round(o, fleet, s).run("fleet-w" + w + "-");
                out.println("warmup " + (w + 1) + " " + s + " " + f.format(clients));
            }
            for (int r = 1; r <= o.rounds; r++) {
                for (String s : o.strategies) {
                    LatencyRound.Figures f = round(o, fleet, s).run("fleet-r" + (++n) + "-");
                    byStrategy.get(s).add(f);
                    out.printf(Locale.ROOT, "round %d %-17s %s%n", r, s, f.format(clients));
                    out.flush();
                    clean &= f.lost() == 0 && f.duplicates() == 0 && f.failed() == 0;
                }
            }
        }
        for (Map.Entry<String, List<LatencyRound.Figures>> e : byStrategy.entrySet()) {
            List<LatencyRound.Figures> l = e.getValue();
            double share = l.stream().mapToDouble(f -> (double) f.onSlow() / clients).average().orElse(Double.NaN);
            out.printf(Locale.ROOT, "summary strategy=%s rounds=%d p50_ms=%.2f p50_min=%.2f p50_max=%.2f p99_ms=%.2f"
                            + " p99_min=%.2f p99_max=%.2f p99_senders_on_slow_ms=%.1f p99_senders_elsewhere_ms=%.1f"
                            + " on_slow_share=%.2f lost=%d duplicates=%d failed=%d failovers=%d%n",
                    e.getKey(), l.size(), median(l, LatencyRound.Figures::p50Ms), min(l, LatencyRound.Figures::p50Ms),
                    max(l, LatencyRound.Figures::p50Ms), median(l, LatencyRound.Figures::p99Ms),
                    min(l, LatencyRound.Figures::p99Ms), max(l, LatencyRound.Figures::p99Ms),
                    medianKnown(l, LatencyRound.Figures::p99SlowMs), medianKnown(l, LatencyRound.Figures::p99OtherMs), share,
                    l.stream().mapToLong(LatencyRound.Figures::lost).sum(),
                    l.stream().mapToLong(LatencyRound.Figures::duplicates).sum(),
                    l.stream().mapToLong(LatencyRound.Figures::failed).sum(),
                    l.stream().mapToLong(LatencyRound.Figures::failovers).sum());
        }
        if (byStrategy.containsKey(P2C) && byStrategy.containsKey(RR)) {
            double[] ratios = ratios(byStrategy.get(P2C), byStrategy.get(RR), LatencyRound.Figures::p99Ms);
            double ratio = median(ratios);
            out.printf(Locale.ROOT, "summary ratio_p99_p2c_ewma_over_round_robin=%.2f ratio_min=%.2f ratio_max=%.2f"
                            + " rounds=%d target=%.2f met=%b%n", ratio, Arrays.stream(ratios).min().orElse(Double.NaN),
                    Arrays.stream(ratios).max().orElse(Double.NaN), ratios.length, TARGET_RATIO, ratio <= TARGET_RATIO);
        } else {
            out.println("(no ratio: --strategies lacks " + P2C + " or " + RR + ")");
        }
        return clean ? 0 : 1;
    }

    private static LatencyRound round(Options o, Fleet fleet, String strategy) {
        return new LatencyRound(fleet.endpoints(), fleet.slowRelay(), strategy, (int) o.standbys, (int) o.clients,
                (int) o.roomSize,
                o.rate, (int) o.size, o.warmup, o.duration, o.drain, o.linger);
    }

    private static int throughput(Options o, PrintStream out) throws Exception {
        out.printf(Locale.ROOT, "bench fleet --mode throughput: one relay without a backplane (memory) and one on a JetStream"
                        + " stream (backplane, single nats-server node, loopback), alternating rounds; %d fresh flooders per"
                        + " round in one room, %d messages per round, window %d each, %d B payloads; %d measured rounds each"
                        + " after %d warm-up round(s) each%n", o.flooders, o.messages, o.window, o.size, o.rounds,
                o.warmupRounds);
        List<FloodRound.Figures> memory = new ArrayList<>();
        List<FloodRound.Figures> backplane = new ArrayList<>();
        boolean clean = true;
        try (Fleet pair = Fleet.startPair()) {
            FloodRound mem = new FloodRound(pair.endpoints().get(0), "memory", (int) o.flooders, (int) o.messages,
                    (int) o.window, (int) o.size, o.drain);
            FloodRound js = new FloodRound(pair.endpoints().get(1), "backplane", (int) o.flooders, (int) o.messages,
                    (int) o.window, (int) o.size, o.drain);
            int n = 0;
            for (int w = 0; w < o.warmupRounds; w++) {
                for (FloodRound side : List.of(mem, js)) {
                    out.println("warmup " + (w + 1) + " " + side.label() + " " + side.run("flood-" + (++n)).format());
                }
            }
            for (int r = 1; r <= o.rounds; r++) {
                for (FloodRound side : r % 2 == 1 ? List.of(mem, js) : List.of(js, mem)) {
                    FloodRound.Figures f = side.run("flood-" + (++n));
                    (side == mem ? memory : backplane).add(f);
                    out.printf(Locale.ROOT, "round %d %-9s %s%n", r, side.label(), f.format());
                    out.flush();
                    clean &= f.lost() == 0 && f.duplicates() == 0 && f.failed() == 0;
                }
            }
        }
        for (List<FloodRound.Figures> l : List.of(memory, backplane)) {
            out.printf(Locale.ROOT, "summary relay=%s rounds=%d accepted_per_s=%.0f accepted_min=%.0f accepted_max=%.0f"
                            + " delivered_per_s=%.0f delivered_min=%.0f delivered_max=%.0f lost=%d duplicates=%d failed=%d%n",
                    l.get(0).label(), l.size(), median(l, FloodRound.Figures::acceptedPerS),
                    min(l, FloodRound.Figures::acceptedPerS), max(l, FloodRound.Figures::acceptedPerS),
                    median(l, FloodRound.Figures::deliveredPerS), min(l, FloodRound.Figures::deliveredPerS),
                    max(l, FloodRound.Figures::deliveredPerS), l.stream().mapToLong(FloodRound.Figures::lost).sum(),
                    l.stream().mapToLong(FloodRound.Figures::duplicates).sum(),
                    l.stream().mapToLong(FloodRound.Figures::failed).sum());
        }
        printRatio(out, "accepted", memory, backplane, FloodRound.Figures::acceptedPerS);
        printRatio(out, "delivered", memory, backplane, FloodRound.Figures::deliveredPerS);
        return clean ? 0 : 1;
    }

    /** The median and spread of the per-round ratios backplane / memory of one figure. */
    private static void printRatio(PrintStream out, String what, List<FloodRound.Figures> memory,
                                   List<FloodRound.Figures> backplane, ToDoubleFunction<FloodRound.Figures> f) {
        double[] ratios = ratios(backplane, memory, f);
        out.printf(Locale.ROOT, "summary ratio_%s_backplane_over_memory=%.2f ratio_min=%.2f ratio_max=%.2f rounds=%d%n",
                what, median(ratios), Arrays.stream(ratios).min().orElse(Double.NaN),
                Arrays.stream(ratios).max().orElse(Double.NaN), ratios.length);
    }

    /** Per round: the figure of {@code over} divided by that of {@code under}, as many as {@code over} has rounds. */
    private static <T> double[] ratios(List<T> over, List<T> under, ToDoubleFunction<T> f) {
        double[] ratios = new double[over.size()];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = f.applyAsDouble(over.get(i)) / f.applyAsDouble(under.get(i));
        }
        return ratios;
    }

    private static <T> double median(List<T> l, ToDoubleFunction<T> f) {
        return median(l.stream().mapToDouble(f).toArray());
    }

    /** The median of the figures that are known (not NaN); NaN when none is. */
    private static <T> double medianKnown(List<T> l, ToDoubleFunction<T> f) {
        return median(l.stream().mapToDouble(f).filter(d -> !Double.isNaN(d)).toArray());
    }

    private static <T> double min(List<T> l, ToDoubleFunction<T> f) {
        return l.stream().mapToDouble(f).min().orElse(Double.NaN);
    }

    private static <T> double max(List<T> l, ToDoubleFunction<T> f) {
        return l.stream().mapToDouble(f).max().orElse(Double.NaN);
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
