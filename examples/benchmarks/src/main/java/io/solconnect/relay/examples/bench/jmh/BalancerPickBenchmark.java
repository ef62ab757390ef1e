package io.solconnect.relay.examples.bench.jmh;

import io.solconnect.relay.api.LoadBalancingStrategy;
import io.solconnect.relay.api.QualityMetrics;
import io.solconnect.relay.api.RelayCandidate;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.spi.LoadBalancer;
import io.solconnect.relay.balancers.Balancers;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * JMH benchmarks of {@link LoadBalancer#pick} for every built-in strategy at 3, 100 and 10,000
 * candidates (three regions, unequal capacities, a mix of known and unknown metrics, one in ten
 * unhealthy):
 * <ul>
 *   <li>{@code pick}: no affinity key, the same candidate list every call (the engine passes one
 *       immutable list until the candidates change), which is the O(1) path;</li>
 *   <li>{@code pickSticky}: a room key with {@code stickySession} on: rendezvous hashing, O(n);</li>
 *   <li>{@code pickNewList}: a different list instance on every call (three lists in turn, more than
 *       the balancer caches), so each pick rebuilds the derived data: O(n) and allocating.</li>
 * </ul>
 * Run with {@code -prof gc} to see the allocation per pick. Command in docs/BENCHMARKS.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(1)
public class BalancerPickBenchmark {

    /** The strategy. */
    @Param({"round-robin", "least-connections", "weighted-random", "geographic", "p2c-ewma"})
    public String strategy;

    /** How many candidates each pick chooses among. */
    @Param({"3", "100", "10000"})
    public int candidates;

    private LoadBalancer plain;
    private LoadBalancer sticky;
    private List<RelayCandidate> list;
    private List<List<RelayCandidate>> rotation;
    private int turn;
    private final String room = "room-4711";

    /** Builds the candidate lists and two balancers (affinity off and on). */
    @Setup
    public void setUp() {
        rotation = List.of(build(1), build(1), build(1));
        list = rotation.get(0);
        plain = Balancers.create(new LoadBalancingStrategy(strategy, Map.of(), false, 0.5, Map.of()), "eu")
                .orElseThrow();
        sticky = Balancers.create(new LoadBalancingStrategy(strategy, Map.of(), true, 0.5, Map.of()), "eu")
                .orElseThrow();
    }

    private List<RelayCandidate> build(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        String[] regions = {"eu", "us", "ap"};
        List<RelayCandidate> out = new ArrayList<>(candidates);
        for (int i = 0; i < candidates; i++) {
            RelayEndpoint e = RelayEndpoint.builder("wss://relay-" + i + ".example.org/ws").region(regions[i % 3])
                    .maxConnections(500 + r.nextInt(5000)).build();
            boolean known = r.nextInt(4) != 0;
            OptionalDouble rtt = known ? OptionalDouble.of(5 + r.nextDouble() * 150) : OptionalDouble.empty();
            OptionalDouble load = known ? OptionalDouble.of(r.nextDouble()) : OptionalDouble.empty();
            QualityMetrics m = new QualityMetrics(e.id(), rtt, rtt, rtt, 0, 0, 0, 0,
                    known ? OptionalDouble.of(r.nextDouble() * 0.05) : OptionalDouble.empty(), 0, Duration.ZERO, 0,
                    load, Duration.ofSeconds(10));
            boolean healthy = candidates < 10 || i % 10 != 0;
            out.add(new RelayCandidate(e, healthy ? 0.5 + r.nextDouble() / 2 : 0.1, healthy,
                    healthy ? Duration.ofSeconds(r.nextInt(120)) : Duration.ZERO, m));
        }
        return List.copyOf(out);
    }

    /**
     * A pick without affinity from the same list.
     *
     * @return the pick (returned so that JMH consumes it)
     */
    @Benchmark
    public Optional<RelayCandidate> pick() {
        return plain.pick(list, "");
    }

    /**
     * A pick with a room key and sticky sessions on.
     *
     * @return the pick
     */
    @Benchmark
    public Optional<RelayCandidate> pickSticky() {
        return sticky.pick(list, room);
    }

    /**
     * A pick from a list instance the balancer has not cached. It runs the whole per-list build,
     * which takes longer to compile: hence the longer warm-up.
     *
     * @return the pick
     */
    @Benchmark
    @Warmup(iterations = 6, time = 500, timeUnit = TimeUnit.MILLISECONDS)
    public Optional<RelayCandidate> pickNewList() {
        turn = turn == 2 ? 0 : turn + 1;
        return plain.pick(rotation.get(turn), "");
    }
}
