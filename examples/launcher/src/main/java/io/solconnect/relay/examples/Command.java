package io.solconnect.relay.examples;

import java.io.PrintStream;
import java.util.List;

/** One {@code ./relay} subcommand. Implementations are stateless; {@link #run} may block. */
public interface Command {

    /**
     * The word that selects it, e.g. {@code "plugins"}.
     *
     * @return the name
     */
    String name();

    /**
     * One line of usage for {@code ./relay help}.
     *
     * @return e.g. {@code "plugins    list every provider found: <spi> <name> <module>"}
     */
    String usage();

    /**
     * Runs the command.
     *
     * @param args the arguments after the command name
     * @param out  where results go
     * @param err  where errors go
     * @return the process exit code: 0 success, 2 bad arguments, 1 failure
     * @throws Exception on unexpected failures (printed by the launcher, exit code 1)
     */
    int run(List<String> args, PrintStream out, PrintStream err) throws Exception;
}
