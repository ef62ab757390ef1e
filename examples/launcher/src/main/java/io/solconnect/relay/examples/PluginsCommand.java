package io.solconnect.relay.examples;

import io.solconnect.relay.api.RelayError;
import io.solconnect.relay.core.ProviderInfo;
import io.solconnect.relay.core.ProviderRegistry;
import io.solconnect.relay.examples.commandline.Cli;
import picocli.CommandLine;

import java.io.PrintStream;
import java.util.List;
import java.util.OptionalInt;

/** {@code ./relay plugins}: lists every provider found on the module path, one per line. */
final class PluginsCommand implements Command {

    /** The command line of {@code plugins}: no options besides help and version. */
    @CommandLine.Command(name = "plugins", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
            description = {"list every provider found: <spi> <name> <module>",
                    "Problems with a provider (one that fails to load) go to standard error."})
    static final class Options {
    }

    @Override
    public String name() {
        return "plugins";
    }

    @Override
    public String usage() {
        return Cli.summary(name(), new Options());
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        OptionalInt parsed = Cli.parse(name(), new Options(), args, out, err);
        if (parsed.isPresent()) {
            return parsed.getAsInt();
        }
        ProviderRegistry registry = ProviderRegistry.load();
        for (ProviderInfo p : registry.providers()) {
            out.println(p.line());
        }
        for (RelayError problem : registry.problems()) {
            err.println("problem: " + problem);
        }
        return 0;
    }
}
