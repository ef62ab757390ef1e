package io.solconnect.relay.examples.demo;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.examples.Command;
import io.solconnect.relay.examples.bench.failover.Rig;
import io.solconnect.relay.examples.commandline.Cli;
import io.solconnect.relay.examples.cli.EventPrinter;
import io.solconnect.relay.examples.cli.Summary;
import io.solconnect.relay.metrics.micrometer.RelayMetrics;
import io.solconnect.relay.examples.server.RelayServer;
import io.solconnect.relay.ui.web.StatusServer;
import io.solconnect.relay.ui.web.StatusServerOptions;
import io.solconnect.relay.ui.web.TextEndpoint;
import picocli.CommandLine;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code ./relay demo}: three relays on loopback, a sender and a receiver in one room; every
 * {@code --kill-every} the sender's primary relay is crashed and restarted a second later. Failover
 * events are printed as they happen, the sender's status page URL at the start, and the summary
 * line at the end. Exit code 0 when nothing was lost or duplicated.
 */
public final class DemoCommand implements Command {

    /** Creates the command. */
    public DemoCommand() {
    }

    @Override
    public String name() {
        return "demo";
    }

    /** The command line of {@code demo}, filled by picocli. */
    @CommandLine.Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
            sortOptions = false, description = {"three relays on loopback, one crashed on a schedule; ends with the summary line",
                    "Exit code 0 when nothing was lost or duplicated, 1 otherwise, 2 for a bad command line."})
    static final class Options {
        @CommandLine.Option(names = "--duration", paramLabel = "DURATION", defaultValue = "30s",
                converter = Cli.PositiveDuration.class, description = "how long to send (default: ${DEFAULT-VALUE})")
        Duration duration;

        @CommandLine.Option(names = "--rate", paramLabel = "N/s", defaultValue = "100", converter = Cli.Rate.class,
                description = "messages per second (default: ${DEFAULT-VALUE})")
        double rate;

        @CommandLine.Option(names = "--kill-every", paramLabel = "DURATION", defaultValue = "8s",
                converter = Cli.PositiveDuration.class,
                description = "crash the sender's primary relay this often, restart it 1 s later (default: ${DEFAULT-VALUE})")
        Duration killEvery;
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
        Duration duration = o.duration;
        Duration killEvery = o.killEvery;
        double rate = o.rate;
        try (Rig rig = new Rig(3)) {
            out.println("demo: relays " + String.join(" ", rig.relays().keySet()) + ", room " + Rig.ROOM);
            EventPrinter senderEvents = new EventPrinter();
            EventPrinter receiverEvents = new EventPrinter();
            senderEvents.attach(rig.sender(), out, "send");
            receiverEvents.attach(rig.receiver(), out, "receive");
            // The sender's metrics in Prometheus' text format, served next to its status page.
            PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            RelayMetrics metrics = new RelayMetrics(rig.sender());
            metrics.bindTo(prometheus);
            Result<StatusServer> page = StatusServer.start(rig.sender(), StatusServerOptions.ofDefaults(),
                    List.of(new TextEndpoint("/metrics", "text/plain; version=0.0.4; charset=utf-8", prometheus::scrape)));
            if (page instanceof Result.Err<StatusServer> e) {
                err.println("demo: status page not started: " + e.error());
            } else {
                // On standard output, not in the log: the URL carries the page's token.
                out.println("demo: sender status page " + page.orElseThrow().pageUrl());
                out.println("demo: sender metrics " + page.orElseThrow().url() + "metrics (Prometheus text; send the token"
                        + " as 'Authorization: Bearer <token>' or in the X-Relay-Token header)");
            }
            try {
                rig.startSending(rate, 256, err);
                long end = System.nanoTime() + duration.toNanos();
                long nextKill = System.nanoTime() + killEvery.toNanos();
                while (System.nanoTime() < end) {
                    long wait = Math.min(end, nextKill) - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(Math.max(1, wait / 1_000_000)); // the schedule itself, not a wait for a condition
                        continue;
                    }
                    nextKill += killEvery.toNanos();
                    Optional<String> primary = rig.sender().status().primary();
                    if (primary.isPresent() && System.nanoTime() + 1_000_000_000L < end) {
                        RelayServer victim = rig.relays().get(primary.get());
                        out.println("demo: killing relay " + primary.get());
                        victim.kill();
                        Thread.sleep(1000);
                        victim.restart();
                        out.println("demo: restarted relay " + primary.get());
                    }
                }
                rig.stopSending();
                boolean drained = rig.awaitDrained(30_000);
                if (!drained) {
                    err.println("demo: gave up waiting for the last messages after 30 s");
                }
            } finally {
                if (page.isOk()) {
                    page.orElseThrow().close();
                }
                metrics.close();
                prometheus.close();
            }
            long sent = rig.sent();
            long lost = rig.tracker().lost(sent);
            long dups = rig.tracker().duplicates();
            out.println(new Summary().sent(sent).acked(rig.acked()).delivered(rig.tracker().distinct()).lost(lost)
                    .duplicates(dups).failovers(senderEvents.failovers()).line());
            return lost == 0 && dups == 0 ? 0 : 1;
        }
    }
}
