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
import java.util.OptionalInt;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./relay bench throughput}: a {@code RelayManager} (tyrus transport, {@code memory} store,
 * default settings) against a plain Tyrus client on the same local relay, same payload size, in
 * alternating rounds of the same run.
 *
 * <p>Throughput: one sender and one receiver in a room; the sender keeps at most {@code --window}
 * messages unacknowledged (a relay {@code sync_ack} frees a slot); a round's figure is
 * {@code messages / (last delivery at the receiver - first send)}. Latency: from the send call to
 * the receiver's message callback, per message. The raw client writes the same {@code sync_update}
 * frame shape and parses every inbound frame with Jackson, but has no outbox, dedup or ordering.
 */
public final class ThroughputBench implements Benchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

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
                    "Prints each round, the medians and the ratio manager/raw."})
    static final class Options implements Cli.Checked {
        @CommandLine.Option(names = "--size", paramLabel = "BYTES", defaultValue = "256",
                description = "payload size, 64..1048576 (default: ${DEFAULT-VALUE})")
        long size;

        @CommandLine.Option(names = "--messages", paramLabel = "N", defaultValue = "20000",
                description = "messages per round, 1..10000000 (default: ${DEFAULT-VALUE})")
        long messages;

        @CommandLine.Option(names = "--rounds", paramLabel = "N", defaultValue = "5",
                description = "measured rounds per side after one warm-up, 1..1000 (default: ${DEFAULT-VALUE})")
        long rounds;

        @CommandLine.Option(names = "--window", paramLabel = "N", defaultValue = "500",
                description = "unacknowledged messages at most, 1..100000 (default: ${DEFAULT-VALUE})")
        long window;

        @CommandLine.Option(names = "--raw-no-idle-timeout",
                description = "turn off the raw sessions' idle timeout too (the tyrus transport does), to compare the engine alone")
        boolean rawNoIdleTimeout;

        @Override
        public void check() throws Cli.UsageException {
            Cli.range("--size", size, 64, 1024 * 1024);
            Cli.range("--messages", messages, 1, 10_000_000);
            Cli.range("--rounds", rounds, 1, 1000);
            Cli.range("--window", window, 1, 100_000);
        }
    }

    @Override
    public String usage() {
        return Cli.summary("bench " + name(), new Options());
    }

    private interface Side extends AutoCloseable {
        void send(int seq, String payload) throws Exception;

        void round(Round r);
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
        Options o = new Options();
        OptionalInt parsed = Cli.parse("bench " + name(), o, argv, out, err);
        if (parsed.isPresent()) {
            return parsed.getAsInt();
        }
        int size = (int) o.size;
        int messages = (int) o.messages;
        int rounds = (int) o.rounds;
        int window = (int) o.window;
        boolean rawNoIdle = o.rawNoIdleTimeout;
        out.printf(Locale.ROOT, "bench throughput: 1 local relay, sender -> relay -> receiver, %d B payloads, %d messages"
                + " per round, window %d unacknowledged, %d measured rounds per side after 1 warm-up, alternating%n",
                size, messages, window, rounds);
        out.println("manager = RelayManager, tyrus transport, memory store, default settings; raw = plain Tyrus client"
                + (rawNoIdle ? " with session idle timeout off" : ", Tyrus defaults"));
        try (RelayServer relay = RelayServer.start();
             Schedulers.CloseableScheduler s1 = Schedulers.system();
             Schedulers.CloseableScheduler s2 = Schedulers.system();
             Side manager = managerSide(relay, window, s1, s2);
             Side raw = rawSide(relay, window, rawNoIdle)) {
            List<Round.Figures> m = new ArrayList<>();
            List<Round.Figures> r = new ArrayList<>();
            for (int i = 0; i <= rounds; i++) {
                for (Side side : i % 2 == 0 ? List.of(manager, raw) : List.of(raw, manager)) {
                    Round.Figures f = runRound(side, messages, size);
                    String label = side == manager ? "manager" : "raw";
                    out.println((i == 0 ? "warmup " : "round " + i + " ") + label + " " + f.format());
                    if (i > 0) {
                        (side == manager ? m : r).add(f);
                    }
                }
            }
            Round.Figures mm = median(m);
            Round.Figures rm = median(r);
            out.println("median manager " + mm.format());
            out.println("median raw     " + rm.format());
            out.printf(Locale.ROOT, "ratio manager/raw throughput=%.2f (target >= 0.80) p50_latency=%.2fx p99_latency=%.2fx%n",
                    mm.perSecond() / rm.perSecond(), mm.p50Ms() / rm.p50Ms(), mm.p99Ms() / rm.p99Ms());
            boolean clean = m.stream().allMatch(f -> f.lost() == 0 && f.duplicates() == 0)
                    && r.stream().allMatch(f -> f.lost() == 0 && f.duplicates() == 0);
            return clean ? 0 : 1;
        }
    }

    private static Round.Figures runRound(Side side, int messages, int size) throws Exception {
        Round round = new Round(messages);
        side.round(round);
        String pad = Payloads.make(0, "tp", 0, size); // warm the string builder path; not sent
        if (pad.isEmpty()) {
            throw new IllegalStateException();
        }
        for (int seq = 1; seq <= messages; seq++) {
            String payload = Payloads.make(seq, "tp", System.currentTimeMillis(), size);
            round.sent(seq, System.nanoTime());
            side.send(seq, payload);
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

    private static double med(double[] v) {
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
            public void send(int seq, String payload) throws Exception {
                if (!slots.tryAcquire(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("no acknowledgement for 30 s");
                }
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

    private static Side rawSide(RelayServer relay, int window, boolean noIdleTimeout) throws Exception {
        ClientManager tyrus = ClientManager.createClient();
        if (noIdleTimeout) {
            tyrus.setDefaultMaxSessionIdleTimeout(-1); // as the tyrus transport does
        }
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
            public void send(int seq, String payload) throws Exception {
                if (!slots.tryAcquire(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("no acknowledgement for 30 s");
                }
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
