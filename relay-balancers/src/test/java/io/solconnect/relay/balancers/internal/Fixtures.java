package io.solconnect.relay.balancers.internal;

import io.solconnect.relay.api.LoadBalancingStrategy;
import io.solconnect.relay.api.QualityMetrics;
import io.solconnect.relay.api.RelayCandidate;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.spi.LoadBalancer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/** Builders of candidates and balancers for the tests. */
final class Fixtures {
    static final Duration WINDOW = Duration.ofSeconds(10);
    static final Duration LONG_AGO = Duration.ofHours(1);

    private Fixtures() {
    }

    /** A candidate builder with healthy, seasoned, unknown-metrics defaults. */
    static final class C {
        String url;
        String region = "";
        int priority;
        int capacity = 1000;
        int weight = 1;
        double score = 1;
        boolean healthy = true;
        Duration healthyFor = LONG_AGO;
        OptionalDouble rtt = OptionalDouble.empty();
        OptionalDouble load = OptionalDouble.empty();
        OptionalDouble errors = OptionalDouble.empty();
        int active;

        C(String name) {
            this.url = "wss://" + name + ".example.org/ws";
        }

        C region(String r) { region = r; return this; }
        C priority(int p) { priority = p; return this; }
        C capacity(int c) { capacity = c; return this; }
        C weight(int w) { weight = w; return this; }
        C score(double s) { score = s; return this; }
        C unhealthy() { healthy = false; healthyFor = Duration.ZERO; return this; }
        C healthyFor(Duration d) { healthyFor = d; return this; }
        C rtt(double ms) { rtt = OptionalDouble.of(ms); return this; }
        C load(double l) { load = OptionalDouble.of(l); return this; }
        C errors(double e) { errors = OptionalDouble.of(e); return this; }
        C active(int a) { active = a; return this; }

        RelayCandidate build() {
            RelayEndpoint e = RelayEndpoint.builder(url).region(region).priority(priority).maxConnections(capacity)
                    .weight(weight).build();
            QualityMetrics m = new QualityMetrics(e.id(), rtt, rtt, rtt, 0, 0, 0, 0, errors, 0, Duration.ZERO, active,
                    load, WINDOW);
            return new RelayCandidate(e, score, healthy, healthyFor, m);
        }
    }

    static C relay(String name) {
        return new C(name);
    }

    /** n healthy relays r0..r(n-1) with unknown metrics. */
    static List<RelayCandidate> relays(int n) {
        List<RelayCandidate> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(relay("r" + i).build());
        }
        return List.copyOf(out);
    }

    static List<RelayCandidate> list(C... builders) {
        List<RelayCandidate> out = new ArrayList<>();
        for (C b : builders) {
            out.add(b.build());
        }
        return List.copyOf(out);
    }

    static LoadBalancer balancer(String name, boolean sticky, Map<String, String> settings) {
        return balancer(name, sticky, settings, "");
    }

    static LoadBalancer balancer(String name, boolean sticky, Map<String, String> settings, String region) {
        Map<String, String> s = new HashMap<>(settings);
        s.putIfAbsent("seed", "42");
        LoadBalancingStrategy strategy = new LoadBalancingStrategy(name, Map.of(), sticky, 0.5, Map.of());
        return BalancerFactory.create(name, strategy, s, region).orElseThrow();
    }

    static LoadBalancer seeded(String name) {
        return balancer(name, false, Map.of());
    }

    /** Counts picks per relay id. */
    static Map<String, Integer> counts(LoadBalancer b, List<RelayCandidate> candidates, String key, int picks) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < picks; i++) {
            counts.merge(b.pick(candidates, key).orElseThrow().id(), 1, Integer::sum);
        }
        return counts;
    }

    static String id(String name) {
        return "wss://" + name + ".example.org/ws";
    }

    /** Pearson's chi-square statistic of observed counts against expected probabilities. */
    static double chiSquare(Map<String, Integer> observed, Map<String, Double> expected, int total) {
        double chi = 0;
        for (Map.Entry<String, Double> e : expected.entrySet()) {
            double exp = e.getValue() * total;
            double obs = observed.getOrDefault(e.getKey(), 0);
            chi += (obs - exp) * (obs - exp) / exp;
        }
        return chi;
    }
}
