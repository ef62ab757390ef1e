package io.solconnect.relay.examples.bench.throughput;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.solconnect.relay.api.ProviderChoice;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.core.ProviderRegistry;
import io.solconnect.relay.core.RelayManager;
import io.solconnect.relay.core.Schedulers;
import io.solconnect.relay.examples.Benchmark;
import io.solconnect.relay.examples.bench.BenchCli;
import io.solconnect.relay.examples.commandline.Cli;
import io.solconnect.relay.examples.cli.Payloads;
import io.solconnect.relay.examples.server.RelayServer;
import org.glassfish.tyrus.client.ClientManager;
import picocli.CommandLine;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code ./relay bench throughput}: a {@code RelayManager} (tyrus transport, {@code memory} store,
 * default settings) against a careful plain Tyrus client ({@link RawClient}: the same Tyrus client
 * setup as the transport, asynchronous sends, one message per frame) on the same local relay, same
 * payload sizes, in alternating rounds of the same run.
 *
 * <p>Throughput: one sender and one receiver in a room; the sender keeps at most {@code --window}
 * messages unacknowledged (a relay {@code sync_ack} frees a slot per message it names); a round's
 * figure is {@code messages / (last delivery at the receiver - first send)}, and each measured
 * round pairs a manager and a raw run (in alternating order): the run's ratio is the median of
 * the per-round ratios. Latency: from the send call (after the window slot was taken, on both
 * sides) to the receiver's message callback, per message, under saturation in the throughput
 * rounds and at fixed rates below it ({@code --rates}). {@code --jvms N} runs the whole benchmark
 * in N fresh JVMs one after another and prints each run's figures and their medians and spread.
 */
