package io.solconnect.relay.examples.cli;

import io.solconnect.relay.examples.commandline.Cli;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.core.RelayManager;
import io.solconnect.relay.core.Schedulers;
import io.solconnect.relay.examples.Command;
import picocli.CommandLine;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code ./relay send}: sends {@code --count} numbered messages to a room at {@code --rate}, prints
 * failover events as they happen (and a progress line once a second on a terminal), waits for
 * the acknowledgements and ends with the summary line. Exit code 0 when every message was
 * acknowledged, 1 otherwise, 2 for a bad command line.
 */
public final class SendCommand implements Command {

    /** The command line of {@code send}, filled by picocli. */
    @CommandLine.Command(name = "send", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
            sortOptions = false, description = {"send numbered messages to a room through the relays, then print the summary line",
                    "Exit code 0 when every message was acknowledged, 1 otherwise, 2 for a bad command line."})
    static final class Options implements Cli.Checked {
        @CommandLine.Option(names = "--room", required = true, paramLabel = "R", description = "the room to send to")
        String room;

        @CommandLine.Option(names = "--count", required = true, paramLabel = "N", description = "messages to send, 1..100000000")
        long count;

        @CommandLine.Option(names = "--rate", paramLabel = "N/s", defaultValue = "100", converter = Cli.Rate.class,
                description = "messages per second (default: ${DEFAULT-VALUE})")
        double rate;

        @CommandLine.Option(names = "--size", paramLabel = "BYTES", defaultValue = "256",
                description = "payload size, 48..16777216 (default: ${DEFAULT-VALUE})")
        long size;

        @CommandLine.Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s",
                converter = Cli.PositiveDuration.class,
                description = "how long to wait for the acknowledgements after the last send (default: ${DEFAULT-VALUE})")
        Duration timeout;

        @CommandLine.Mixin
        ClientOptions client = new ClientOptions();

        @Override
        public void check() throws Cli.UsageException {
            Cli.range("--count", count, 1, 100_000_000);
            Cli.range("--size", size, 48, 16 * 1024 * 1024);
        }
    }

    /** Creates the command. */
    public SendCommand() {
    }

    @Override
    public String name() {
        return "send";
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
        long count = o.count;
        double rate = o.rate;
        int size = (int) o.size;
        Duration timeout = o.timeout;
        try (Schedulers.CloseableScheduler scheduler = Schedulers.system()) {
            Result<ClientOptions.Started> running = ClientOptions.start("send", o.client, scheduler, out, err,
                    c -> c.join(room));
            if (running instanceof Result.Err<ClientOptions.Started> e) {
                return ClientOptions.exitCode(e.error());
            }
            RelayManager client = running.orElseThrow().client();
            EventPrinter events = running.orElseThrow().events();
            String sender = client.session();
            AtomicLong acked = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            AtomicLong sentSoFar = new AtomicLong();
            CountDownLatch done = new CountDownLatch((int) Math.min(count, Integer.MAX_VALUE));
            Progress progress = Progress.onTerminal(scheduler, out, "send", () -> "sent=" + sentSoFar.get() + "/" + count
                    + " acked=" + acked.get() + " failed=" + failed.get() + " failovers=" + events.failovers().size());
            long intervalNanos = (long) (1e9 / rate);
            long next = System.nanoTime();
            for (long seq = 1; seq <= count; seq++) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                next += intervalNanos;
                String payload = Payloads.make(seq, sender, System.currentTimeMillis(), size);
                long s = seq;
                client.send(room, payload).whenComplete((r, t) -> {
                    if (r != null && r.isOk()) {
                        acked.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                        err.println("send: message " + s + " failed: " + (r != null ? r.failure().orElseThrow() : t));
                    }
                    done.countDown();
                });
                sentSoFar.set(seq);
            }
            boolean all = done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!all) {
                err.println("send: gave up waiting for acknowledgements after " + timeout.toSeconds() + " s");
            }
            progress.stop();
            client.stop();
            long lost = count - acked.get();
            out.println(new Summary().sent(count).acked(acked.get()).lost(lost).failovers(events.failovers()).line());
            return lost == 0 ? 0 : 1;
        }
    }
}
