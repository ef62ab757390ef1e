package io.solconnect.relay.examples;

import io.solconnect.relay.api.RelayError;
import io.solconnect.relay.core.ProviderInfo;
import io.solconnect.relay.core.ProviderRegistry;

import java.io.PrintStream;
import java.util.List;

/** {@code ./relay plugins}: lists every provider found on the module path, one per line. */
final class PluginsCommand implements Command {

    @Override
    public String name() {
        return "plugins";
    }

    @Override
    public String usage() {
        return "plugins                 list every provider found: <spi> <name> <module>";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        if (!args.isEmpty()) {
            err.println("relay plugins: takes no arguments");
            return 2;
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
