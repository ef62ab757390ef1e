package io.solconnect.relay.examples.cli;

import io.solconnect.relay.api.Result;
import io.solconnect.relay.core.RelayManager;
import io.solconnect.relay.core.Schedulers;
import io.solconnect.relay.examples.Command;

import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./relay receive}: joins a room and counts the numbered messages {@code send} writes,
 * checking each sender's sequence for duplicates and reordering, until {@code --until} distinct
 * messages arrived or {@code --timeout} passed; prints failover events as they happen and ends
 * with the summary line. Exit code 0 when nothing was lost or duplicated, 1 otherwise.
 */
public final class ReceiveCommand implements Command {

    /** Creates the command. */
    public ReceiveCommand() {
    }

    @Override
    public String name() {
        return "receive";
    }

    @Override
    public String usage() {
        return "receive --relays URL,... --room R [--until N] [--timeout 60s]\n"
                + "                          [--protocol P] [--strategy S] [--config FILE] [--store-dir DIR]";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
        Args args;
        String room;
        long until;
        Duration timeout;
        try {
            Set<String> known = new HashSet<>(ClientOptions.OPTIONS);
            known.addAll(Set.of("room", "until", "timeout"));
            args = Args.parse("receive", argv, known, Set.of());
            room = args.required("room");
            until = args.integer("until", 0, 0, 100_000_000);
            timeout = args.duration("timeout", Duration.ofSeconds(60));
        } catch (Args.UsageException e) {
            err.println(e.getMessage());
            err.println("usage: ./relay " + usage());
            return 2;
        }
        Tally tally = new Tally(until);
        try (Schedulers.CloseableScheduler scheduler = Schedulers.system()) {
            Result<ClientOptions.Started> running = ClientOptions.start("receive", args, scheduler, out, err,
                    c -> c.onMessage(m -> tally.add(m.payload())));
            if (running instanceof Result.Err<ClientOptions.Started> e) {
                return ClientOptions.exitCode(e.error());
            }
            RelayManager client = running.orElseThrow().client();
            EventPrinter events = running.orElseThrow().events();
            Result<Result.Done> joined = client.join(room);
            if (joined instanceof Result.Err<Result.Done> e) {
                err.println("receive: " + e.error());
                client.stop();
                return 2;
            }
            out.println("receive ready room=" + room);
            boolean reached = tally.await(timeout);
            client.stop();
            Summary s = new Summary().delivered(tally.distinct()).duplicates(tally.duplicates()).failovers(events.failovers());
            if (until > 0) {
                s.lost(Math.max(0, until - tally.distinct()));
            }
            if (tally.reordered() > 0) {
                out.println("receive order_violations=" + tally.reordered());
            }
            out.println(s.line());
            boolean ok = tally.duplicates() == 0 && tally.reordered() == 0 && (until == 0 || reached);
            return ok ? 0 : 1;
        }
    }

    /** Counts deliveries per sender; thread-safe. */
    static final class Tally {
        private final long until;
        private final CountDownLatch reached = new CountDownLatch(1);
        private final Set<String> seen = new HashSet<>();
        private final Map<String, Long> lastSeq = new HashMap<>();
        private long duplicates;
        private long reordered;
        private long foreign;

        Tally(long until) {
            this.until = until;
        }

        synchronized void add(String payload) {
            Optional<Payloads.Header> h = Payloads.parse(payload);
            if (h.isEmpty()) {
                foreign++;
                return;
            }
            String key = h.get().from() + "#" + h.get().seq();
            if (!seen.add(key)) {
                duplicates++;
                return;
            }
            Long last = lastSeq.get(h.get().from());
            if (last != null && h.get().seq() < last) {
                reordered++;
            }
            lastSeq.merge(h.get().from(), h.get().seq(), Math::max);
            if (until > 0 && seen.size() >= until) {
                reached.countDown();
            }
        }

        boolean await(Duration timeout) throws InterruptedException {
            return reached.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        synchronized long distinct() {
            return seen.size();
        }

        synchronized long duplicates() {
            return duplicates;
        }

        synchronized long reordered() {
            return reordered;
        }

        synchronized long foreign() {
            return foreign;
        }
    }
}
