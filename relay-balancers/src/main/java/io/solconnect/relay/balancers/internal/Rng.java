package io.solconnect.relay.balancers.internal;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The randomness a balancer draws on. Thread-safe. By default {@link ThreadLocalRandom}; with the
 * {@code seed} setting a SplitMix64 sequence held in one atomic word, so that a test or a simulation
 * that picks from one thread sees the same choices on every run.
 */
interface Rng {

    /** A uniform int in [0, bound); bound is at least 1. */
    int nextInt(int bound);

    /** A uniform double in [0, 1). */
    double nextDouble();

    /** 64 uniform random bits. */
    long nextLong();

    /** A uniform int in [0, bound) from 32 random bits, e.g. one half of {@link #nextLong()}. */
    static int below(long bits32, int bound) {
        return (int) (((bits32 & 0xFFFF_FFFFL) * bound) >>> 32);
    }

    /** The default: thread-local, unseeded. */
    static Rng threadLocal() {
        return ThreadLocal.INSTANCE;
    }

    /** A deterministic sequence for a seed. */
    static Rng seeded(long seed) {
        return new Seeded(seed);
    }

    /** Delegates to {@link ThreadLocalRandom}. */
    enum ThreadLocal implements Rng {
        INSTANCE;

        @Override
        public int nextInt(int bound) {
            return ThreadLocalRandom.current().nextInt(bound);
        }

        @Override
        public double nextDouble() {
            return ThreadLocalRandom.current().nextDouble();
        }

        @Override
        public long nextLong() {
            return ThreadLocalRandom.current().nextLong();
        }
    }

    /** SplitMix64 over an atomic counter: lock-free, allocation-free, reproducible from one thread. */
    final class Seeded implements Rng {
        private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
        private final AtomicLong state;

        Seeded(long seed) {
            this.state = new AtomicLong(seed);
        }

        private long next() {
            // SplitMix64's output function (Stafford's variant 13).
            long z = state.addAndGet(GOLDEN_GAMMA);
            z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
            z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
            return z ^ (z >>> 31);
        }

        @Override
        public int nextInt(int bound) {
            // Lemire's multiply-shift; the bias (at most bound / 2^32) is irrelevant for balancing.
            return (int) (((next() >>> 32) * bound) >>> 32);
        }

        @Override
        public double nextDouble() {
            return (next() >>> 11) * 0x1.0p-53;
        }

        @Override
        public long nextLong() {
            return next();
        }
    }
}
