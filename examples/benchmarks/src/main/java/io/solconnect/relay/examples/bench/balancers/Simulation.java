package io.solconnect.relay.examples.bench.balancers;

import io.solconnect.relay.api.LoadBalancingStrategy;
import io.solconnect.relay.api.QualityMetrics;
import io.solconnect.relay.api.RelayCandidate;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.spi.LoadBalancer;
import io.solconnect.relay.balancers.Balancers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SplittableRandom;

/**
 * A deterministic, discrete-time simulation of many independent clients, each with its own balancer
 * instance and its own view of the relays, choosing among relays of unequal capacity and latency.
 * One instance runs one (scenario, strategy) pair once; not thread-safe.
 *
 * <p>The model, in simulated time with 100 ms steps:
 * <ul>
 *   <li>Clients live in regions eu/us/ap (50/30/20 %), five to a room, and connect at a random time
 *       in the first 10 s with a primary and one warm standby, both picked by their balancer (the
 *       standby with the primary removed from the candidates). Each session ends after an
 *       exponential time (mean 60 s by default) and the client picks again; when its primary crashes it
 *       promotes the standby and picks a new standby.</li>
 *   <li>Every step each client sends one message on its primary (its latency is recorded after the
 *       warm-up) and pings its standby. Latency = network RTT between the regions (see
 *       {@link Scenario#networkMillis}) + service time * Exp(1) / (1 - rho), rho = min(0.97, 1.6 * primaries /
 *       capacity): a queue that slows down as a relay fills up.</li>
 *   <li>What a client knows, it measured itself: a peak-sensitive RTT EWMA per relay from its own
 *       messages and pings (rising half-way to a higher sample at once, decaying 5 % per sample);
 *       unknown for relays it never used. Relays report their load (connections over capacity) every
 *       2 s, so every client sees the same, stale load. Health flags are exact and shared.</li>
 * </ul>
 */
final class Simulation {

    /** What the benchmark varies besides the scenario. */
    record Contender(String label, String algorithm, boolean sticky) {
    }

    /**
     * Run length and size; {@code sessionSeconds} is the mean session length; {@code leaveSlow}, when
     * positive, models an engine that fails over to its standby once a second when the primary's RTT
     * EWMA exceeds that factor times the standby's (0: never, the default).
     */
    record Params(long seed, int clients, double seconds, double warmup, double sessionSeconds, double leaveSlow) {
    }

    /**
     * The figures of one run.
     *
     * @param p50Millis       median message latency after warm-up
     * @param p99Millis       99th percentile message latency after warm-up
     * @param maxOverMean     time average of (max / mean) of load over capacity across the up relays
     * @param returnPeakShare highest share of all open connections held by the returning relay(s)
     *                        after they came back (sampled each second); NaN when nothing returns
     * @param returnFairShare the returning relays' share of capacity, for comparison
     * @param splitRooms      time average of the share of rooms whose members sit on more than one relay
     * @param picks           balancer picks made
     * @param messages        messages whose latency was recorded
     */
    record Outcome(double p50Millis, double p99Millis, double maxOverMean, double returnPeakShare,
                   double returnFairShare, double splitRooms, long picks, long messages) {
    }

    static final double STEP_S = 0.1;
    static final double LOAD_REPORT_S = 2;
    static final double CONNECT_SPREAD_S = 10;
    static final int ROOM_SIZE = 5;
    static final double RHO_PER_LOAD = 1.6;
    static final double EWMA_DECAY = 0.05;

    private final Scenario scenario;
    private final Contender contender;
    private final Params params;
    private final SplittableRandom random;
    private final int relays;
    private final int clients;
    private final RelayEndpoint[] endpoints;
    private final boolean[] up;
    private final double[] upSince;
    private final int[] primaries;
    private final int[] connections;
    private final double[] reported;
    private final int[] region;
    private final String[] roomKey;
    private final int[] primary;
    private final int[] standby;
    private final double[] connectAt;
    private final LoadBalancer[] balancer;
    private final double[] ewma;
    /** Network RTT from client region (row) to relay (column), and each relay's service time. */
    private final double[][] network;
    private final double[] service;
    private final int[] capacity;
    private final LatencyHistogram latency = new LatencyHistogram();
    private double now;
    private long picks;
    private double peakShare = Double.NaN;

