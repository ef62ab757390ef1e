/**
 * The {@code ./relay} launcher: {@link io.solconnect.relay.examples.Main} dispatches to the
 * {@link io.solconnect.relay.examples.Command}s and {@link io.solconnect.relay.examples.Benchmark}s
 * that other modules provide (found with {@link java.util.ServiceLoader}), plus its own
 * {@code plugins} and {@code bench}; {@link io.solconnect.relay.examples.commandline.Cli} holds the
 * picocli conventions every subcommand shares.
 */
module io.solconnect.relay.examples {
    // Cli's public signatures use picocli and relay-api types
    requires transitive info.picocli;
    requires transitive io.solconnect.relay.api;
    requires io.solconnect.relay.core;
    requires jul.to.slf4j;
    requires java.logging;

    exports io.solconnect.relay.examples;
    exports io.solconnect.relay.examples.commandline;
    // picocli fills the commands' annotated option fields reflectively
    opens io.solconnect.relay.examples to info.picocli;
    opens io.solconnect.relay.examples.commandline to info.picocli;

    uses io.solconnect.relay.examples.Command;
    uses io.solconnect.relay.examples.Benchmark;
}
