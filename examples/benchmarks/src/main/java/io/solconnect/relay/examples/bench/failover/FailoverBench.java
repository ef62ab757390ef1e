package io.solconnect.relay.examples.bench.failover;

import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.examples.Benchmark;
import io.solconnect.relay.examples.bench.BenchCli;
import io.solconnect.relay.examples.commandline.Cli;
import io.solconnect.relay.examples.cli.Summary;
import io.solconnect.relay.examples.server.netns.NetNs;
import picocli.CommandLine;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code ./relay bench failover}: local relays, a sender and a receiver {@code RelayManager} in one
 * room at a steady rate; each fault is injected {@code --repeat} times into the current primary.
 *
 * <p>Failover time, end to end: from the moment just before the fault is injected
 * ({@code System.nanoTime()} in the benchmark thread) to the moment the receiver's message listener
 * gets the first message sent after the fault delivered through a relay other than the faulted
 * one (older messages replayed or re-published through the new relay do not end it). Also printed: the
 * engine's own {@code Failover.duration} (detection to new primary set) for the sender and the
 * receiver, and {@code detect_ms}: the event's wall-clock time minus its duration, relative to
 * the fault, i.e. when that engine noticed the fault. Every message sent must reach the receiver
 * exactly once;
 * lost and duplicate counts come from the payload sequence numbers.
 *
 * <p>What the application sees, per fault ({@link FaultWindow}): {@code delivery_gap_ms}, the
 * longest time the receiver's listener got no new message, from the last delivery before the
 * fault to the first one at least 1 s after it; {@code inflight_latency_ms}, send to
 * {@code onMessage} of the messages sent from 100 ms before the fault to 1 s after it (the
 * in-flight ones, whatever relay they came through); out-of-order deliveries. A fault is held
 * until the receiver got a message through another relay, or for {@code --hold}. Duplicates are
 * counted after a further {@code --linger} of listening once everything arrived. Controls:
 * {@code --faults noop} (nothing injected) and {@code --standbys 0}.
 */
public final class FailoverBench implements Benchmark {

    /** Creates the command. */
    public FailoverBench() {
    }

    @Override
    public String name() {
        return "failover";
    }

    /** The command line of {@code bench failover}, filled by picocli. */
    @CommandLine.Command(name = "failover", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
            sortOptions = false, description = {"failover time per fault, recovery time, lost and duplicates",
                    "Injects each fault --repeat times into the sender's primary while it streams to a receiver."},
            footer = {"", "Figures per fault kind (n = samples; p50/p99/max in ms):",
                    "  failover_ms          fault injected -> receiver gets the first message sent after the fault",
                    "                       through another relay (ends early when a standby had a copy anyway)",
                    "  delivery_gap_ms      longest time without a new message at the receiver, from the last",
                    "                       delivery before the fault to the first one >= 1 s after it (one per fault)",
                    "  inflight_latency_ms  send -> onMessage of every message sent from 100 ms before the fault",
                    "                       to 1 s after it; inflight_missing = those not there when read",
                    "  out_of_order         new messages delivered after a higher-numbered one",
                    "  engine_sender_ms, engine_receiver_ms  the engines' own Failover.duration",
                    "  detect_ms            fault -> the sender's engine noticed it",
                    "  recovered_ms         fault -> steady again (not with --storm; includes the 400 ms",
                    "                       steadiness window)",
                    "Totals: lost, duplicates (counted after --linger more listening), out_of_order, foreign",
                    "(deliveries that are not the sender's numbered payloads).",
                    "Controls: --faults noop injects nothing; --standbys 0 runs without warm standbys."})
    static final class Options implements Cli.Checked {
        @CommandLine.Option(names = "--faults", paramLabel = "F,...", defaultValue = "crash,blackhole,slow",
                description = "faults to inject: crash, blackhole, slow, partition, noop (default: ${DEFAULT-VALUE});"
                        + " partition runs every relay as a process in its own network namespace (Linux, root);"
                        + " noop injects nothing (the control)")
        String faults;

        @CommandLine.Option(names = "--repeat", paramLabel = "N", defaultValue = "20",
                description = "injections per fault, 1..10000 (default: ${DEFAULT-VALUE})")
        long repeat;