    Simulation(Scenario scenario, Contender contender, Params params) {
        this.scenario = scenario;
        this.contender = contender;
        this.params = params;
        this.random = new SplittableRandom(params.seed());
        this.relays = scenario.relays().size();
        this.clients = params.clients();
        this.endpoints = new RelayEndpoint[relays];
        Map<String, Double> weights = new HashMap<>();
        for (int r = 0; r < relays; r++) {
            Scenario.SimRelay s = scenario.relays().get(r);
            endpoints[r] = RelayEndpoint.builder(s.id()).region(s.region()).maxConnections(s.capacity()).build();
            weights.put(endpoints[r].id(), (double) s.capacity());
        }
        this.network = new double[Scenario.REGIONS.length][relays];
        this.service = new double[relays];
        this.capacity = new int[relays];
        for (int r = 0; r < relays; r++) {
            Scenario.SimRelay s = scenario.relays().get(r);
            for (int g = 0; g < Scenario.REGIONS.length; g++) {
                network[g][r] = scenario.networkMillis(g, Scenario.regionIndex(s.region()));
            }
            service[r] = s.serviceMillis();
            capacity[r] = s.capacity();
        }
        this.up = new boolean[relays];
        Arrays.fill(up, true);
        this.upSince = new double[relays];
        Arrays.fill(upSince, -3600);
        this.primaries = new int[relays];
        this.connections = new int[relays];
        this.reported = new double[relays];
        this.region = new int[clients];
        this.roomKey = new String[clients];
        this.primary = new int[clients];
        this.standby = new int[clients];
        this.connectAt = new double[clients];
        this.balancer = new LoadBalancer[clients];
        this.ewma = new double[clients * relays];
        Arrays.fill(ewma, Double.NaN);
        Arrays.fill(primary, -1);
        Arrays.fill(standby, -1);
        // Operators give weighted-random its weights (here: the capacities); the other strategies
        // read capacity from the endpoints and would count configured weights on top of it.
        Map<String, Double> strategyWeights = contender.algorithm().equals(Balancers.WEIGHTED_RANDOM) ? weights : Map.of();
        for (int c = 0; c < clients; c++) {
            double u = random.nextDouble();
            region[c] = u < 0.5 ? 0 : u < 0.8 ? 1 : 2;
            roomKey[c] = "room-" + (c / ROOM_SIZE);
            connectAt[c] = random.nextDouble() * CONNECT_SPREAD_S;
            LoadBalancingStrategy strategy = new LoadBalancingStrategy(contender.algorithm(), strategyWeights,
                    contender.sticky(), 0.5, Map.of("seed", Long.toString(params.seed() * 1_000_003L + c)));
            balancer[c] = Balancers.create(strategy, Scenario.REGIONS[region[c]]).orElseThrow();
        }
    }

    Outcome run() {
        int steps = (int) Math.round(params.seconds() / STEP_S);
        int perSecond = (int) Math.round(1 / STEP_S);
        int reportEvery = (int) Math.round(LOAD_REPORT_S / STEP_S);
        double spreadSum = 0;
        double splitSum = 0;
        int samples = 0;
        for (int step = 0; step < steps; step++) {
            now = step * STEP_S;
            applyEvents();
            if (step % reportEvery == 0) {
                for (int r = 0; r < relays; r++) {
                    reported[r] = (double) connections[r] / endpoints[r].maxConnections();
                }
            }
            for (int c = 0; c < clients; c++) {
                if (primary[c] < 0) {
                    if (now >= connectAt[c]) {
                        connect(c);
                    }
                } else if (random.nextDouble() < STEP_S / params.sessionSeconds()) {
                    disconnect(c);
                    connect(c);
                }
            }
            boolean measuring = now >= params.warmup();
            for (int c = 0; c < clients; c++) {
                if (primary[c] < 0) {
                    continue;
                }
                double message = sample(c, primary[c]);
                if (measuring) {
                    latency.record(message);
                }
                observe(c, primary[c], message);
                if (standby[c] >= 0) {
                    observe(c, standby[c], sample(c, standby[c]));
                }
            }
            if ((step + 1) % perSecond == 0) {
                if (params.leaveSlow() > 0) {
                    leaveSlowPrimaries();
                }
                if (measuring) {
                    spreadSum += spread();
                    splitSum += splitRooms();
                    samples++;
                }
                if (returned()) {
                    double share = returningShare();
                    peakShare = Double.isNaN(peakShare) ? share : Math.max(peakShare, share);
                }
            }
        }
        return new Outcome(latency.percentile(0.50), latency.percentile(0.99), spreadSum / samples, peakShare,
                fairShare(), splitSum / samples, picks, latency.count());
    }

    private void applyEvents() {
        if (scenario.downFrom() >= 0 && Math.abs(now - scenario.downFrom()) < STEP_S / 2) {
            for (int r : scenario.down()) {
                up[r] = false;
            }
            for (int c = 0; c < clients; c++) {
                boolean lostPrimary = primary[c] >= 0 && !up[primary[c]];
                boolean lostStandby = standby[c] >= 0 && !up[standby[c]];
                if (lostPrimary && standby[c] >= 0 && !lostStandby) {
                    release(primary[c], true);
                    release(standby[c], false);
                    primary[c] = standby[c];
                    primaries[primary[c]]++;
                    connections[primary[c]]++;
                    standby[c] = -1;
                    pickStandby(c);
                } else if (lostPrimary) {
                    disconnect(c);
                    connect(c);
                } else if (lostStandby) {
                    release(standby[c], false);
                    standby[c] = -1;
                    pickStandby(c);
                }
            }
        }
        if (scenario.downUntil() >= 0 && Math.abs(now - scenario.downUntil()) < STEP_S / 2) {
            for (int r : scenario.down()) {
                up[r] = true;
                upSince[r] = now;
            }
        }
    }

