package io.solconnect.relay.examples.e2e;

import io.solconnect.relay.examples.server.nats.NatsServerProcess;
import org.junit.jupiter.api.Assumptions;

import static org.junit.jupiter.api.Assertions.fail;

/** The guard of the tests that start a real {@code nats-server}. Stateless. */
final class NatsServerRequired {

    private NatsServerRequired() {
    }

    /**
     * Returns when {@code nats-server} is installed; otherwise skips the calling test, or fails it
     * when the environment variable {@code CI} is set (CI installs it, so it missing there is a fault).
     */
    static void check() {
        if (NatsServerProcess.binary().isEmpty()) {
            String why = "nats-server is not installed: run ./relay-test as root, or apt-get install -y nats-server";
            if (System.getenv("CI") != null) {
                fail(why);
            }
            Assumptions.abort(why);
        }
    }
}