        @CommandLine.Option(names = "--rate", paramLabel = "N/s", defaultValue = "1000", converter = Cli.Rate.class,
                description = "messages per second (default: ${DEFAULT-VALUE})")
        double rate;

        @CommandLine.Option(names = "--size", paramLabel = "BYTES", defaultValue = "256",
                description = "payload size, 64..1048576 (default: ${DEFAULT-VALUE})")
        long size;

        @CommandLine.Option(names = "--relays", paramLabel = "N", defaultValue = "3",
                description = "relays, 2..16 (default: ${DEFAULT-VALUE})")
        long relays;

        @CommandLine.Option(names = "--standbys", paramLabel = "N", defaultValue = "" + Rig.DEFAULT_STANDBYS,
                description = "warm standbys per client, 0..4 (default: ${DEFAULT-VALUE})")
        long standbys;

        @CommandLine.Option(names = "--backoff-max", paramLabel = "DURATION", converter = Cli.PositiveDuration.class,
                description = "the clients' backoffMax (default: the engine's)")
        Duration backoffMax;

        @CommandLine.Option(names = "--slow-by", paramLabel = "DURATION", defaultValue = "1s",
                converter = Cli.PositiveDuration.class, description = "delay of the slow fault (default: ${DEFAULT-VALUE})")
        Duration slowBy;

        @CommandLine.Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s",
                converter = Cli.PositiveDuration.class,
                description = "longest wait for a failover before it counts as none (default: ${DEFAULT-VALUE})")
        Duration timeout;

        @CommandLine.Option(names = "--warmup", paramLabel = "DURATION", defaultValue = "10s",
                converter = Cli.DurationOrZero.class,
                description = "stream that long before the first fault (JIT compilation); 0 for none (default: ${DEFAULT-VALUE})")
        Duration warmup;

        @CommandLine.Option(names = "--hold", paramLabel = "DURATION", converter = Cli.PositiveDuration.class,
                description = "keep each fault for this long, e.g. 5s or 30s (default: until the receiver got a"
                        + " message through another relay)")
        Duration hold;

        @CommandLine.Option(names = "--linger", paramLabel = "DURATION", defaultValue = "10s",
                converter = Cli.DurationOrZero.class,
                description = "keep listening this long after everything arrived before counting duplicates"
                        + " (default: ${DEFAULT-VALUE})")
        Duration linger;

        @CommandLine.Option(names = "--storm",
                description = "inject each fault as soon as both clients share a primary, before they recover")
        boolean storm;

        List<Fault> faultList;

