package io.solconnect.relay.examples.cli;

import io.solconnect.relay.examples.commandline.Cli;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.core.RelayManager;
import io.solconnect.relay.core.Schedulers;
import io.solconnect.relay.examples.Command;
import picocli.CommandLine;

import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./relay receive}: joins a room and counts the numbered messages {@code send} writes,
 * checking each sender's sequence for duplicates and reordering, until {@code --until} distinct
 * messages arrived or {@code --timeout} passed; prints failover events as they happen (and a
 * progress line once a second on a terminal) and ends with the summary line. Exit code 0 when
 * nothing was lost or duplicated, 1 otherwise, 2 for a bad command line.
 */
public final class ReceiveCommand implements Command {

    /** The command line of {@code receive}, filled by picocli. */
    @CommandLine.Command(name = "receive", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
            sortOptions = false, description = {"count the numbered messages send writes to a room, then print the summary line",
                    "Exit code 0 when nothing was lost, duplicated or reordered, 1 otherwise, 2 for a bad command line."})
    static final class Options implements Cli.Checked {
        @CommandLine.Option(names = "--room", required = true, paramLabel = "R", description = "the room to join")
        String room;

        @CommandLine.Option(names = "--until", paramLabel = "N", defaultValue = "0",
                description = "stop after N distinct messages; 0 waits for --timeout (default: ${DEFAULT-VALUE})")
        long until;

        @CommandLine.Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "60s",
                converter = Cli.PositiveDuration.class, description = "longest time to wait (default: ${DEFAULT-VALUE})")
        Duration timeout;

        @CommandLine.Mixin
        ClientOptions client = new ClientOptions();

        @Override
        public void check() throws Cli.UsageException {
            Cli.range("--until", until, 0, 100_000_000);
        }
    }

    /** Creates the command. */
    public ReceiveCommand() {
    }

    @Override
    public String name() {
        return "receive";
    }

    @Override
    public String usage() {
        return Cli.summary(name(), new Options());
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
        Options o = new Options();
        OptionalInt parsed = Cli.parse(name(), o, argv, out, err);
        if (parsed.isPresent()) {
            return parsed.getAsInt();
        }
        String room = o.room;
        long until = o.until;
        Duration timeout = o.timeout;
        Tally tally = new Tally(until);
        try (Schedulers.CloseableScheduler scheduler = Schedulers.system()) {
            Result<ClientOptions.Started> running = ClientOptions.start("receive", o.client, scheduler, out, err,
                    c -> {
                        c.onMessage(m -> tally.add(m.payload()));
                        // Joining before start gives the balancer the room key for the first pick,
                        // so sender and receiver start on the same relay.
                        c.join(room);
                    });
            if (running instanceof Result.Err<ClientOptions.Started> e) {
                return ClientOptions.exitCode(e.error());
            }
            RelayManager client = running.orElseThrow().client();
            EventPrinter events = running.orElseThrow().events();
            out.println("receive ready room=" + room);
            Progress progress = Progress.onTerminal(scheduler, out, "receive", () -> "delivered=" + tally.distinct()
                    + (until > 0 ? "/" + until : "") + " duplicates=" + tally.duplicates() + " failovers="
                    + events.failovers().size());
            boolean reached = tally.await(timeout);
            progress.stop();
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
