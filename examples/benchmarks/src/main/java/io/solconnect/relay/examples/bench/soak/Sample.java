package io.solconnect.relay.examples.bench.soak;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * One periodic reading of the soak.
 *
 * @param atMillis     time since the soak started, ms
 * @param heapMiB      heap used right after {@link System#gc()}, MiB
 * @param threads      live threads of the JVM
 * @param relaySockets WebSocket sessions the relays hold
 * @param clientLinks  open links of both clients (primary and standbys)
 * @param sent         messages sent so far
 * @param delivered    distinct messages delivered so far
 * @param steady       whether the clients were steady when it was taken
 */
record Sample(long atMillis, double heapMiB, int threads, int relaySockets, int clientLinks, long sent, long delivered,
              boolean steady) {

    String line() {
        return String.format(Locale.ROOT, "minute %.1f heap_after_gc_mib=%.1f threads=%d relay_sockets=%d client_links=%d "
                        + "sent=%d delivered=%d%s", atMillis / 60_000.0, heapMiB, threads, relaySockets, clientLinks, sent,
                delivered, steady ? "" : " (not steady)");
    }

    /**
     * Whether the readings stayed flat: the samples after the warm-up are split into a first and a
     * last window (a quarter each, at least one sample); heap may grow by at most
     * {@code max(16 MiB, 10 %)} between the windows' means, threads by at most 2 between their
     * maxima, sockets and links not at all between their maxima.
     *
     * @param samples the samples after the warm-up, oldest first
     * @return the verdict and its figures
     */
    static Verdict verdict(List<Sample> samples) {
        if (samples.size() < 2) {
            return new Verdict(false, false, false, "not enough samples after the warm-up (" + samples.size()
                    + "); run longer or sample more often");
        }
        int w = Math.max(1, samples.size() / 4);
        List<Sample> first = samples.subList(0, w);
        List<Sample> last = samples.subList(samples.size() - w, samples.size());
        double heapFirst = mean(first, Sample::heapMiB);
        double heapLast = mean(last, Sample::heapMiB);
        double threadsFirst = max(first, Sample::threads);
        double threadsLast = max(last, Sample::threads);
        double socketsFirst = max(first, Sample::relaySockets);
        double socketsLast = max(last, Sample::relaySockets);
        double linksFirst = max(first, Sample::clientLinks);
        double linksLast = max(last, Sample::clientLinks);
        boolean heapFlat = heapLast - heapFirst <= Math.max(16, heapFirst * 0.10);
        boolean threadsFlat = threadsLast - threadsFirst <= 2;
        boolean connectionsFlat = socketsLast <= socketsFirst && linksLast <= linksFirst;
        String figures = String.format(Locale.ROOT, "first %d vs last %d samples: heap_mib mean %.1f -> %.1f (%s), "
                        + "threads max %.0f -> %.0f (%s), relay_sockets max %.0f -> %.0f, client_links max %.0f -> %.0f (%s)",
                w, w, heapFirst, heapLast, heapFlat ? "flat" : "GROWING", threadsFirst, threadsLast,
                threadsFlat ? "flat" : "GROWING", socketsFirst, socketsLast, linksFirst, linksLast,
                connectionsFlat ? "flat" : "GROWING");
        return new Verdict(heapFlat, threadsFlat, connectionsFlat, figures);
    }

    private static double mean(List<Sample> s, ToDoubleFunction<Sample> f) {
        return s.stream().mapToDouble(f).average().orElse(0);
    }

    private static double max(List<Sample> s, ToDoubleFunction<Sample> f) {
        return s.stream().mapToDouble(f).max().orElse(0);
    }

    /**
     * The soak's verdict on its resources.
     *
     * @param heapFlat        heap stayed flat
     * @param threadsFlat     threads stayed flat
     * @param connectionsFlat relay sockets and client links stayed flat
     * @param figures         the figures behind it, or why there is no verdict
     */
    record Verdict(boolean heapFlat, boolean threadsFlat, boolean connectionsFlat, String figures) {
        boolean flat() {
            return heapFlat && threadsFlat && connectionsFlat;
        }
    }
}
