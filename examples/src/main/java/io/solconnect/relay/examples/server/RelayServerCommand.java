package io.solconnect.relay.examples.server;

import io.solconnect.relay.examples.Command;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./relay relay-server --port N [--host 127.0.0.1] [--path /] [--max-frame-bytes N]}: runs a
 * {@link RelayServer} until {@code quit} is read from standard input or the process is stopped.
 * Standard input also takes fault commands, one per line: {@code kill}, {@code blackhole},
 * {@code slow <duration>} (e.g. {@code slow 200ms}), {@code heal}, {@code restart},
 * {@code shutdown} and {@code status}. End of input does not stop the relay. The limit options
 * ({@code --max-rooms}, {@code --rooms-per-connection}, {@code --frames-per-second},
 * {@code --max-queued-bytes}, {@code --devices-per-room}, {@code --resends-per-second}) set
 * {@link RelayServerOptions} and its {@link RelayServerOptions.Limits}, whose javadoc gives the
 * defaults.
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

    @Override
    public String usage() {
        return "relay-server --port N [--host 127.0.0.1] [--path /] [--max-frame-bytes N] [--max-rooms N]"
                + " [--rooms-per-connection N] [--frames-per-second N] [--max-queued-bytes N]"
                + " [--devices-per-room N] [--resends-per-second N]"
                + "  run a SolConnect relay; stdin: kill|blackhole|slow 200ms|heal|restart|shutdown|status|quit";
    }

    /** The limits with one per-connection option changed; the record checks the value. */
    private static RelayServerOptions.Limits limit(RelayServerOptions.Limits l, String option, long v) {
        int n = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
        return switch (option) {
            case "--rooms-per-connection" -> new RelayServerOptions.Limits(n, l.framesPerSecond(), l.maxQueuedBytes(),
                    l.devicesPerRoom(), l.resendsPerSecond());
            case "--frames-per-second" -> new RelayServerOptions.Limits(l.roomsPerConnection(), n, l.maxQueuedBytes(),
                    l.devicesPerRoom(), l.resendsPerSecond());
            case "--max-queued-bytes" -> new RelayServerOptions.Limits(l.roomsPerConnection(), l.framesPerSecond(), v,
                    l.devicesPerRoom(), l.resendsPerSecond());
            case "--devices-per-room" -> new RelayServerOptions.Limits(l.roomsPerConnection(), l.framesPerSecond(),
                    l.maxQueuedBytes(), n, l.resendsPerSecond());
            default -> new RelayServerOptions.Limits(l.roomsPerConnection(), l.framesPerSecond(), l.maxQueuedBytes(),
                    l.devicesPerRoom(), n);
        };
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        RelayServerOptions options = RelayServerOptions.ofDefaults();
        boolean portGiven = false;
        try {
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException("option " + a + " needs a value");
                }
                String v = args.get(++i);
                switch (a) {
                    case "--port" -> {
                        options = options.withPort(Integer.parseInt(v));
                        portGiven = true;
                    }
                    case "--host" -> options = options.withHost(v);
                    case "--path" -> options = new RelayServerOptions(options.host(), options.port(), v,
                            options.maxFrameBytes(), options.historyPerRoom(), options.idsPerRoom(), options.maxRooms(),
                            options.limits());
                    case "--max-frame-bytes" -> options = options.withMaxFrameBytes(Integer.parseInt(v));
                    case "--max-rooms" -> options = options.withMaxRooms(Integer.parseInt(v));
                    case "--rooms-per-connection", "--frames-per-second", "--max-queued-bytes", "--devices-per-room",
                         "--resends-per-second" -> options = options.withLimits(limit(options.limits(), a, Long.parseLong(v)));
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (!portGiven) {
                throw new IllegalArgumentException("--port is required (0 picks a free port)");
            }
        } catch (IllegalArgumentException e) {
            err.println("relay relay-server: " + e.getMessage());
            err.println("usage: ./relay " + usage());
            return 2;
        }
        if (!io.solconnect.relay.api.RelayEndpoint.isLoopbackHost(options.host())) {
            err.println("relay relay-server: warning: listening on " + options.host()
                    + ", reachable from other hosts, without TLS");
        }
        RelayServer server = RelayServer.start(options);
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(server::close, "relay-server-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("relay-server listening on " + server.uri());
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
