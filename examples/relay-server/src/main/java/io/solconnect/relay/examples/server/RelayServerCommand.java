package io.solconnect.relay.examples.server;

import io.solconnect.relay.examples.Command;
import io.solconnect.relay.examples.commandline.Cli;
import picocli.CommandLine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./relay relay-server --port N [--host 127.0.0.1] [--path /] [--max-frame-bytes N] [--fleet-id ID]}: runs a
 * {@link RelayServer} until {@code quit} is read from standard input or the process is stopped.
 * Standard input also takes fault commands, one per line: {@code kill}, {@code blackhole},
 * {@code slow <duration>} (e.g. {@code slow 200ms}), {@code heal}, {@code restart},
 * {@code shutdown} and {@code status}. End of input does not stop the relay. The limit options
 * ({@code --max-rooms}, {@code --rooms-per-connection}, {@code --frames-per-second},
 * {@code --max-queued-bytes}, {@code --devices-per-room}, {@code --resends-per-second}) set
 * {@link RelayServerOptions} and its {@link RelayServerOptions.Limits}, whose javadoc gives the
 * defaults. {@code --backplane nats://HOST:PORT[,...]} makes the relay one of a fleet sharing a
 * NATS JetStream stream ({@link RelayServer#start(RelayServerOptions, JetStreamOptions)}) and, without
 * {@code --fleet-id}, reports the fleet id {@code jetstream:<stream>}; exit code 1 when it cannot
 * reach NATS at start.
 */
public final class RelayServerCommand implements Command {

    private final InputStream in;

    /** Creates the command reading fault commands from {@code System.in}. */
    public RelayServerCommand() {
        this(System.in);
    }

    RelayServerCommand(InputStream in) {
        this.in = in;
    }

    @Override
    public String name() {
        return "relay-server";
    }

    /** The command line of {@code relay-server}, filled by picocli. */
    @CommandLine.Command(name = "relay-server", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
            sortOptions = false, description = {"run a SolConnect relay; standard input takes faults:"
                    + " kill|blackhole|slow 200ms|heal|restart|shutdown|status|quit",
                    "Runs until 'quit' is read or the process is stopped; end of input does not stop it.",
                    "Exit code 0 after 'quit', 1 when it cannot start (port taken, NATS unreachable), 2 for a bad command line."})
    static final class Options implements Cli.Checked {
        /** With {@code --backplane} and no {@code --fleet-id}, the fleet id is this and the stream's name. */
        static final String IMPLIED_FLEET_PREFIX = "jetstream:";


        @CommandLine.Option(names = "--port", paramLabel = "N", description = "the TCP port, 0 picks a free one (required)")
        Integer port;

        @CommandLine.Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
                description = "the address to bind (default: ${DEFAULT-VALUE}, loopback only)")
        String host;

        @CommandLine.Option(names = "--path", paramLabel = "PATH", defaultValue = "/",
                description = "the WebSocket path (default: ${DEFAULT-VALUE})")
        String path;

        @CommandLine.Option(names = "--max-frame-bytes", paramLabel = "N",
                defaultValue = "" + RelayServerOptions.DEFAULT_MAX_FRAME_BYTES,
                description = "largest inbound frame, 1 KiB..64 MiB (default: ${DEFAULT-VALUE})")
        int maxFrameBytes;

        @CommandLine.Option(names = "--max-rooms", paramLabel = "N", defaultValue = "100000",
                description = "rooms kept at once; a room with no members is freed to make room (default: ${DEFAULT-VALUE})")
        int maxRooms;

        @CommandLine.Option(names = "--rooms-per-connection", paramLabel = "N", defaultValue = "1000",
                description = "rooms one connection may join (default: ${DEFAULT-VALUE})")
        int roomsPerConnection;

        @CommandLine.Option(names = "--frames-per-second", paramLabel = "N", defaultValue = "20000",
                description = "frames one connection may send per second (default: ${DEFAULT-VALUE})")
        int framesPerSecond;

        @CommandLine.Option(names = "--max-queued-bytes", paramLabel = "N", defaultValue = "16777216",
                description = "bytes queued for one slow reader before it is closed with 1008, at least 64 KiB"
                        + " (default: ${DEFAULT-VALUE})")
        long maxQueuedBytes;

        @CommandLine.Option(names = "--devices-per-room", paramLabel = "N", defaultValue = "1000",
                description = "devices a room's device_list holds (default: ${DEFAULT-VALUE})")
        int devicesPerRoom;

        @CommandLine.Option(names = "--fleet-id", paramLabel = "ID",
                description = "report this fleet id (relays that share one log only); default none, or with"
                        + " --backplane jetstream:<stream> (e.g. jetstream:SOLCONNECT)")
        String fleetId;

        @CommandLine.Option(names = "--resends-per-second", paramLabel = "N", defaultValue = "20",
                description = "resend frames one connection may send per second (default: ${DEFAULT-VALUE})")
        int resendsPerSecond;

        @CommandLine.Option(names = "--backplane", paramLabel = "nats://HOST:PORT[,...]",
                description = {"join a relay fleet: store every accepted message in a NATS JetStream stream"
                        + " (SOLCONNECT, subjects solconnect.room.>) shared by every relay given the same servers;"
                        + " acks wait for the stream (default: none, a relay on its own)"})
        String backplane;

        @CommandLine.Option(names = "--backplane-replicas", paramLabel = "N", defaultValue = "1",
                description = "copies of the stream when this relay creates it, 1..5; 3 on a 3-node NATS cluster"
                        + " (default: ${DEFAULT-VALUE})")
        int backplaneReplicas;

        RelayServerOptions options;
        java.util.Optional<JetStreamOptions> fleet = java.util.Optional.empty();

        @Override
        public void check() throws Cli.UsageException {
            if (port == null) {
                throw new Cli.UsageException("--port is required (0 picks a free port)");
            }
            try {
                RelayServerOptions d = RelayServerOptions.ofDefaults();
                RelayServerOptions.Limits limits = new RelayServerOptions.Limits(roomsPerConnection, framesPerSecond,
                        maxQueuedBytes, devicesPerRoom, resendsPerSecond);
                if (backplane != null) {
                    fleet = java.util.Optional.of(JetStreamOptions.parse(backplane).withReplicas(backplaneReplicas));
                }
                // relays on one stream share its log: without --fleet-id they say so by the stream's name
                java.util.Optional<String> id = java.util.Optional.ofNullable(fleetId)
                        .or(() -> fleet.map(f -> IMPLIED_FLEET_PREFIX + f.stream()));
                options = new RelayServerOptions(host, port, path, maxFrameBytes, d.historyPerRoom(), d.idsPerRoom(),
                        maxRooms, limits, id);
            } catch (IllegalArgumentException e) {
                throw new Cli.UsageException(e.getMessage());
            }
        }
    }

    @Override
    public String usage() {
        return Cli.summary(name(), new Options());
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Options o = new Options();
        OptionalInt parsed = Cli.parse(name(), o, args, out, err);
        if (parsed.isPresent()) {
            return parsed.getAsInt();
        }
        RelayServerOptions options = o.options;
        if (!io.solconnect.relay.api.RelayEndpoint.isLoopbackHost(options.host())) {
            err.println("relay relay-server: warning: listening on " + options.host()
                    + ", reachable from other hosts, without TLS");
        }
        RelayServer server;
        try {
            server = o.fleet.isPresent() ? RelayServer.start(options, o.fleet.get()) : RelayServer.start(options);
        } catch (IOException e) {
            err.println("relay relay-server: cannot start: " + e.getMessage());
            return 1;
        }
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(server::close, "relay-server-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("relay-server listening on " + server.uri()
                + o.fleet.map(f -> " (fleet backplane: JetStream stream " + f.stream() + " on " + f.servers() + ")").orElse(""));
        options.fleetId().ifPresent(f -> out.println("relay-server reports fleet id " + f));
        out.flush();
        Thread control = new Thread(() -> readCommands(server, out, err, done), "relay-server-control");
        control.setDaemon(true);
        control.start();
        done.await();
        server.close();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // already shutting down
        }
        return 0;
    }

    private void readCommands(RelayServer server, PrintStream out, PrintStream err, CountDownLatch done) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                String[] w = line.strip().split("\\s+");
                if (w[0].isEmpty()) {
                    continue;
                }
                try {
                    switch (w[0].toLowerCase(Locale.ROOT)) {
                        case "kill" -> server.kill();
                        case "blackhole" -> server.blackhole();
                        case "slow" -> server.slow(parseDuration(w.length > 1 ? w[1] : ""));
                        case "heal" -> server.heal();
                        case "restart" -> server.restart();
                        case "shutdown" -> server.shutdownGracefully();
                        case "status" -> { }
                        case "quit", "exit" -> {
                            done.countDown();
                            return;
                        }
                        default -> {
                            err.println("unknown command '" + w[0] + "': kill|blackhole|slow 200ms|heal|restart|shutdown|status|quit");
                            continue;
                        }
                    }
                    out.println("ok " + w[0] + " running=" + server.running() + " sessions=" + server.sessions());
                    out.flush();
                } catch (IllegalArgumentException | IOException e) {
                    err.println(w[0] + " failed: " + e.getMessage());
                }
            }
        } catch (IOException e) {
            err.println("relay-server: standard input failed: " + e.getMessage());
        }
        // end of input: keep serving until the process is stopped
    }

    private static Duration parseDuration(String s) {
        return io.solconnect.relay.api.spi.PluginContext.parseDuration(s)
                .filter(d -> !d.isNegative())
                .orElseThrow(() -> new IllegalArgumentException("slow needs a duration like 200ms, 1s or PT0.5S, was '" + s + "'"));
    }
}
