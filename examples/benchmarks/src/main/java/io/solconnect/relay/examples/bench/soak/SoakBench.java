package io.solconnect.relay.examples.bench.soak;

import io.solconnect.relay.api.ClientStatus;
import io.solconnect.relay.examples.Benchmark;
import io.solconnect.relay.examples.bench.BenchCli;
import io.solconnect.relay.examples.bench.failover.Rig;
import io.solconnect.relay.examples.commandline.Cli;
import io.solconnect.relay.examples.server.RelayServer;
import picocli.CommandLine;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * {@code ./relay bench soak}: a long run at a steady rate with a relay fault every few seconds,
 * watching for leaks.
 *
 * <p>The failover benchmark's {@link Rig} (local relays, a sender and a receiver
 * {@code RelayManager} in one room, in this JVM) streams at {@code --rate}. Every
 * {@code --fault-every} one fault (crash, blackhole or slow; rotating, or random with
 * {@code --fault-order random}, seeded) hits the sender's primary for {@code --fault-for} and is
 * undone. Every {@code --sample-every} (after the clients settled, at most 10 s later) it prints
 * the heap used after {@link System#gc()} (MiB), the JVM's live threads, the WebSocket sessions
 * the relays hold, the clients' open links and the messages sent and delivered. At the end: lost,
 * duplicates, and whether heap, threads and connections stayed flat, comparing the first and the
 * last quarter of the samples taken after {@code --warmup} ({@link Sample#verdict}). Exit 0 only
 * when nothing was lost or duplicated, no send failed and everything stayed flat.
 */
public final class SoakBench implements Benchmark {

    /** Creates the command. */
    public SoakBench() {
    }

    @Override
    public String name() {
        return "soak";
    }

    /** The command line of {@code bench soak}, filled by picocli. */
    @CommandLine.Command(name = "soak", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
            sortOptions = false, description = {"long run with a fault every few seconds: heap, threads, connections, lost",
                    "Streams sender -> receiver through local relays, faults the sender's primary again and again, samples resources."})
    static final class Options implements Cli.Checked {
        @CommandLine.Option(names = "--minutes", paramLabel = "N", defaultValue = "30",
                description = "how long to run, 1..1440 minutes (default: ${DEFAULT-VALUE})")
        long minutes;

        @CommandLine.Option(names = "--rate", paramLabel = "N/s", defaultValue = "1000", converter = Cli.Rate.class,
                description = "messages per second (default: ${DEFAULT-VALUE})")
        double rate;

        @CommandLine.Option(names = "--size", paramLabel = "BYTES", defaultValue = "256",
                description = "payload size, 64..65536 (default: ${DEFAULT-VALUE})")
        long size;

        @CommandLine.Option(names = "--relays", paramLabel = "N", defaultValue = "3",
                description = "relays, 2..16 (default: ${DEFAULT-VALUE})")
        long relays;

        @CommandLine.Option(names = "--faults", paramLabel = "F,...", defaultValue = "crash,blackhole,slow",
                description = "faults to inject: crash, blackhole, slow (default: ${DEFAULT-VALUE})")
        String faults;

        @CommandLine.Option(names = "--fault-order", paramLabel = "rotate|random", defaultValue = "rotate",
                description = "take the faults in turn, or at random with --seed (default: ${DEFAULT-VALUE})")
        String faultOrder;

        @CommandLine.Option(names = "--seed", paramLabel = "N",
                description = "seed of --fault-order random (default: a new one, printed)")
        Long seed;

        @CommandLine.Option(names = "--fault-every", paramLabel = "DURATION", defaultValue = "5s",
                converter = Cli.PositiveDuration.class, description = "time between faults (default: ${DEFAULT-VALUE})")
        Duration faultEvery;

        @CommandLine.Option(names = "--fault-for", paramLabel = "DURATION", defaultValue = "1s",
                converter = Cli.PositiveDuration.class,
                description = "how long a fault lasts before it is undone, less than --fault-every (default: ${DEFAULT-VALUE})")
        Duration faultFor;

        @CommandLine.Option(names = "--slow-by", paramLabel = "DURATION", defaultValue = "1s",
                converter = Cli.PositiveDuration.class, description = "delay of the slow fault (default: ${DEFAULT-VALUE})")
        Duration slowBy;

        @CommandLine.Option(names = "--sample-every", paramLabel = "DURATION", defaultValue = "1m",
                converter = Cli.PositiveDuration.class,
                description = "time between resource samples, at least 1s (default: ${DEFAULT-VALUE})")
        Duration sampleEvery;

        @CommandLine.Option(names = "--warmup", paramLabel = "DURATION", defaultValue = "2m",
                converter = Cli.DurationOrZero.class,
                description = "samples this early are printed but left out of the verdict (default: ${DEFAULT-VALUE})")
        Duration warmup;

        @CommandLine.Option(names = "--trace",
                description = "also print (to stderr) each fault and every change of the clients' relays, with the time")
        boolean trace;

        List<SoakFault> faultList;

        @Override
        public void check() throws Cli.UsageException {
            Cli.range("--minutes", minutes, 1, 1440);
            Cli.range("--size", size, 64, 65_536);
            Cli.range("--relays", relays, 2, 16);
            try {
                faultList = SoakFault.parse(faults);
            } catch (IllegalArgumentException e) {
                throw new Cli.UsageException("--faults: " + e.getMessage());
            }
            if (!faultOrder.equals("rotate") && !faultOrder.equals("random")) {
                throw new Cli.UsageException("--fault-order must be rotate or random, was '" + faultOrder + "'");
            }
            if (faultFor.compareTo(faultEvery) >= 0) {
                throw new Cli.UsageException("--fault-for (" + faultFor.toMillis() + " ms) must be less than --fault-every ("
                        + faultEvery.toMillis() + " ms)");
            }
            if (sampleEvery.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new Cli.UsageException("--sample-every must be at least 1s, was " + sampleEvery.toMillis() + " ms");
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
        long seed = o.seed != null ? o.seed : System.nanoTime() ^ System.currentTimeMillis();
        Random random = new Random(seed);
        out.printf(Locale.ROOT, "bench soak: %d minutes, %d relays, 1 sender -> 1 receiver, %.0f msg/s, %d B, memory store; "
                        + "a fault (%s, %s%s) into the sender's primary every %d ms for %d ms; a sample every %d s, "
                        + "warm-up %d s%n", o.minutes, o.relays, o.rate, o.size,
                String.join(",", o.faultList.stream().map(SoakFault::label).toList()), o.faultOrder,
                o.faultOrder.equals("random") ? " seed " + seed : "", o.faultEvery.toMillis(), o.faultFor.toMillis(),
                o.sampleEvery.toSeconds(), o.warmup.toSeconds());
        List<Sample> samples = new ArrayList<>();
        Map<String, Long> firstThreads = null; // thread names at the first sample after the warm-up
        Map<SoakFault, Integer> injected = new EnumMap<>(SoakFault.class);
        try (Rig rig = new Rig((int) o.relays)) {
            rig.startSending(o.rate, (int) o.size, err);
            if (rig.awaitSteady(90_000).isEmpty()) { // the soak goes on: the samples say whether it ever settled
                err.println("bench soak: warning: clients not steady within 90 s of the start: " + rig.notSteadyReason());
            }
            long start = System.nanoTime();
            Thread tracer = null;
            if (o.trace) {
                tracer = new Thread(() -> trace(rig, start, err), "soak-trace");
                tracer.setDaemon(true);
                tracer.start();
            }
            long end = start + Duration.ofMinutes(o.minutes).toNanos();
            long nextFault = start + o.faultEvery.toNanos();
            long nextSample = start + o.sampleEvery.toNanos();
            int turn = 0;
            while (System.nanoTime() < end) {
                long now = System.nanoTime();
                if (now >= nextSample) {
                    Sample s = sample(rig, start, injected, out);
                    samples.add(s);
                    if (firstThreads == null && s.atMillis() >= o.warmup.toMillis()) {
                        firstThreads = threadNames();
                    }
                    nextSample += o.sampleEvery.toNanos();
                    continue;
                }
                if (now >= nextFault) {
                    SoakFault f = o.faultOrder.equals("random") ? o.faultList.get(random.nextInt(o.faultList.size()))
                            : o.faultList.get(turn++ % o.faultList.size());
                    Optional<String> primary = rig.sender().status().primary();
                    RelayServer victim = primary.map(p -> rig.relays().get(p)).filter(RelayServer::running)
                            .orElseGet(() -> new ArrayList<>(rig.relays().values()).get(random.nextInt(rig.relays().size())));
                    if (o.trace) {
                        err.printf(Locale.ROOT, "trace %.1f s: %s %s%n", (System.nanoTime() - start) / 1e9, f.label(), victim.port());
                    }
                    f.inject(victim, o.slowBy);
                    Thread.sleep(o.faultFor.toMillis()); // the fault lasts that long; traffic flows meanwhile
                    f.undo(victim);
                    injected.merge(f, 1, Integer::sum);
                    nextFault += o.faultEvery.toNanos();
                    while (nextFault <= System.nanoTime()) {
                        nextFault += o.faultEvery.toNanos(); // a slow undo does not make faults bunch up
                    }
                    continue;
                }
                long wake = Math.min(nextSample, Math.min(nextFault, end));
                Thread.sleep(Math.max(1, (wake - now) / 1_000_000)); // the harness waits for its next step
            }
            samples.add(sample(rig, start, injected, out)); // the last minutes end at the end
            if (tracer != null) {
                tracer.interrupt();
            }
            rig.stopSending();
            boolean drained = rig.awaitDrained(60_000);
            long sent = rig.sent();
            long lost = rig.tracker().lost(sent);
            long dups = rig.tracker().duplicates();
            List<Sample> measured = samples.stream().filter(s -> s.atMillis() >= o.warmup.toMillis()).toList();
            Sample.Verdict v = Sample.verdict(measured);
            out.println("faults injected: " + injected);
            out.println("resources: " + v.figures());
            if (!v.threadsFlat() && firstThreads != null) {
                out.println("threads that grew (name with digits as #: first -> last): " + grown(firstThreads, threadNames()));
            }
            out.printf(Locale.ROOT, "summary minutes=%d sent=%d acked=%d failed_sends=%d delivered=%d lost=%d duplicates=%d "
                            + "heap=%s threads=%s connections=%s%s%n", o.minutes, sent, rig.acked(), rig.failed(),
                    rig.tracker().distinct(), lost, dups, flat(v.heapFlat()), flat(v.threadsFlat()), flat(v.connectionsFlat()),
                    drained ? "" : " (gave up waiting for the last deliveries after 60 s)");
            if (lost > 0) {
                out.println("lost numbers (first 20 runs): " + String.join(" ", rig.tracker().missingRuns(sent, 20)));
            }
            return lost == 0 && dups == 0 && rig.failed() == 0 && v.flat() ? 0 : 1;
        }
    }

    /** Waits (at most 10 s) for the clients to settle, collects garbage and takes a sample. */
    private static Sample sample(Rig rig, long start, Map<SoakFault, Integer> injected, PrintStream out)
            throws InterruptedException {
        boolean steady = rig.awaitSteady(10_000).isPresent();
        System.gc();
        Sample s = new Sample((System.nanoTime() - start) / 1_000_000,
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0),
                ManagementFactory.getThreadMXBean().getThreadCount(),
                rig.relays().values().stream().mapToInt(RelayServer::sessions).sum(),
                links(rig.sender().status()) + links(rig.receiver().status()), rig.sent(), rig.tracker().distinct(), steady);
        out.println(s.line() + " faults=" + injected.values().stream().mapToInt(Integer::intValue).sum()
                + " sender=" + where(rig.sender().status()) + " receiver=" + where(rig.receiver().status()));
        return s;
    }

    /** Until interrupted, prints every change of either client's relays (polled every 100 ms). */
    private static void trace(Rig rig, long start, PrintStream err) {
        String last = "";
        try {
            while (!Thread.currentThread().isInterrupted()) {
                String now = "sender=" + where(rig.sender().status()) + " receiver=" + where(rig.receiver().status());
                if (!now.equals(last)) {
                    err.printf(Locale.ROOT, "trace %.1f s: %s delivered=%d sent=%d%n", (System.nanoTime() - start) / 1e9, now,
                            rig.tracker().distinct(), rig.sent());
                    last = now;
                }
                Thread.sleep(100); // a polling tracer: status has no change listener
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Live threads by name, digits replaced with {@code #} so that pool members count together. */
    private static Map<String, Long> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().collect(java.util.stream.Collectors.groupingBy(
                t -> t.getName().replaceAll("[0-9]+", "#"), java.util.TreeMap::new, java.util.stream.Collectors.counting()));
    }

    private static String grown(Map<String, Long> first, Map<String, Long> last) {
        List<String> out = new ArrayList<>();
        last.forEach((name, n) -> {
            long before = first.getOrDefault(name, 0L);
            if (n > before) {
                out.add(name + " " + before + " -> " + n);
            }
        });
        return out.isEmpty() ? "(none by name)" : String.join(", ", out);
    }

    private static String flat(boolean f) {
        return f ? "flat" : "NOT_FLAT";
    }

    /** The client's state, primary and standbys, for the sample line. */
    private static String where(ClientStatus s) {
        return s.state() + ":" + s.primary().orElse("-") + "+" + s.standby();
    }

    private static int links(ClientStatus s) {
        return (s.primary().isPresent() ? 1 : 0) + s.standby().size();
    }
}
