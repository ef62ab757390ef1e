package io.solconnect.relay.examples;

import io.solconnect.relay.examples.commandline.Cli;
import org.slf4j.bridge.SLF4JBridgeHandler;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/** Entry point of the {@code ./relay} launcher: dispatches to a {@link Command}. */
public final class Main {

    /**
     * Every subcommand: the launcher's own and those provided by sub-packages through
     * {@code provides io.solconnect.relay.examples.Command} (so this package never refers to them).
     */
    static final List<Command> COMMANDS = commands();

    private static List<Command> commands() {
        List<Command> all = new ArrayList<>(List.of(new PluginsCommand(), new BenchCommand()));
        all.addAll(load(Command.class));
        all.sort(Comparator.comparing(Command::name));
        return List.copyOf(all);
    }

    static <C extends Command> List<C> load(Class<C> type) {
        List<C> found = new ArrayList<>();
        ServiceLoader.load(type, Main.class.getClassLoader()).forEach(found::add);
        found.sort(Comparator.comparing(Command::name));
        return List.copyOf(found);
    }

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
        if (args.length == 0) {
            usage(err);
            return Cli.USAGE;
        }
        switch (args[0]) {
            case "--help", "-h" -> {
                usage(out);
                return 0;
            }
            case "help" -> {
                if (args.length == 1) {
                    usage(out);
                    return 0;
                }
                // ./relay help send == ./relay send --help
                String[] rest = Arrays.copyOfRange(args, 1, args.length + 1);
                rest[rest.length - 1] = "--help";
                return run(rest, out, err);
            }
            case "--version", "-V" -> {
                out.println(String.join(System.lineSeparator(), new Cli.Version().getVersion()));
                return 0;
            }
            default -> {
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
                return Cli.USAGE;
            }
        }
    }

    private static void usage(PrintStream s) {
        s.println("usage: ./relay <command> [options]   (./relay <command> --help lists its options;"
                + " ./relay --version)");
        for (Command c : COMMANDS) {
            s.println("  " + c.usage());
        }
    }
}
