/**
 * {@code ./relay send} and {@code ./relay receive}: a {@code RelayManager} on the command line,
 * and the parts the demo and the benchmarks share with them (numbered payloads, summaries,
 * event printing).
 */
module io.solconnect.relay.examples.cli {
    requires io.solconnect.relay.examples;
    requires io.solconnect.relay.api;
    requires io.solconnect.relay.core;
    requires info.picocli;

    exports io.solconnect.relay.examples.cli;
    // picocli fills the commands' annotated option fields reflectively
    opens io.solconnect.relay.examples.cli to info.picocli;

    provides io.solconnect.relay.examples.Command with
            io.solconnect.relay.examples.cli.SendCommand,
            io.solconnect.relay.examples.cli.ReceiveCommand;
}
