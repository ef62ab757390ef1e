package io.solconnect.relay.examples.cli;

import io.solconnect.relay.api.Result;
import io.solconnect.relay.core.RelayManager;
import io.solconnect.relay.core.Schedulers;
import io.solconnect.relay.examples.Command;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code ./relay send}: sends {@code --count} numbered messages to a room at {@code --rate}, prints
 * failover events as they happen, waits for the acknowledgements and ends with the summary line.
 * Exit code 0 when every message was acknowledged, 1 otherwise, 2 for a bad command line.
 */
public final class SendCommand implements Command {

    /** Creates the command. */
    public SendCommand() {
    }

    @Override
    public String name() {
        return "send";
    }

    @Override
    public String usage() {
        return "send --relays URL,... --room R --count N [--rate N/s] [--size BYTES] [--timeout 30s]\n"
                + "                          [--protocol P] [--strategy S] [--config FILE] [--store-dir DIR] [--sender ID]";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
        Args args;
        String room;
        long count;
        double rate;
        int size;
        Duration timeout;
        try {
            Set<String> known = new java.util.HashSet<>(ClientOptions.OPTIONS);
            known.addAll(Set.of("room", "count", "rate", "size", "timeout"));
            args = Args.parse("send", argv, known, Set.of());
            room = args.required("room");
            count = args.integer("count", 0, 1, 100_000_000);
            if (args.get("count").isEmpty()) {
                throw new Args.UsageException("send: --count is required");
            }
            rate = args.rate("rate", 100);
            size = (int) args.integer("size", 256, 48, 16 * 1024 * 1024);
            timeout = args.duration("timeout", Duration.ofSeconds(30));
        } catch (Args.UsageException e) {
            err.println(e.getMessage());
            err.println("usage: ./relay " + usage());
            return 2;
        }
        try (Schedulers.CloseableScheduler scheduler = Schedulers.system()) {
            Result<ClientOptions.Started> running = ClientOptions.start("send", args, scheduler, out, err, c -> { });
            if (running instanceof Result.Err<ClientOptions.Started> e) {
                return ClientOptions.exitCode(e.error());
            }
            RelayManager client = running.orElseThrow().client();
            EventPrinter events = running.orElseThrow().events();
            String sender = client.session();
            AtomicLong acked = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            CountDownLatch done = new CountDownLatch((int) Math.min(count, Integer.MAX_VALUE));
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
            }
            boolean all = done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!all) {
                err.println("send: gave up waiting for acknowledgements after " + timeout.toSeconds() + " s");
            }
            client.stop();
            long lost = count - acked.get();
            out.println(new Summary().sent(count).acked(acked.get()).lost(lost).failovers(events.failovers()).line());
            return lost == 0 ? 0 : 1;
        }
    }
}