        @Override
        public void check() throws Cli.UsageException {
            try {
                faultList = Fault.parse(faults);
            } catch (IllegalArgumentException e) {
                throw new Cli.UsageException("--faults: " + e.getMessage());
            }
            Cli.range("--repeat", repeat, 1, 10_000);
            Cli.range("--size", size, 64, 1024 * 1024);
            Cli.range("--relays", relays, 2, 16);
            Cli.range("--standbys", standbys, 0, 4);
            if (backoffMax != null) {
                try { // RelayConfig's own rule (at least backoffInitial), checked before any relay starts
                    RelayConfig.custom().addRelay("ws://127.0.0.1/").backoffMax(backoffMax).build();
                } catch (IllegalArgumentException e) {
                    throw new Cli.UsageException("--backoff-max: " + e.getMessage());
                }
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
        List<Fault> faults = o.faultList;
        int repeat = (int) o.repeat;
        double rate = o.rate;
        int size = (int) o.size;
        int relayCount = (int) o.relays;
        int standbys = (int) o.standbys;
        Duration slowBy = o.slowBy;
        Duration timeout = o.timeout;
        boolean storm = o.storm;
        Duration backoffMax = o.backoffMax;
        Duration warmup = o.warmup;
        Duration hold = o.hold;
        out.printf(Locale.ROOT, "bench failover: %d relays, 1 sender -> 1 receiver, %.0f msg/s, %d B payloads, "
                + "memory store, default engine settings but standbyCount=%d%s; faults %s x %d%n", relayCount, rate, size,
                standbys, backoffMax == null ? "" : " and backoffMax=" + backoffMax.toMillis() + " ms",
                faults.stream().map(Fault::label).toList(), repeat);
        out.println("failover_ms = fault injected -> receiver gets the first message sent after the fault, through another relay");
        out.println("delivery_gap_ms = longest time without a new delivery, last one before the fault -> first one >= 1 s after;"
                + " inflight_latency_ms = send -> onMessage of messages sent 100 ms before to 1 s after the fault");
        out.println(hold == null ? "each fault is held until the receiver got a message through another relay"
                : "each fault is held for " + hold.toMillis() + " ms");
        out.println(storm ? "storm: each fault is injected as soon as both clients share a primary again"
                : "each fault is injected into a steady system; recovered_ms = fault injected -> steady again");
        boolean inNamespaces = faults.stream().anyMatch(Fault::needsNamespaces);
        if (inNamespaces) {
            Optional<String> why = NetNs.unavailableReason();
            if (why.isPresent()) {
                err.println("bench failover: the partition fault needs Linux network namespaces: " + why.get());
                return 2;
            }
            out.println("partition: every relay runs as a process in its own network namespace, reached over a veth pair;"
                    + " the fault sets the primary's link down");
        }
        try (Rig rig = new Rig(relayCount, standbys, backoffMax, inNamespaces)) {
            rig.startSending(rate, size, err);
            if (rig.awaitSteady(90_000).isEmpty()) {
                err.println("bench failover: clients did not settle on one relay within 90 s");
                return 1;
            }
            if (!warmup.isZero()) {
                out.printf(Locale.ROOT, "warm-up: streaming for %d ms before the first fault%n", warmup.toMillis());
                Thread.sleep(warmup.toMillis()); // a harness pause, not a test: the stream runs meanwhile
                if (rig.awaitSteady(90_000).isEmpty()) {
                    err.println("bench failover: clients did not settle on one relay within 90 s after the warm-up");
                    return 1;
                }
            }
            List<String> lines = new ArrayList<>();
            boolean allMoved = true;
            for (Fault fault : faults) {
                Result r = runFault(rig, fault, repeat, slowBy, timeout, hold, storm, out, err);
                lines.add(r.line(fault));
                allMoved &= r.timeouts == 0;
            }
            rig.stopSending();
            boolean drained = rig.awaitDrained(60_000);
            if (!o.linger.isZero()) {
                out.printf(Locale.ROOT, "listening %d ms more for late copies before counting duplicates%n", o.linger.toMillis());
                Thread.sleep(o.linger.toMillis()); // a harness pause: late re-publications and resends arrive meanwhile
            }
            long sent = rig.sent();
            long lost = rig.tracker().lost(sent);
            long dups = rig.tracker().duplicates();
            for (String l : lines) {
                out.println(l);
            }
            out.printf(Locale.ROOT, "total sent=%d acked=%d failed_sends=%d delivered=%d lost=%d duplicates=%d"
                            + " out_of_order=%d foreign=%d%s%n",
                    sent, rig.acked(), rig.failed(), rig.tracker().distinct(), lost, dups, rig.tracker().outOfOrder(),
                    rig.tracker().foreign(), drained ? "" : " (gave up waiting after 60 s)");
            if (lost > 0) {
                out.println("lost numbers (first 20 runs): " + String.join(" ", rig.tracker().missingRuns(sent, 20)));
            }
            return lost == 0 && dups == 0 && rig.failed() == 0 && allMoved ? 0 : 1;
        }
    }

    /** Figures for one fault kind. */
    private static final class Result {
        final List<Duration> endToEnd = new ArrayList<>();
        final List<Duration> engineSender = new ArrayList<>();
        final List<Duration> engineReceiver = new ArrayList<>();
        final List<Duration> detection = new ArrayList<>();
        final List<Duration> recovered = new ArrayList<>();
        final List<Duration> gaps = new ArrayList<>();
        final List<Duration> inflight = new ArrayList<>();
        long inflightSent;
        long inflightMissing;
        long outOfOrder;
        int gapsOpen;
        int timeouts;
        int notSteady;

        void add(FaultWindow.Figures f) {
            gaps.add(f.deliveryGap());
            gapsOpen += f.gapClosed() ? 0 : 1;
            inflight.addAll(f.latencies());
            inflightSent += f.inFlight();
            inflightMissing += f.missing();
            outOfOrder += f.outOfOrder();
        }

        String line(Fault f) {
            return String.format(Locale.ROOT,
                    "%-9s faults=%d | failover_ms n=%d p50=%s p99=%s max=%s"
                            + " | delivery_gap_ms n=%d p50=%s p99=%s max=%s open=%d"
                            + " | inflight_latency_ms n=%d p50=%s p99=%s max=%s inflight_sent=%d inflight_missing=%d"
                            + " | out_of_order=%d"
                            + " | engine_sender_ms n=%d p50=%s p99=%s max=%s"
                            + " | engine_receiver_ms n=%d p50=%s p99=%s max=%s | detect_ms n=%d p50=%s p99=%s max=%s"
                            + " | recovered_ms n=%d p50=%s p99=%s max=%s | no_failover=%d not_steady=%d",
                    f.label(), gaps.size(), endToEnd.size(), p(endToEnd, 50), p(endToEnd, 99), p(endToEnd, 100),
                    gaps.size(), p(gaps, 50), p(gaps, 99), p(gaps, 100), gapsOpen,
                    inflight.size(), p(inflight, 50), p(inflight, 99), p(inflight, 100), inflightSent, inflightMissing,
                    outOfOrder,
                    engineSender.size(), p(engineSender, 50), p(engineSender, 99), p(engineSender, 100),
                    engineReceiver.size(), p(engineReceiver, 50), p(engineReceiver, 99), p(engineReceiver, 100),
                    detection.size(), p(detection, 50), p(detection, 99), p(detection, 100),
                    recovered.size(), p(recovered, 50), p(recovered, 99), p(recovered, 100), timeouts, notSteady);
        }

        private static String p(List<Duration> d, double pct) {
            return Summary.percentileMs(d, pct);
        }
    }

    private static Result runFault(Rig rig, Fault fault, int repeat, Duration slowBy, Duration timeout, Duration hold,
                                   boolean storm, PrintStream out, PrintStream err) throws Exception {
        Result res = new Result();
        for (int i = 1; i <= repeat; i++) {
            String line;
            Optional<String> primary = storm ? rig.awaitPaired(60_000) : rig.awaitSteady(60_000);
            if (primary.isEmpty()) {
                res.notSteady++;
                err.println("bench failover: " + fault.label() + " #" + i + ": clients not "
                        + (storm ? "on one relay" : "steady") + " within 60 s; skipped" + (storm ? "" : ": " + rig.notSteadyReason()));
                continue;
            }
            String standbys = "standbys=" + rig.sender().status().standby() + "/" + rig.receiver().status().standby();
            Instant t0Wall = Instant.now();
            long t0 = System.nanoTime();
            long atSeq = rig.sent();
            FaultWindow window = rig.tracker().watch(t0, rig.sendLog());
            rig.tracker().arm(primary.get(), t0, atSeq);
            standbys += " at_seq=" + atSeq;
            fault.inject(rig, primary.get(), slowBy);
            boolean undone = false;
            if (!fault.expectsFailover()) {
                line = String.format(Locale.ROOT, "%s #%d on=%s %s", fault.label(), i, primary.get(), standbys);
            } else {
                long t1;
                if (hold != null && hold.compareTo(timeout) < 0) {
                    // a fixed hold ends the fault even when the stream has not moved yet
                    t1 = rig.tracker().awaitMoved(hold.toMillis());
                    if (t1 < 0) {
                        fault.undo(rig, primary.get());
                        undone = true;
                        t1 = rig.tracker().awaitMoved(Math.max(0, timeout.toMillis() - (System.nanoTime() - t0) / 1_000_000));
                    }
                } else {
                    t1 = rig.tracker().awaitMoved(timeout.toMillis());
                }
                line = failoverLine(rig, fault, i, primary.get(), standbys, t0, t0Wall, t1, timeout, res);
            }
            if (!undone) {
                if (hold != null) {
                    long left = t0 + hold.toNanos() - System.nanoTime();
                    if (left > 0) {
                        Thread.sleep(left / 1_000_000, (int) (left % 1_000_000)); // the fault is held, the stream runs
                    }
                }
                fault.undo(rig, primary.get());
            }
            if (!storm) {
                // the next injection waits for this anyway; measured here, it is this fault's cost
                if (rig.awaitSteady(60_000).isPresent()) {
                    Duration rec = Duration.ofNanos(System.nanoTime() - t0);
                    res.recovered.add(rec);
                    line += String.format(Locale.ROOT, " recovered_ms=%.0f", rec.toNanos() / 1e6);
                } else {
                    line += " recovered_ms=(not within 60 s: " + rig.notSteadyReason() + ")";
                }
            }
            // read after the recovery (a steady system has delivered its backlog); under --storm the
            // next fault waits for it, so the in-flight window of one fault is never cut by the next
            FaultWindow.Figures fig = window.await(timeout.toMillis());
            res.add(fig);
            line += String.format(Locale.ROOT, " delivery_gap_ms=%.1f%s inflight_latency_ms n=%d p99=%s max=%s"
                            + " inflight_missing=%d out_of_order=%d",
                    fig.deliveryGap().toNanos() / 1e6, fig.gapClosed() ? "" : "(open)", fig.latencies().size(),
                    Summary.percentileMs(fig.latencies(), 99), Summary.percentileMs(fig.latencies(), 100),
                    fig.missing(), fig.outOfOrder());
            out.println(line);
        }
        return res;
    }

    /** The line of one fault that should have moved the stream, and its failover figures. */
    private static String failoverLine(Rig rig, Fault fault, int i, String primary, String standbys, long t0,
                                       Instant t0Wall, long t1, Duration timeout, Result res) throws InterruptedException {
        if (t1 < 0) {
            res.timeouts++;
            return String.format(Locale.ROOT, "%s #%d from=%s %s: no delivery through another relay within %d ms",
                    fault.label(), i, primary, standbys, timeout.toMillis());
        }
        Duration e2e = Duration.ofNanos(t1 - t0);
        res.endToEnd.add(e2e);
        String engine = "";
        // the events reach listeners on their own lane, possibly after the first delivery
        Optional<RelayEvent.Failover> s = awaitFrom(rig, true, t0, primary);
        Optional<RelayEvent.Failover> r = awaitFrom(rig, false, t0, primary);
        if (s.isPresent()) {
            res.engineSender.add(s.get().duration());
            double detect = Rig.millisAfter(s.get().at().minus(s.get().duration()), t0Wall);
            res.detection.add(Duration.ofNanos((long) Math.max(0, detect * 1e6)));
            engine += String.format(Locale.ROOT, " sender_engine_ms=%.1f detect_ms=%.1f replayed=%d",
                    s.get().duration().toNanos() / 1e6, detect, s.get().replayed());
        }
        r.ifPresent(f -> res.engineReceiver.add(f.duration()));
        if (r.isPresent()) {
            engine += String.format(Locale.ROOT, " receiver_engine_ms=%.1f receiver_detect_ms=%.1f",
                    r.get().duration().toNanos() / 1e6,
                    Rig.millisAfter(r.get().at().minus(r.get().duration()), t0Wall));
        }
        return String.format(Locale.ROOT, "%s #%d from=%s to=%s failover_ms=%.1f%s %s", fault.label(), i,
                primary, rig.tracker().movedTo(), e2e.toNanos() / 1e6, engine, standbys);
    }

    private static Optional<RelayEvent.Failover> awaitFrom(Rig rig, boolean ofSender, long t0, String from)
            throws InterruptedException {
        long end = System.nanoTime() + 2_000_000_000L;
        Optional<RelayEvent.Failover> f = firstFrom(rig.failoversSince(ofSender, t0), from);
        while (f.isEmpty() && System.nanoTime() < end) {
            Thread.sleep(5);
            f = firstFrom(rig.failoversSince(ofSender, t0), from);
        }
        return f;
    }

    private static Optional<RelayEvent.Failover> firstFrom(List<Rig.Timed<RelayEvent.Failover>> events, String from) {
        return events.stream().map(Rig.Timed::value).filter(f -> f.from().equals(Optional.of(from))).findFirst();
    }
}
