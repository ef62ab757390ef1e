package io.solconnect.relay.balancers.internal;

/**
 * The data of a power-of-two-choices pick over one group of candidates: the group, an alias table
 * that samples its members in proportion to their static weight (configured weight times
 * {@code maxConnections}), and the cost of every candidate of the set. Sampling by capacity rather
 * than uniformly matters: with uniform sampling a relay is drawn for 2/n of the picks at most,
 * however large it is, so a fleet of unequal relays cannot be balanced. Immutable.
 *
 * @param group   indices into the candidate set
 * @param sampler samples a position in {@code group}
 * @param cost    per candidate of the set, lower is better
 * @param uniform whether all weights are equal, so that plain uniform draws do
 */
record TwoChoices(int[] group, AliasTable sampler, double[] cost, boolean uniform) {

    /** Builds the sampler for a group from the set's static weights. */
    static TwoChoices of(CandidateSet set, int[] group, double[] cost) {
        double[] w = new double[group.length];
        boolean uniform = true;
        for (int k = 0; k < group.length; k++) {
            w[k] = set.affinityWeight[group[k]];
            uniform &= w[k] == w[0];
        }
        return new TwoChoices(group, AliasTable.of(w), cost, uniform);
    }

    /**
     * Draws two distinct members by weight (the second is redrawn while it equals the first, at
     * most eight times, then taken uniformly among the others) and returns the cheaper, the first
     * on a tie.
     */
    int choose(Rng rng) {
        int n = group.length;
        if (n == 1) {
            return group[0];
        }
        int a;
        int b;
        if (uniform) {
            long bits = rng.nextLong();
            a = Rng.below(bits >>> 32, n);
            b = Rng.below(bits, n - 1);
            b = b >= a ? b + 1 : b;
        } else {
            a = sampler.sample(rng.nextLong());
            b = a;
            for (int tries = 0; tries < 8 && b == a; tries++) {
                b = sampler.sample(rng.nextLong());
            }
            if (b == a) {
                b = rng.nextInt(n - 1);
                b = b >= a ? b + 1 : b;
            }
        }
        int ia = group[a];
        int ib = group[b];
        return cost[ib] < cost[ia] ? ib : ia;
    }
}
