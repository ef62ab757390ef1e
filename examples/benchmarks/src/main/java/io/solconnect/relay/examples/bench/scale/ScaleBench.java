package io.solconnect.relay.examples.bench.scale;

import io.solconnect.relay.api.LivenessConfig;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.examples.Benchmark;
import io.solconnect.relay.examples.bench.BenchCli;
import io.solconnect.relay.examples.cli.Summary;
import io.solconnect.relay.examples.commandline.Cli;
import picocli.CommandLine;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * {@code ./relay bench scale}: N client sessions in this JVM on one shared transport, each alone in
 * its own room with a primary and one standby, against relays in child JVMs; then one relay is
 * killed with SIGKILL.
 *
 * <p>Steps: check the file-descriptor limit (each session holds two sockets) and say how many
 * sessions fit; start {@code --relays} relay JVMs ({@link RelayProcess}); start the sessions in
 * steps of {@code --ramp}, each step waiting until its sessions are connected with a standby; when
 * all are, measure the heap per session after GC (used heap after {@link System#gc()} with the
 * sessions minus before them, divided by N), the JVM's threads and, over {@code --idle-for}, the
 * process CPU while idle (cores = CPU time / wall time); then send {@code --rate-per-session}
 * messages per second from every session ({@link Load}) and measure the CPU over
 * {@code --load-for}; then kill the relay that holds the most primaries, keep sending for
 * {@code --after-kill}, and time, per affected session, the crash to the session CONNECTED on
 * another relay (sessions whose primary it was) and to a new standby open (every session that had
 * a link there); then stop sending, wait for the outbox to drain and count lost messages (sends
 * never acknowledged). Printed with units, and the targets as met or not met; exit code 0
 * only when every target is met.
 *
 * <p>Duplicates are not measured: each session is alone in its room and a relay does not echo a
 * message to the connection that sent it, so nobody receives the messages; a send's stage
 * completes once, so a loss is a send without an acknowledgement.
 */
public final class ScaleBench implements Benchmark {

    /** The target: sessions in one JVM. */
    static final int TARGET_SESSIONS = 10_000;
    /** The target: heap per idle session after GC, in KiB. */
    static final double TARGET_HEAP_KB = 100;
    /** The target: CPU of all sessions while idle, in cores. */
    static final double TARGET_IDLE_CORES = 0.25;
    /** The target: crash to every affected session connected on another relay. */
    static final Duration TARGET_REHOME = Duration.ofSeconds(5);

    /** Creates the command. */
    public ScaleBench() {
    }

    @Override
    public String name() {
        return "scale";
    }

    /** The command line of {@code bench scale}, filled by picocli. */
    @CommandLine.Command(name = "scale", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
            sortOptions = false, description = {"many sessions in one JVM on one transport: heap, threads, CPU, a relay crash",
                    "Relays run in child JVMs; one is killed with SIGKILL while every session sends."})
    static final class Options implements Cli.Checked {
        @CommandLine.Option(names = "--sessions", paramLabel = "N",
                description = "client sessions, 1..100000 (default: 10000, or as many as the open-file limit holds)")
        Integer sessions;

        @CommandLine.Option(names = "--relays", paramLabel = "N", defaultValue = "3",
                description = "relay processes, 2..16 (default: ${DEFAULT-VALUE})")
        long relays;

        @CommandLine.Option(names = "--idle-for", paramLabel = "DURATION", defaultValue = "30s",
                converter = Cli.PositiveDuration.class, description = "idle CPU measured over this long (default: ${DEFAULT-VALUE})")
        Duration idleFor;

        @CommandLine.Option(names = "--rate-per-session", paramLabel = "N/s", defaultValue = "1", converter = Cli.Rate.class,
                description = "messages per second each session sends (default: ${DEFAULT-VALUE})")
        double ratePerSession;

        @CommandLine.Option(names = "--load-for", paramLabel = "DURATION", defaultValue = "30s",
                converter = Cli.PositiveDuration.class,
                description = "CPU under load measured over this long (default: ${DEFAULT-VALUE})")
        Duration loadFor;

        @CommandLine.Option(names = "--after-kill", paramLabel = "DURATION", defaultValue = "10s",
                converter = Cli.PositiveDuration.class,
                description = "sending goes on this long after the relay is killed (default: ${DEFAULT-VALUE})")
        Duration afterKill;

        @CommandLine.Option(names = "--size", paramLabel = "BYTES", defaultValue = "64",
                description = "payload size, 32..65536 (default: ${DEFAULT-VALUE})")
        long size;

        @CommandLine.Option(names = "--ramp", paramLabel = "N", defaultValue = "500",
                description = "sessions started at once before waiting for them to connect (default: ${DEFAULT-VALUE})")
        long ramp;

        @CommandLine.Option(names = "--ping-interval", paramLabel = "DURATION", converter = Cli.PositiveDuration.class,
                description = "every session's liveness.pingInterval (default: the engine's default)")
        Duration pingInterval;

        @CommandLine.Option(names = "--ping-timeout", paramLabel = "DURATION", converter = Cli.PositiveDuration.class,
                description = "every session's liveness.pingTimeout (default: the engine's default)")
        Duration pingTimeout;

        @CommandLine.Option(names = "--relay-heap", paramLabel = "SIZE", defaultValue = "1g",
                description = "-Xmx of each relay JVM (default: ${DEFAULT-VALUE})")
        String relayHeap;

        @CommandLine.Option(names = "--module-path", paramLabel = "PATH",
                description = "module path of the relay JVMs (default: this JVM's)")
        String modulePath;

        @CommandLine.Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "120s",
                converter = Cli.PositiveDuration.class,
                description = "longest wait for a step of sessions to connect, for re-homing and for the drain (default: ${DEFAULT-VALUE})")
        Duration timeout;

        @Override
        public void check() throws Cli.UsageException {
            if (sessions != null) {
                Cli.range("--sessions", sessions, 1, 100_000);
            }
            Cli.range("--relays", relays, 2, 16);
            Cli.range("--size", size, 32, 65_536);
            Cli.range("--ramp", ramp, 1, 100_000);
            if (!relayHeap.matches("[0-9]+[kKmMgG]?")) {
                throw new Cli.UsageException("--relay-heap must be a JVM size like 512m or 1g, was '" + relayHeap + "'");
            }
            modulePath = BenchCli.modulePath(modulePath);
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
        Probe probe = new Probe();
        int links = 2; // a primary and one standby
        int fit = probe.sessionsThatFit(links);
        out.printf(Locale.ROOT, "bench scale: open-file limit %d, %d open now: room for %d sessions of %d links each "
                + "(%d descriptors kept for the JVM and the relay pipes)%n", probe.maxFds(), probe.openFds(), fit, links,
                Probe.RESERVED_FDS);
        OptionalInt runs = sessionsToRun(o.sessions, fit);
        if (runs.isEmpty()) {
            err.printf(Locale.ROOT, "bench scale: --sessions %d needs about %d sockets, more than the open-file limit of %d "
                    + "leaves (%d sessions fit); raise the limit (ulimit -n, hard limit included) or ask for fewer%n",
                    o.sessions, (long) o.sessions * links, probe.maxFds(), fit);
            return Cli.USAGE;
        }
        int n = runs.getAsInt();
        if (o.sessions == null && n < TARGET_SESSIONS) {
            out.printf(Locale.ROOT, "bench scale: %d sessions do not fit under the open-file limit; running %d "
                    + "(raise it with ulimit -n, hard limit included, for more)%n", TARGET_SESSIONS, n);
        }
        if (n < 1) {
            err.println("bench scale: the open-file limit leaves no room for a session");
            return 1;
        }
        Path dir = Files.createTempDirectory("relay-scale-");
        out.printf(Locale.ROOT, "bench scale: %d sessions (own room each, 1 standby), %d relay JVMs, %.3g msg/s per session, "
                        + "%d B; %d cores, load average %.2f; relay logs in %s%n", n, o.relays, o.ratePerSession, o.size,
                Runtime.getRuntime().availableProcessors(), probe.loadAverage(), dir);
        List<RelayProcess> relays = new ArrayList<>();
        SharedClientParts shared = null;
        List<Session> sessions = new ArrayList<>();
        Load load = null;
        try {
            for (int i = 0; i < o.relays; i++) {
                relays.add(new RelayProcess(o.modulePath, o.relayHeap, dir.resolve("relay-" + (i + 1) + ".log")));
            }
            Map<String, RelayProcess> byId = new HashMap<>();
            List<RelayEndpoint> endpoints = new ArrayList<>();
            for (RelayProcess r : relays) {
                URI uri = r.awaitListening(o.timeout);
                RelayEndpoint e = RelayEndpoint.of(uri.toString());
                endpoints.add(e);
                byId.put(e.id(), r);
            }
            LivenessConfig d = LivenessConfig.ofDefaults();
            LivenessConfig liveness = new LivenessConfig(Optional.ofNullable(o.pingInterval).orElse(d.pingInterval()),
                    Optional.ofNullable(o.pingTimeout).orElse(d.pingTimeout()), d.connectTimeout());
            RelayConfig config = RelayConfig.custom().relays(endpoints).liveness(liveness).build();
            out.printf(Locale.ROOT, "liveness: pingInterval %d ms, pingTimeout %d ms; failover: %d standby%n",
                    liveness.pingInterval().toMillis(), liveness.pingTimeout().toMillis(), config.failover().standbyCount());
            long heapBefore = probe.heapAfterGc();
            int threadsBefore = probe.threads();
            shared = new SharedClientParts(config, 2, 2, 16);

            long t0 = System.nanoTime();
            for (int from = 0; from < n; from += (int) o.ramp) {
                int to = (int) Math.min(n, from + o.ramp);
                for (int i = from; i < to; i++) {
                    Session s = new Session(shared.newClient(), "scale-" + i);
                    sessions.add(s);
                    s.manager().join(s.room()).orElseThrow();
                    s.manager().start().orElseThrow();
                }
                if (!awaitReady(sessions.subList(from, to), o.timeout)) {
                    err.printf(Locale.ROOT, "bench scale: sessions %d..%d did not all connect with a standby within %d s%n",
                            from, to - 1, o.timeout.toSeconds());
                    return 1;
                }
            }
            out.printf(Locale.ROOT, "connected: %d sessions with a primary and a standby in %.1f s (started %d at a time)%n",
                    n, (System.nanoTime() - t0) / 1e9, o.ramp);
            printSpread(out, "primaries per relay", primaries(sessions));

            long heapWith = probe.heapAfterGc();
            double heapPerSessionKb = (heapWith - heapBefore) / 1024.0 / n;
            int threads = probe.threads();
            out.printf(Locale.ROOT, "heap_per_session_kb=%.1f (used heap after GC: %.1f MiB before the sessions, %.1f MiB with them)%n",
                    heapPerSessionKb, heapBefore / 1048576.0, heapWith / 1048576.0);
            out.printf(Locale.ROOT, "threads=%d (JVM total; %d before the sessions): %s%n", threads, threadsBefore,
                    probe.threadGroups());
            out.printf(Locale.ROOT, "open_files=%d%n", probe.openFds());

            Probe.Cpu idle = probe.cpuOver(o.idleFor, relays);
            out.printf(Locale.ROOT, "idle_cpu_cores=%.3f over %d s (this JVM: CPU time / wall time); relays' JVMs %.3f cores; "
                    + "load average %.2f on %d cores%n", idle.cores(), o.idleFor.toSeconds(), idle.relayCores(), idle.loadAverage(),
                    Runtime.getRuntime().availableProcessors());

            load = new Load(sessions, o.ratePerSession, (int) o.size);
            load.start();
            long sentBefore = load.sent();
            Probe.Cpu busy = probe.cpuOver(o.loadFor, relays);
            out.printf(Locale.ROOT, "load_cpu_cores=%.3f over %d s at %.0f msg/s sent of %.0f asked (%.3g per session); relays' JVMs "
                            + "%.3f cores; load average %.2f; acked so far %d of %d%n", busy.cores(), o.loadFor.toSeconds(),
                    (load.sent() - sentBefore) / busy.wallSeconds(), o.ratePerSession * n, o.ratePerSession, busy.relayCores(),
                    busy.loadAverage(), load.acked(), load.sent());

            // the relay holding the most primaries
            Map<String, Integer> prim = primaries(sessions);
            String victim = prim.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            List<Session> lostPrimary = new ArrayList<>();
            List<Session> lostLink = new ArrayList<>();
            for (Session s : sessions) {
                var st = s.status();
                boolean p = st.primary().filter(victim::equals).isPresent();
                if (p) {
                    lostPrimary.add(s);
                }
                if (p || st.standby().contains(victim)) {
                    lostLink.add(s);
                }
            }
            Instant killedAt = Instant.now();
            lostLink.forEach(x -> x.watchFrom(killedAt));
            int code = byId.get(victim).kill();
            out.printf(Locale.ROOT, "killed %s with SIGKILL (exit %d): primary of %d sessions, a link of %d%n",
                    victim, code, lostPrimary.size(), lostLink.size());
            Rehoming rehomed = Rehoming.await(lostPrimary, lostLink, killedAt, o.timeout);
            long untilStop = o.afterKill.toMillis() - Duration.between(killedAt, Instant.now()).toMillis();
            if (untilStop > 0) {
                Thread.sleep(untilStop); // keep sending for --after-kill: the run goes on, nothing to wait for
            }
            load.stop();
            long end = System.nanoTime() + o.timeout.toNanos();
            while (load.pending() > 0 && System.nanoTime() < end) {
                Thread.sleep(50); // polling the send stages' tally
            }
            List<Duration> primaryTimes = rehomed.primaryTimes();
            List<Duration> standbyTimes = rehomed.standbyTimes();
            out.printf(Locale.ROOT, "rehome_primary_ms p50=%s p99=%s max=%s (%d of %d sessions whose primary was killed, "
                            + "crash to CONNECTED on another relay)%n", Summary.percentileMs(primaryTimes, 50),
                    Summary.percentileMs(primaryTimes, 99), Summary.percentileMs(primaryTimes, 100), primaryTimes.size(),
                    lostPrimary.size());
            out.printf(Locale.ROOT, "rehome_standby_ms p50=%s p99=%s max=%s (%d of %d sessions with a link there, "
                            + "crash to a new standby open: the reconnect storm)%n", Summary.percentileMs(standbyTimes, 50),
                    Summary.percentileMs(standbyTimes, 99), Summary.percentileMs(standbyTimes, 100), standbyTimes.size(),
                    lostLink.size());
            Map<String, Integer> causes = new TreeMap<>();
            lostPrimary.forEach(x -> causes.merge(x.lastDisconnect().replaceAll("[0-9]+ ms", "N ms"), 1, Integer::sum));
            printSpread(out, "how the killed primaries' links ended (close code, reason):", causes);
            int shown = 0;
            for (Session x : lostPrimary) {
                boolean slow = x.firstConnected().map(at -> Duration.between(killedAt, at).compareTo(TARGET_REHOME) > 0)
                        .orElse(true);
                if (slow && shown++ < 5) {
                    out.println("slow to re-home: " + x.room() + ": " + x.trailSince(killedAt));
                }
            }
            printSpread(out, "primaries per relay after", primaries(sessions));
            long lost = load.sent() - load.acked();
            out.printf(Locale.ROOT, "messages sent=%d acked=%d failed=%d lost=%d (lost = sends never acknowledged; "
                    + "duplicates not measured: no session receives its own messages)%n", load.sent(), load.acked(),
                    load.failed(), lost);
            load.errors().forEach(e -> out.println("send failed: " + e));

            boolean allRehomed = primaryTimes.size() == lostPrimary.size();
            Duration worst = primaryTimes.stream().max(Duration::compareTo).orElse(Duration.ZERO);
            List<Boolean> met = new ArrayList<>();
            out.println("targets:");
            met.add(target(out, "sessions in one JVM >= " + TARGET_SESSIONS, n >= TARGET_SESSIONS, n + " sessions"
                    + (n < TARGET_SESSIONS && n == fit ? " (the open-file limit)" : "")));
            met.add(target(out, "heap per idle session <= " + (int) TARGET_HEAP_KB + " KB", heapPerSessionKb <= TARGET_HEAP_KB,
                    String.format(Locale.ROOT, "%.1f KB", heapPerSessionKb)));
            met.add(target(out, "idle CPU <= " + TARGET_IDLE_CORES + " core for all sessions", idle.cores() <= TARGET_IDLE_CORES,
                    String.format(Locale.ROOT, "%.3f cores for %d sessions", idle.cores(), n)));
            met.add(target(out, "every affected session on another relay within " + TARGET_REHOME.toSeconds() + " s",
                    allRehomed && worst.compareTo(TARGET_REHOME) <= 0, allRehomed
                            ? "max " + Summary.percentileMs(primaryTimes, 100) + " ms"
                            : (lostPrimary.size() - primaryTimes.size()) + " sessions not re-homed within " + o.timeout.toSeconds() + " s"));
            met.add(target(out, "0 lost", lost == 0, lost + " lost"));
            return met.contains(false) ? 1 : 0;
        } finally {
            if (load != null) {
                load.stop();
            }
            for (Session s : sessions) {
                s.manager().stop();
            }
            if (shared != null) {
                shared.close();
            }
            relays.forEach(RelayProcess::close);
        }
    }

    /**
     * How many sessions to run.
     *
     * @param asked the {@code --sessions} given, or null
     * @param fit   sessions whose sockets fit under the open-file limit
     * @return {@code asked} when it fits; by default {@value #TARGET_SESSIONS} or, when fewer fit,
     *         as many as fit; empty when more were asked for than fit
     */
    static OptionalInt sessionsToRun(Integer asked, int fit) {
        if (asked == null) {
            return OptionalInt.of(Math.min(TARGET_SESSIONS, fit));
        }
        return asked > fit ? OptionalInt.empty() : OptionalInt.of(asked);
    }

    private static boolean target(PrintStream out, String what, boolean ok, String measured) {
        out.printf(Locale.ROOT, "  %-62s %-8s (%s)%n", what, ok ? "met" : "NOT MET", measured);
        return ok;
    }

    private static boolean awaitReady(List<Session> step, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        int i = 0;
        while (i < step.size()) {
            if (step.get(i).readyPrimary(1).isPresent()) {
                i++;
                continue;
            }
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(20); // polling the sessions' state, set on other threads
        }
        return true;
    }

    private static Map<String, Integer> primaries(List<Session> sessions) {
        Map<String, Integer> m = new TreeMap<>();
        for (Session s : sessions) {
            Optional<String> p = s.status().primary();
            m.merge(p.orElse("(none)"), 1, Integer::sum);
        }
        return m;
    }

    private static void printSpread(PrintStream out, String what, Map<String, Integer> spread) {
        StringBuilder sb = new StringBuilder(what).append(':');
        spread.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
        out.println(sb);
    }
}
