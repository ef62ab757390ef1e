package io.solconnect.relay.examples.bench.balancers;

import java.util.List;

/**
 * One simulated situation: the relay fleet (region, capacity, service time) and what happens to it.
 * Times are in simulated seconds. Immutable.
 *
 * @param name          short name printed in the table
 * @param relays        the fleet
 * @param downFrom      when the {@code down} relays crash, or -1 for never
 * @param downUntil     when they come back, or -1 for never
 * @param down          indices of the relays that crash (and return)
 * @param far           regions on different continents (RTT 10 ms within, 80 to 160 ms between)
 *                      instead of neighbouring ones (5 ms within, 20 to 30 ms between)
 */
record Scenario(String name, List<SimRelay> relays, double downFrom, double downUntil, List<Integer> down,
                boolean far) {

    /** A relay of the fleet. {@code serviceMillis} is its mean processing time at zero load. */
    record SimRelay(String id, String region, int capacity, double serviceMillis) {
    }

    static final String[] REGIONS = {"eu", "us", "ap"};
    static final double SERVICE_MS = 4;
    static final int[] EQUAL = {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000};
    static final int[] UNEQUAL = {2400, 1200, 400, 1800, 900, 300, 1200, 600, 200};

    /**
     * The scenarios of the benchmark, all with nine relays, three per region: the five of the issue
     * on neighbouring regions, and the steady state again with the regions on different continents.
     */
    static List<Scenario> all() {
        return List.of(
                new Scenario("steady", fleet(EQUAL, -1), -1, -1, List.of(), false),
                new Scenario("slow-relay", fleet(EQUAL, 0), -1, -1, List.of(), false),
                new Scenario("unequal-capacity", fleet(UNEQUAL, -1), -1, -1, List.of(), false),
                new Scenario("largest-crashes", fleet(UNEQUAL, -1), 70, 100, List.of(0), false),
                new Scenario("region-down", fleet(EQUAL, -1), 70, 100, List.of(6, 7, 8), false),
                new Scenario("far-regions", fleet(EQUAL, -1), -1, -1, List.of(), true));
    }

    /** Nine relays eu-0..ap-2; relay {@code slow} (or none for -1) has 10x the service time. */
    private static List<SimRelay> fleet(int[] capacities, int slow) {
        SimRelay[] out = new SimRelay[capacities.length];
        for (int i = 0; i < capacities.length; i++) {
            String region = REGIONS[i / 3];
            out[i] = new SimRelay("wss://" + region + "-" + (i % 3) + ".relay.test/ws", region, capacities[i],
                    i == slow ? SERVICE_MS * 10 : SERVICE_MS);
        }
        return List.of(out);
    }

    /** Network round trip between two regions, in ms. */
    double networkMillis(int clientRegion, int relayRegion) {
        if (clientRegion == relayRegion) {
            return far ? 10 : 5;
        }
        int a = Math.min(clientRegion, relayRegion);
        int b = Math.max(clientRegion, relayRegion);
        if (far) {
            return a == 0 && b == 1 ? 80 : a == 1 && b == 2 ? 120 : 160;
        }
        return a == 0 && b == 1 ? 20 : a == 1 && b == 2 ? 25 : 30;
    }

    static int regionIndex(String region) {
        for (int i = 0; i < REGIONS.length; i++) {
            if (REGIONS[i].equals(region)) {
                return i;
            }
        }
        throw new IllegalArgumentException(region);
    }
}
