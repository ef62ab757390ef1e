package io.solconnect.relay.examples;

import org.slf4j.bridge.SLF4JBridgeHandler;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/** Entry point of the {@code ./relay} launcher: dispatches to a {@link Command}. */
public final class Main {

    /** Every subcommand; add new ones here. */
    static final List<Command> COMMANDS = List.of(
            new PluginsCommand(),
            new io.solconnect.relay.examples.server.RelayServerCommand(),
            new io.solconnect.relay.examples.cli.SendCommand(),
            new io.solconnect.relay.examples.cli.ReceiveCommand(),
            new BenchCommand(),
            new io.solconnect.relay.examples.demo.DemoCommand());

    private Main() {
    }

    /**
     * Runs a subcommand and exits with its code.
     *
     * @param args the command name and its arguments
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs a subcommand.
     *
     * @param args the command name and its arguments
     * @param out  standard output
     * @param err  standard error
     * @return the exit code
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            usage(args.length == 0 ? err : out);
            return args.length == 0 ? 2 : 0;
        }
        for (Command c : COMMANDS) {
            if (c.name().equals(args[0])) {
                try {
                    return c.run(List.of(Arrays.copyOfRange(args, 1, args.length)), out, err);
                } catch (Exception e) {
                    err.println("relay " + c.name() + ": " + e);
                    return 1;
                }
            }
        }
        err.println("relay: unknown command '" + args[0] + "'");
        usage(err);
        return 2;
    }

    private static void usage(PrintStream s) {
        s.println("usage: ./relay <command> [options]");
        for (Command c : COMMANDS) {
            s.println("  " + c.usage());
        }
    }
}