    /** The optional engine behaviour: promote a much faster standby, then pick a new standby. */
    private void leaveSlowPrimaries() {
        for (int c = 0; c < clients; c++) {
            int p = primary[c];
            int s = standby[c];
            if (p < 0 || s < 0) {
                continue;
            }
            double slow = ewma[c * relays + p];
            double fast = ewma[c * relays + s];
            if (slow > params.leaveSlow() * fast) {
                release(p, true);
                primaries[s]++;
                primary[c] = s;
                standby[c] = -1;
                pickStandby(c);
            }
        }
    }

    private void connect(int c) {
        int p = pick(c, -1);
        primary[c] = p;
        primaries[p]++;
        connections[p]++;
        pickStandby(c);
    }

    private void pickStandby(int c) {
        int s = pick(c, primary[c]);
        if (s >= 0 && s != primary[c] && up[s]) {
            standby[c] = s;
            connections[s]++;
        }
    }

    private void disconnect(int c) {
        release(primary[c], true);
        if (standby[c] >= 0) {
            release(standby[c], false);
        }
        primary[c] = -1;
        standby[c] = -1;
    }

    private void release(int r, boolean wasPrimary) {
        connections[r]--;
        if (wasPrimary) {
            primaries[r]--;
        }
    }

    /** Asks client c's balancer, with the candidates as c sees them; -1 when it returns nothing. */
    private int pick(int c, int exclude) {
        List<RelayCandidate> candidates = new ArrayList<>(relays);
        for (int r = 0; r < relays; r++) {
            if (r == exclude) {
                continue;
            }
            double e = ewma[c * relays + r];
            OptionalDouble rtt = Double.isNaN(e) ? OptionalDouble.empty() : OptionalDouble.of(e);
            OptionalDouble load = up[r] ? OptionalDouble.of(reported[r]) : OptionalDouble.empty();
            int active = (primary[c] == r ? 1 : 0) + (standby[c] == r ? 1 : 0);
            QualityMetrics m = new QualityMetrics(endpoints[r].id(), rtt, rtt, rtt, 0, 0, 0, 0, OptionalDouble.of(0),
                    0, Duration.ZERO, active, load, Duration.ofSeconds(10));
            Duration healthyFor = up[r] ? Duration.ofMillis((long) ((now - upSince[r]) * 1000)) : Duration.ZERO;
            candidates.add(new RelayCandidate(endpoints[r], up[r] ? 1 : 0, up[r], healthyFor, m));
        }
        if (candidates.isEmpty()) {
            return -1;
        }
        picks++;
        RelayEndpoint chosen = balancer[c].pick(candidates, roomKey[c]).orElseThrow().endpoint();
        for (int r = 0; r < relays; r++) {
            if (endpoints[r] == chosen) {
                return r;
            }
        }
        throw new IllegalStateException("balancer returned a relay that was not offered: " + chosen.id());
    }

    private double sample(int c, int r) {
        double rho = Math.min(0.97, RHO_PER_LOAD * primaries[r] / capacity[r]);
        double exp = -Math.log(1 - random.nextDouble());
        return network[region[c]][r] + service[r] * exp / (1 - rho);
    }

    private void observe(int c, int r, double millis) {
        int i = c * relays + r;
        double e = ewma[i];
        ewma[i] = Double.isNaN(e) ? millis : millis > e ? e + 0.5 * (millis - e) : e + EWMA_DECAY * (millis - e);
    }

    private double spread() {
        double max = 0;
        double sum = 0;
        int n = 0;
        for (int r = 0; r < relays; r++) {
            if (up[r]) {
                double load = (double) connections[r] / endpoints[r].maxConnections();
                max = Math.max(max, load);
                sum += load;
                n++;
            }
        }
        return sum == 0 ? 1 : max / (sum / n);
    }

    private double splitRooms() {
        int rooms = 0;
        int split = 0;
        for (int first = 0; first < clients; first += ROOM_SIZE) {
            int relay = -1;
            int members = 0;
            boolean isSplit = false;
            for (int c = first; c < Math.min(first + ROOM_SIZE, clients); c++) {
                if (primary[c] >= 0) {
                    members++;
                    if (relay < 0) {
                        relay = primary[c];
                    } else if (relay != primary[c]) {
                        isSplit = true;
                    }
                }
            }
            if (members >= 2) {
                rooms++;
                if (isSplit) {
                    split++;
                }
            }
        }
        return rooms == 0 ? 0 : (double) split / rooms;
    }

    private boolean returned() {
        return scenario.downUntil() >= 0 && now >= scenario.downUntil();
    }

    /** The returning relays' share of all open connections (primary and standby). */
    private double returningShare() {
        int all = 0;
        int returning = 0;
        for (int r = 0; r < relays; r++) {
            all += connections[r];
            if (scenario.down().contains(r)) {
                returning += connections[r];
            }
        }
        return all == 0 ? 0 : (double) returning / all;
    }

    private double fairShare() {
        if (scenario.down().isEmpty()) {
            return Double.NaN;
        }
        double total = 0;
        double returning = 0;
        for (int r = 0; r < relays; r++) {
            total += endpoints[r].maxConnections();
            if (scenario.down().contains(r)) {
                returning += endpoints[r].maxConnections();
            }
        }
        return returning / total;
    }
}
