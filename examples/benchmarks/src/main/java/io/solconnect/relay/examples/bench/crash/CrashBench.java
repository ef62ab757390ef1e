package io.solconnect.relay.examples.bench.crash;

import io.solconnect.relay.api.ProviderChoice;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.SessionState;
import io.solconnect.relay.core.ProviderRegistry;
import io.solconnect.relay.core.RelayManager;
import io.solconnect.relay.core.Schedulers;
import io.solconnect.relay.examples.Benchmark;
import io.solconnect.relay.examples.bench.BenchCli;
import io.solconnect.relay.examples.cli.Summary;
import io.solconnect.relay.examples.commandline.Cli;
import io.solconnect.relay.examples.server.RelayServer;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code ./relay bench crash}: a sender process on the {@code file} store killed with SIGKILL at
 * random moments while it sends, and restarted each time on the same store directory; a receiver
 * must get every message the sender confirmed exactly once, in send order.
 *
 * <p>In this JVM: the reference relays ({@link RelayServer}) and a receiving {@code RelayManager}
 * ({@code memory} store). In a child JVM on the same module path: {@link CrashSender}, which
 * prints a confirmation per message once {@code send} returned with it in the durable outbox.
 * Each incarnation continues numbering after the highest number confirmed so far. The harness
 * waits until the incarnation is connected, lets it send for a random delay (seeded; the seed is
 * printed, {@code --seed} repeats a run) and kills it with {@link ProcessHandle#destroyForcibly()},
 * which on Linux sends SIGKILL (the exit code, 137, is checked). After the last kill one more
 * incarnation replays the outbox, stops sending and drains. Printed: per kill the delay, what the
 * incarnation confirmed and the restart time (kill to the next incarnation connected, JVM start
 * included); at the end kills, confirmed, delivered, lost, duplicates and out-of-order
 * deliveries. Exit 0 only when nothing was lost, duplicated or reordered.
 */
public final class CrashBench implements Benchmark {

    private static final String ROOM = "crash";
    private static final String MAIN = "io.solconnect.relay.examples.bench/" + CrashSender.class.getName();

    /** Creates the command. */
    public CrashBench() {
    }

    @Override
    public String name() {
        return "crash";
    }

    /** The command line of {@code bench crash}, filled by picocli. */
    @CommandLine.Command(name = "crash", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
            sortOptions = false, description = {"SIGKILL a sending process (file store) at random points; lost and duplicates",
                    "Kills and restarts a sender JVM --kills times while it sends to a receiver through local relays."})
    static final class Options implements Cli.Checked {
        @CommandLine.Option(names = "--kills", paramLabel = "N", defaultValue = "50",
                description = "how many times the sender is killed, 1..10000 (default: ${DEFAULT-VALUE})")
        long kills;

        @CommandLine.Option(names = "--seed", paramLabel = "N",
                description = "seed of the random kill delays (default: a new one, printed)")
        Long seed;

        @CommandLine.Option(names = "--min-delay", paramLabel = "DURATION", defaultValue = "50ms",
                converter = Cli.DurationOrZero.class,
                description = "shortest time a sender runs after connecting before it is killed (default: ${DEFAULT-VALUE})")
        Duration minDelay;

        @CommandLine.Option(names = "--max-delay", paramLabel = "DURATION", defaultValue = "1500ms",
                converter = Cli.PositiveDuration.class,
                description = "longest time a sender runs after connecting before it is killed (default: ${DEFAULT-VALUE})")
        Duration maxDelay;

        @CommandLine.Option(names = "--rate", paramLabel = "N/s", defaultValue = "300", converter = Cli.Rate.class,
                description = "messages per second the sender tries to send (default: ${DEFAULT-VALUE})")
        double rate;

        @CommandLine.Option(names = "--size", paramLabel = "BYTES", defaultValue = "256",
                description = "payload size, 64..65536 (default: ${DEFAULT-VALUE})")
        long size;

        @CommandLine.Option(names = "--relays", paramLabel = "N", defaultValue = "3",
                description = "relays, 1..16 (default: ${DEFAULT-VALUE})")
        long relays;

        @CommandLine.Option(names = "--dir", paramLabel = "DIR",
                description = "working directory for the sender's store and logs (default: a new temporary one, removed after a clean run)")
        Path dir;

        @CommandLine.Option(names = "--module-path", paramLabel = "PATH",
                description = "module path of the sender JVM (default: this JVM's)")
        String modulePath;

        @CommandLine.Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "60s",
                converter = Cli.PositiveDuration.class,
                description = "longest wait for a sender to connect, and for the final drain and deliveries (default: ${DEFAULT-VALUE})")
        Duration timeout;

        @Override
        public void check() throws Cli.UsageException {
            Cli.range("--kills", kills, 1, 10_000);
            Cli.range("--size", size, 64, 65_536);
            Cli.range("--relays", relays, 1, 16);
            if (minDelay.compareTo(maxDelay) > 0) {
                throw new Cli.UsageException("--min-delay (" + minDelay.toMillis() + " ms) must not exceed --max-delay ("
                        + maxDelay.toMillis() + " ms)");
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
        long seed = o.seed != null ? o.seed : System.nanoTime() ^ System.currentTimeMillis();
        Random random = new Random(seed);
        boolean tempDir = o.dir == null;
        Path dir = tempDir ? Files.createTempDirectory("relay-crash-") : Files.createDirectories(o.dir);
        Path store = dir.resolve("store");
        if (Files.exists(store)) {
            err.println("bench crash: " + store + " exists; give an empty --dir");
            return Cli.USAGE;
        }
        out.printf(Locale.ROOT, "bench crash: %d relays, sender JVM (file store in %s) -> receiver, %.0f msg/s, %d B; "
                        + "%d kills (SIGKILL) after %d..%d ms of sending, seed %d%n", o.relays, store, o.rate, o.size,
                o.kills, o.minDelay.toMillis(), o.maxDelay.toMillis(), seed);
        out.println("restart_ms = kill -> the next sender JVM connected (JVM start, store open, connect)");
        List<RelayServer> relays = new ArrayList<>();
        Schedulers.CloseableScheduler scheduler = Schedulers.system();
        RelayManager receiver = null;
        SenderProcess current = null;
        try {
            for (int i = 0; i < o.relays; i++) {
                relays.add(RelayServer.start());
            }
            String list = relays.stream().map(r -> r.uri().toString()).collect(Collectors.joining(","));
            DeliveryLedger ledger = new DeliveryLedger();
            RelayConfig config = RelayConfig.custom().relays(relays.stream().map(r -> RelayEndpoint.of(r.uri().toString())).toList())
                    .store(ProviderChoice.of("memory")).build();
            receiver = RelayManager.create(config, ProviderRegistry.load(), scheduler).orElseThrow();
            receiver.onMessage(m -> ledger.delivered(m.payload()));
            RelayManager rcv = receiver;
            receiver.start().flatMap(d -> rcv.join(ROOM)).orElseThrow();
            if (!awaitConnected(receiver, o.timeout)) {
                err.println("bench crash: the receiver did not connect within " + o.timeout.toSeconds() + " s");
                return 1;
            }

            AtomicLong highest = new AtomicLong();
            List<Duration> restarts = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            int sigkills = 0;
            long killedAt = -1;
            String killLine = "";
            for (int inc = 1; inc <= o.kills + 1; inc++) {
                long from = highest.get() + 1;
                current = new SenderProcess(command(o, list, store, inc, from), dir.resolve("sender.log"), ledger, highest);
                long connectedAt = current.awaitConnected(o.timeout);
                if (connectedAt < 0) {
                    err.println("bench crash: sender #" + inc + " did not connect within " + o.timeout.toSeconds()
                            + " s; its output:\n" + current.tail() + "\n(its log: " + dir.resolve("sender.log") + ")");
                    return 1;
                }
                if (killedAt >= 0) {
                    Duration restart = Duration.ofNanos(connectedAt - killedAt);
                    restarts.add(restart);
                    out.printf(Locale.ROOT, "%s restart_ms=%.0f%n", killLine, restart.toNanos() / 1e6);
                }
                if (inc > o.kills) {
                    break;
                }
                long delay = o.minDelay.toMillis() + (long) (random.nextDouble() * (o.maxDelay.toMillis() - o.minDelay.toMillis()));
                Thread.sleep(delay); // the random moment of the kill: the sender runs meanwhile
                killedAt = System.nanoTime();
                int code = current.kill();
                sigkills += code == 137 ? 1 : 0;
                failures.addAll(current.failures());
                // printed with the restart time, once the next incarnation connected
                killLine = String.format(Locale.ROOT, "kill #%d after_ms=%d from_seq=%d confirmed=%d highest=%d exit=%d%s",
                        inc, delay, from, current.confirmed(), highest.get(), code, code == 137 ? "" : " (not SIGKILL!)");
                current = null;
            }
            int drainExit = current.stopAndDrain(o.timeout.plusSeconds(10));
            failures.addAll(current.failures());
            current = null;
            long end = System.nanoTime() + o.timeout.toNanos();
            while (ledger.lost() > 0 && System.nanoTime() < end) {
                Thread.sleep(20); // polling the receiver's tally; nothing to wait on
            }
            Thread.sleep(1000); // late copies of anything would show as duplicates
            long lost = ledger.lost();
            long dups = ledger.duplicates();
            long ooo = ledger.outOfOrder();
            out.printf(Locale.ROOT, "restart_ms p50=%s p99=%s max=%s%n", Summary.percentileMs(restarts, 50),
                    Summary.percentileMs(restarts, 99), Summary.percentileMs(restarts, 100));
            if (lost > 0) {
                out.println("lost (first 20): " + String.join(" ", ledger.lostExamples(20)));
            }
            if (ledger.unconfirmedDelivered() > 0) { // accepted, but killed before it printed the confirmation
                out.println("delivered, not confirmed (first 10): " + String.join(" ", ledger.unconfirmedExamples(10)));
            }
            if (ooo > 0) {
                out.println("out of order (first 10): " + String.join("; ", ledger.outOfOrderExamples()));
            }
            for (String f : failures.subList(0, Math.min(10, failures.size()))) {
                out.println("sender: " + f);
            }
            out.printf(Locale.ROOT, "summary kills=%d sigkill_exits=%d confirmed=%d delivered=%d lost=%d duplicates=%d "
                            + "out_of_order=%d unconfirmed_delivered=%d failed_sends=%d final_drain_exit=%d seed=%d%n",
                    o.kills, sigkills, ledger.confirmedCount(), ledger.deliveredCount(), lost, dups, ooo,
                    ledger.unconfirmedDelivered(), failures.size(), drainExit, seed);
            boolean ok = lost == 0 && dups == 0 && ooo == 0 && sigkills == o.kills && drainExit == 0 && ledger.foreign() == 0;
            if (ok && tempDir) {
                deleteTree(dir);
            } else {
                out.println("sender store and log kept in " + dir);
            }
            return ok ? 0 : 1;
        } finally {
            if (current != null) {
                current.destroy();
            }
            if (receiver != null) {
                receiver.stop();
            }
            scheduler.close();
            relays.forEach(RelayServer::close);
        }
    }

    private static List<String> command(Options o, String relays, Path store, int inc, long from) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx256m",
                "--module-path", o.modulePath, "-m", MAIN,
                "relays=" + relays, "room=" + ROOM, "dir=" + store, "inc=" + inc, "from=" + from,
                "rate=" + o.rate, "size=" + o.size, "drain=" + o.timeout.toSeconds());
    }

    private static boolean awaitConnected(RelayManager m, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (m.status().state() != SessionState.CONNECTED) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(10); // polling another thread's state
        }
        return true;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
