package io.solconnect.relay.examples.demo;

import io.solconnect.relay.api.Result;
import io.solconnect.relay.examples.Command;
import io.solconnect.relay.examples.bench.failover.Rig;
import io.solconnect.relay.examples.cli.EventPrinter;
import io.solconnect.relay.examples.cli.Summary;
import io.solconnect.relay.examples.commandline.Cli;
import io.solconnect.relay.examples.server.JetStreamOptions;
import io.solconnect.relay.examples.server.RelayServer;
import io.solconnect.relay.examples.server.nats.NatsCluster;
import io.solconnect.relay.examples.server.nats.NatsServerProcess;
import io.solconnect.relay.ui.web.StatusServer;
import io.solconnect.relay.ui.web.StatusServerOptions;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code ./relay fleet}: a relay fleet on loopback: a 3-node NATS JetStream cluster (Debian's
 * {@code nats-server}), three relays sharing an R3 stream through it, a sender and a receiver in one
 * room. A third of the way in, the sender's relay is crashed (and left down); two thirds in, the
 * NATS node leading the stream is SIGKILLed (and left down). Events are printed as they happen, the
 * sender's status page URL at the start, the summary line at the end. Exit code 0 when nothing was
 * lost or duplicated, 1 otherwise (or when nats-server is missing), 2 for a bad command line.
 */
public final class FleetCommand implements Command {

    /** Creates the command. */
    public FleetCommand() {
    }

    @Override
    public String name() {
        return "fleet";
    }

    /** The command line of {@code fleet}, filled by picocli. */
    @CommandLine.Command(name = "fleet", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
            sortOptions = false, description = {"a relay fleet on NATS JetStream (3 nodes, 3 relays); kills a relay,"
                    + " then a NATS node; ends with the summary line",
                    "Needs nats-server (apt-get install -y nats-server).",
                    "Exit code 0 when nothing was lost or duplicated, 1 otherwise, 2 for a bad command line."})
    static final class Options {
        @CommandLine.Option(names = "--duration", paramLabel = "DURATION", defaultValue = "30s",
                converter = Cli.PositiveDuration.class, description = "how long to send (default: ${DEFAULT-VALUE})")
        Duration duration;

        @CommandLine.Option(names = "--rate", paramLabel = "N/s", defaultValue = "100", converter = Cli.Rate.class,
                description = "messages per second (default: ${DEFAULT-VALUE})")
        double rate;
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
        if (NatsServerProcess.binary().isEmpty()) {
            err.println("relay fleet: nats-server is not installed: apt-get install -y nats-server");
            return 1;
        }
        try (NatsCluster nats = NatsCluster.start(3);
             Rig rig = new Rig(3, JetStreamOptions.of(nats.uris()).withReplicas(3))) {
            out.println("fleet: NATS JetStream cluster " + nats.uris() + ", stream SOLCONNECT with 3 replicas");
            out.println("fleet: relays " + String.join(" ", rig.relays().keySet()) + ", room " + Rig.ROOM);
            EventPrinter senderEvents = new EventPrinter();
            senderEvents.attach(rig.sender(), out, "send");
            new EventPrinter().attach(rig.receiver(), out, "receive");
            Result<StatusServer> page = StatusServer.start(rig.sender(), StatusServerOptions.ofDefaults(), List.of());
            if (page instanceof Result.Err<StatusServer> e) {
                err.println("fleet: status page not started: " + e.error());
            } else {
                out.println("fleet: sender status page " + page.orElseThrow().pageUrl());
            }
            try {
                rig.startSending(o.rate, 256, err);
                long start = System.nanoTime();
                long third = o.duration.toNanos() / 3;
                pause(start + third);
                Optional<String> primary = rig.sender().status().primary();
                if (primary.isPresent()) {
                    out.println("fleet: killing relay " + primary.get() + " (it stays down)");
                    rig.relays().get(primary.get()).kill();
                }
                pause(start + 2 * third);
                killStreamLeader(nats, out);
                pause(start + o.duration.toNanos());
                rig.stopSending();
                if (!rig.awaitDrained(30_000)) {
                    err.println("fleet: gave up waiting for the last messages after 30 s");
                }
            } finally {
                if (page.isOk()) {
                    page.orElseThrow().close();
                }
            }
            long sent = rig.sent();
            long lost = rig.tracker().lost(sent);
            long dups = rig.tracker().duplicates();
            out.println(new Summary().sent(sent).acked(rig.acked()).delivered(rig.tracker().distinct()).lost(lost)
                    .duplicates(dups).failovers(senderEvents.failovers()).line());
            return lost == 0 && dups == 0 ? 0 : 1;
        }
    }

    private static void killStreamLeader(NatsCluster nats, PrintStream out) throws IOException {
        Optional<NatsServerProcess> leader = nats.leaderOf("SOLCONNECT");
        NatsServerProcess victim = leader.orElse(nats.nodes().get(0));
        out.println("fleet: SIGKILL of NATS node " + victim.name() + " " + victim.uri()
                + (leader.isPresent() ? " (the stream's leader)" : "") + "; it stays down");
        victim.kill();
    }

    /** Sleeps until a {@link System#nanoTime()} deadline: the demo's schedule, not a wait for a condition. */
    private static void pause(long deadline) throws InterruptedException {
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, left / 1_000_000));
        }
    }
}
