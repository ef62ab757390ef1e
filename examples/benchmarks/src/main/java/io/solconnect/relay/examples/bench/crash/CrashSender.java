package io.solconnect.relay.examples.bench.crash;

import io.solconnect.relay.api.Delivery;
import io.solconnect.relay.api.ProviderChoice;
import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.SessionState;
import io.solconnect.relay.core.ProviderRegistry;
import io.solconnect.relay.core.RelayManager;
import io.solconnect.relay.core.Schedulers;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/**
 * The sending process of {@code ./relay bench crash}, started (and killed with SIGKILL) by
 * {@link CrashBench} in its own JVM on the launcher's module path:
 * {@code java --module-path DIR -m io.solconnect.relay.examples.bench/io.solconnect.relay.examples.bench.crash.CrashSender
 * relays=URI,... room=R dir=STORE inc=K from=N rate=R size=B}.
 *
 * <p>It builds a {@code RelayManager} on the {@code file} store in {@code dir} (so a restart
 * replays what the killed process left unacknowledged in the outbox), waits until it is
 * connected and prints {@code connected <relay>}, then sends numbered payloads
 * ({@link CrashPayload}, incarnation {@code inc}, numbers from {@code from}) at {@code rate} per
 * second. After each {@code send} returns with the message accepted (with the durable store, on
 * disk) it prints {@code accepted <inc> <seq>} and flushes; a refused message prints
 * {@code refused ...} and a stage that later completes with an error {@code failed ...}. A line
 * {@code stop} (or the end of) standard input stops the sending; it then waits until the outbox
 * is empty, prints {@code drained outbox=<n>} and exits 0. Logs go to standard error.
 *
 * <p>Exit codes: 0 drained, 1 not drained within {@code drain} seconds, 2 bad arguments, 3 not
 * connected within 60 s.
 */
public final class CrashSender {

    /** The sender id every incarnation uses (the receiver sees one sender). */
    static final String SENDER_ID = "crash-sender";

    private CrashSender() {
    }

    /**
     * Runs the sender; see the class comment for the arguments.
     *
     * @param args {@code key=value} arguments
     * @throws Exception when the process cannot run at all
     */
    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        Map<String, String> a = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 1) {
                System.err.println("crash sender: key=value arguments expected, got '" + arg + "'");
                System.exit(2);
            }
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        List<RelayEndpoint> relays;
        String room;
        int inc;
        long from;
        double rate;
        int size;
        long drainSeconds;
        RelayConfig config;
        try {
            relays = Arrays.stream(need(a, "relays").split(",")).map(RelayEndpoint::of).toList();
            room = need(a, "room");
            inc = Integer.parseInt(need(a, "inc"));
            from = Long.parseLong(need(a, "from"));
            rate = Double.parseDouble(need(a, "rate"));
            size = Integer.parseInt(need(a, "size"));
            drainSeconds = Long.parseLong(a.getOrDefault("drain", "60"));
            new CrashPayload(inc, from); // checks both
            if (!(rate > 0) || size < 1) {
                throw new IllegalArgumentException("rate and size must be positive");
            }
            config = RelayConfig.custom().relays(relays).sender(SENDER_ID)
                    .store(ProviderChoice.of("file", Map.of("directory", need(a, "dir")))).build();
        } catch (IllegalArgumentException e) {
            System.err.println("crash sender: " + e.getMessage());
            System.exit(2);
            return;
        }
        Schedulers.CloseableScheduler scheduler = Schedulers.system();
        RelayManager manager = RelayManager.create(config, ProviderRegistry.load(), scheduler).orElseThrow();
        manager.start().flatMap(d -> manager.join(room)).orElseThrow();
        long connectBy = System.nanoTime() + 60_000_000_000L;
        while (manager.status().state() != SessionState.CONNECTED) {
            if (System.nanoTime() > connectBy) {
                out.println("not-connected " + manager.status().state());
                System.exit(3);
            }
            Thread.sleep(5); // polling another thread's state; nothing to wait on
        }
        out.println("connected " + manager.status().primary().orElse("-"));

        Thread stdin = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null && !l.strip().equals("stop")) {
                    // only "stop" means anything
                }
            } catch (IOException e) {
                // the harness went away: stop as on "stop"
            }
        }, "crash-sender-stdin");
        stdin.setDaemon(true);
        stdin.start();

        long interval = (long) (1e9 / rate);
        long next = System.nanoTime();
        long seq = from - 1;
        while (stdin.isAlive()) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(Math.min(wait, 50_000_000L));
                continue;
            }
            next += interval;
            long n = ++seq;
            CompletableFuture<Result<Delivery>> f = manager.send(room, new CrashPayload(inc, n).encode(size))
                    .toCompletableFuture();
            Result<Delivery> now = f.getNow(null);
            if (now != null && !now.isOk()) {
                out.println("refused " + inc + " " + n + " " + now.failure().orElseThrow());
                continue;
            }
            // send returned: with the file store the message is in the outbox on disk
            out.println("accepted " + inc + " " + n);
            f.whenComplete((r, t) -> {
                if (r == null || !r.isOk()) {
                    out.println("failed " + inc + " " + n + " " + (r != null ? r.failure().orElseThrow() : t));
                }
            });
        }
        long drainBy = System.nanoTime() + drainSeconds * 1_000_000_000L;
        while (manager.status().outboxDepth() > 0 && System.nanoTime() < drainBy) {
            Thread.sleep(10); // polling the engine's outbox; nothing to wait on
        }
        int depth = manager.status().outboxDepth();
        out.println("drained outbox=" + depth);
        manager.stop();
        scheduler.close();
        System.exit(depth == 0 ? 0 : 1);
    }

    private static String need(Map<String, String> a, String key) {
        String v = a.get(key);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException("missing argument " + key + "=...");
        }
        return v;
    }
}