public final class ThroughputBench implements Benchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Prefix of the machine-readable lines a run prints, which {@code --jvms} collects. */
    static final String SUMMARY = "summary ";

    /** Creates the command. */
    public ThroughputBench() {
    }

    @Override
    public String name() {
        return "throughput";
    }

    /** The command line of {@code bench throughput}, filled by picocli. */
    @CommandLine.Command(name = "throughput", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
            sortOptions = false, description = {"RelayManager against a raw Tyrus client on one local relay, alternating rounds",
                    "Prints each round, the per-round paired ratios manager/raw and their median, and latency at fixed rates."})
    static final class Options implements Cli.Checked {
        @CommandLine.Option(names = "--size", paramLabel = "BYTES[,BYTES...]", split = ",", defaultValue = "256",
                description = "payload sizes, each 64..1048576, run one after another (default: ${DEFAULT-VALUE}; e.g. 64,256,4096)")
        List<Long> sizes;

        @CommandLine.Option(names = "--messages", paramLabel = "N", defaultValue = "20000",
                description = "messages per throughput round, 1..10000000 (default: ${DEFAULT-VALUE})")
        long messages;

        @CommandLine.Option(names = "--rounds", paramLabel = "N", defaultValue = "5",
                description = "measured rounds per side, 1..1000 (default: ${DEFAULT-VALUE})")
        long rounds;

        @CommandLine.Option(names = "--warmup", paramLabel = "N", defaultValue = "3",
                description = "warm-up rounds per side before the first size, 0..100 (default: ${DEFAULT-VALUE})")
        long warmup;

        @CommandLine.Option(names = "--window", paramLabel = "N", defaultValue = "500",
                description = "unacknowledged messages at most, 1..100000 (default: ${DEFAULT-VALUE})")
        long window;

        @CommandLine.Option(names = "--rates", paramLabel = "MSG_PER_S[,...]", split = ",", defaultValue = "1000,10000",
                description = "fixed send rates for the latency runs, each 1..1000000; 0 for none (default: ${DEFAULT-VALUE})")
        List<Long> rates;

        @CommandLine.Option(names = "--rate-seconds", paramLabel = "S", defaultValue = "5",
                description = "length of each fixed-rate run per side, 1..600 s (default: ${DEFAULT-VALUE})")
        long rateSeconds;

        @CommandLine.Option(names = "--jvms", paramLabel = "N", defaultValue = "1",
                description = "separate JVM runs, one after another, 1..100; with more than one, prints each run's "
                        + "figures and the median and spread (default: ${DEFAULT-VALUE}; use at least 5 for a figure)")
        long jvms;

        @Override
        public void check() throws Cli.UsageException {
            for (long s : sizes) {
                Cli.range("--size", s, 64, 1024 * 1024);
            }
            Cli.range("--messages", messages, 1, 10_000_000);
            Cli.range("--rounds", rounds, 1, 1000);
            Cli.range("--warmup", warmup, 0, 100);
            Cli.range("--window", window, 1, 100_000);
            for (long r : rates) {
                Cli.range("--rates", r, 0, 1_000_000);
            }
            Cli.range("--rate-seconds", rateSeconds, 1, 600);
            Cli.range("--jvms", jvms, 1, 100);
        }
    }

    @Override
    public String usage() {
        return BenchCli.usage(this, new Options());
    }

    private interface Side extends AutoCloseable {
        /** Takes a window slot, then notes the send time in {@code r} and sends. */
        void send(int seq, String payload, Round r) throws Exception;

        void round(Round r);
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
        return BenchCli.run(this, new Options(), argv, out, err, o -> measure(o, argv, out, err));
    }

    private int measure(Options o, List<String> argv, PrintStream out, PrintStream err) throws Exception {
        if (o.jvms > 1) {
            return new JvmRuns(out, err).run(argv, (int) o.jvms);
        }
        int messages = (int) o.messages;
        int window = (int) o.window;
        List<Long> rates = o.rates.stream().filter(r -> r > 0).toList();
        out.printf(Locale.ROOT, "bench throughput: 1 local relay, sender -> relay -> receiver, payloads %s B, %d messages"
                + " per round, window %d unacknowledged, %d warm-up and %d measured rounds per side, alternating;"
                + " fixed rates %s msg/s for %d s per side%n", o.sizes, messages, window, o.warmup, o.rounds, rates, o.rateSeconds);
        out.println("manager = RelayManager, tyrus transport, memory store, default settings; raw = plain Tyrus client"
                + " with the transport's client setup, asynchronous sends, one message per frame");
        boolean clean = true;
        try (RelayServer relay = RelayServer.start();
             Schedulers.CloseableScheduler s1 = Schedulers.system();
             Schedulers.CloseableScheduler s2 = Schedulers.system();
             Side manager = managerSide(relay, window, s1, s2);
             Side raw = rawSide(relay, window)) {
            for (int i = 0; i < o.warmup; i++) {
                for (Side side : i % 2 == 0 ? List.of(manager, raw) : List.of(raw, manager)) {
                    Round.Figures f = runRound(side, messages, (int) (long) o.sizes.get(0));
                    out.println("warmup " + (i + 1) + " " + (side == manager ? "manager" : "raw") + " " + f.format());
                }
            }
            for (long sizeL : o.sizes) {
                int size = (int) sizeL;
                List<Round.Figures> m = new ArrayList<>();
                List<Round.Figures> r = new ArrayList<>();
                List<Double> ratios = new ArrayList<>();
                for (int i = 1; i <= o.rounds; i++) {
                    Round.Figures fm = null;
                    Round.Figures fr = null;
                    for (Side side : i % 2 == 1 ? List.of(manager, raw) : List.of(raw, manager)) {
                        Round.Figures f = runRound(side, messages, size);
                        if (side == manager) {
                            fm = f;
                        } else {
                            fr = f;
                        }
                    }
                    m.add(fm);
                    r.add(fr);
                    ratios.add(fm.perSecond() / fr.perSecond());
                    out.printf(Locale.ROOT, "size %d round %d manager %s%nsize %d round %d raw     %s ratio=%.2f%n", size, i,
                            fm.format(), size, i, fr.format(), fm.perSecond() / fr.perSecond());
                }
                Round.Figures mm = median(m);
                Round.Figures rm = median(r);
                double ratio = med(ratios.stream().mapToDouble(Double::doubleValue).toArray());
                out.printf(Locale.ROOT, "size %d median manager %s%n", size, mm.format());
                out.printf(Locale.ROOT, "size %d median raw     %s%n", size, rm.format());
                out.printf(Locale.ROOT, "size %d paired ratio manager/raw throughput: median %.2f (min %.2f, max %.2f over %d"
                                + " rounds; target >= 3 at 256 B)%n", size, ratio, min(ratios), max(ratios), ratios.size());
                out.printf(Locale.ROOT, SUMMARY + "size=%d ratio=%.4f manager_msg_per_s=%.0f raw_msg_per_s=%.0f"
                                + " manager_p99_ms=%.3f raw_p99_ms=%.3f%n", size, ratio, mm.perSecond(), rm.perSecond(),
                        mm.p99Ms(), rm.p99Ms());
                clean &= m.stream().allMatch(f -> f.lost() == 0 && f.duplicates() == 0)
                        && r.stream().allMatch(f -> f.lost() == 0 && f.duplicates() == 0);
                for (long rate : rates) {
                    Round.Figures lm = null;
                    Round.Figures lr = null;
                    for (Side side : List.of(raw, manager)) {
                        Round.Figures f = runAtRate(side, (int) rate, (int) o.rateSeconds, size, window);
                        out.printf(Locale.ROOT, "size %d rate %d %s %s%n", size, rate, side == manager ? "manager" : "raw    ",
                                f.format());
                        if (side == manager) {
                            lm = f;
                        } else {
                            lr = f;
                        }
                        clean &= f.lost() == 0 && f.duplicates() == 0;
                    }
                    out.printf(Locale.ROOT, SUMMARY + "size=%d rate=%d manager_p50_ms=%.3f manager_p99_ms=%.3f raw_p50_ms=%.3f"
                                    + " raw_p99_ms=%.3f%n", size, rate, lm.p50Ms(), lm.p99Ms(), lr.p50Ms(), lr.p99Ms());
                }
            }
            return clean ? 0 : 1;
        }
    }

    private static Round.Figures runRound(Side side, int messages, int size) throws Exception {
        Round round = new Round(messages);
        side.round(round);
        for (int seq = 1; seq <= messages; seq++) {
            side.send(seq, Payloads.make(seq, "tp", System.currentTimeMillis(), size), round);
        }
        round.await(Math.max(30_000, messages / 10));
        return round.figures();
    }

    /**
     * Sends {@code rate} messages a second for {@code seconds}, each at its planned moment (the
     * payload is made before), and measures each from its send call.
     */
    private static Round.Figures runAtRate(Side side, int rate, int seconds, int size, int window) throws Exception {
        int messages = (int) Math.min(Integer.MAX_VALUE - 1L, (long) rate * seconds);
        Round round = new Round(messages);
        side.round(round);
        long period = 1_000_000_000L / rate;
        long start = System.nanoTime() + 1_000_000;
        for (int seq = 1; seq <= messages; seq++) {
            String payload = Payloads.make(seq, "tp", System.currentTimeMillis(), size);
            long due = start + (seq - 1) * period;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                if (wait > 200_000) {
                    LockSupport.parkNanos(wait - 100_000);
                } else {
                    Thread.onSpinWait();
                }
            }
            side.send(seq, payload, round);
        }
        round.await(Math.max(30_000, messages / 10));
        return round.figures();
    }

    private static Round.Figures median(List<Round.Figures> list) {
        return new Round.Figures(med(list.stream().mapToDouble(Round.Figures::perSecond).toArray()),
                med(list.stream().mapToDouble(Round.Figures::p50Ms).toArray()),
                med(list.stream().mapToDouble(Round.Figures::p99Ms).toArray()),
                list.stream().mapToLong(Round.Figures::lost).sum(), list.stream().mapToLong(Round.Figures::duplicates).sum());
    }

    private static double min(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    private static double max(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    static double med(double[] v) {
        java.util.Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static long seqOf(String payload) {
        return Payloads.parse(payload).map(Payloads.Header::seq).orElse(-1L);
    }

    private static Side managerSide(RelayServer relay, int window, Schedulers.CloseableScheduler s1,
                                    Schedulers.CloseableScheduler s2) throws Exception {
        RelayConfig config = RelayConfig.custom().addRelay(relay.uri().toString()).store(ProviderChoice.of("memory")).build();
        RelayManager sender = create(config, s1);
        RelayManager receiver = create(config, s2);
        String room = "tp-manager";
        Semaphore slots = new Semaphore(window);
        Round[] current = new Round[1];
        receiver.onMessage(m -> {
            Round r;
            synchronized (current) {
                r = current[0];
            }
            if (r != null) {
                r.delivered(seqOf(m.payload()), System.nanoTime());
            }
        });
        receiver.start().flatMap(d -> receiver.join(room)).orElseThrow();
        sender.start().flatMap(d -> sender.join(room)).orElseThrow();
        awaitConnected(receiver);
        awaitConnected(sender);
        return new Side() {
            @Override
            public void send(int seq, String payload, Round r) throws Exception {
                if (!slots.tryAcquire(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("no acknowledgement for 30 s");
                }
                r.sent(seq, System.nanoTime());
                sender.send(room, payload).whenComplete((res, t) -> slots.release());
            }

            @Override
            public void round(Round r) {
                synchronized (current) {
                    current[0] = r;
                }
            }

            @Override
            public void close() {
                sender.stop();
                receiver.stop();
            }
        };
    }

    private static void awaitConnected(RelayManager client) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (client.status().primary().isEmpty()) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("client did not connect within 10 s");
            }
            Thread.sleep(10);
        }
    }

    private static RelayManager create(RelayConfig config, Schedulers.CloseableScheduler scheduler) {
        Result<RelayManager> r = RelayManager.create(config, ProviderRegistry.load(), scheduler);
        if (r instanceof Result.Err<RelayManager> e) {
            throw new IllegalStateException("cannot create a client: " + e.error());
        }
        return r.orElseThrow();
    }

    private static Side rawSide(RelayServer relay, int window) throws Exception {
        ClientManager tyrus = RawClient.manager(RelayConfig.custom().addRelay(relay.uri().toString()).build()
                .outbox().maxMessageBytes());
        String room = "tp-raw";
        Semaphore slots = new Semaphore(window);
        Round[] current = new Round[1];
        RawClient receiver = RawClient.connect(tyrus, relay.uri(), frame -> {
            JsonNode msg = frame.get("message");
            if (msg != null && msg.isTextual() && room.equals(frame.path("roomId").asText())) {
                Round r;
                synchronized (current) {
                    r = current[0];
                }
                if (r != null) {
                    r.delivered(seqOf(msg.asText()), System.nanoTime());
                }
            }
        });
        RawClient sender = RawClient.connect(tyrus, relay.uri(), frame -> {
            if ("sync_ack".equals(frame.path("type").asText())) {
                slots.release(frame.path("acknowledgedMessageIds").size());
            }
        });
        receiver.send(JSON.createObjectNode().put("type", "join").put("roomId", room).put("message", "").toString());
        return new Side() {
            @Override
            public void send(int seq, String payload, Round r) throws Exception {
                if (!slots.tryAcquire(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("no acknowledgement for 30 s");
                }
                r.sent(seq, System.nanoTime()); // like the manager's send call, which encodes inside
                String id = "raw-" + System.nanoTime() + "-" + seq;
                String now = Instant.now().toString();
                ObjectNode inner = JSON.createObjectNode().put("sender_wallet", "raw-sender").put("ciphertext", payload)
                        .put("timestamp", now).put("session_id", room).put("messageId", id);
                ObjectNode frame = JSON.createObjectNode().put("type", "sync_update").put("sessionId", room)
                        .put("deviceId", "raw-sender").put("timestamp", now).put("messageId", id);
                frame.putArray("messages").addObject().set("message", inner);
                sender.send(frame.toString());
            }

            @Override
            public void round(Round r) {
                synchronized (current) {
                    current[0] = r;
                }
            }

            @Override
            public void close() throws Exception {
                sender.close();
                receiver.close();
                tyrus.shutdown();
            }
        };
    }

}
