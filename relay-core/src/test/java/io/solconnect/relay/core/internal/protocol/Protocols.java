package io.solconnect.relay.core.internal.protocol;

import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.spi.RelayProtocol;

/** Test access to the package-private codecs. */
public final class Protocols {
    private Protocols() {
    }

    public static RelayProtocol create(boolean legacy, RelayConfig config) {
        return legacy ? new LegacyProtocol(config.outbox().maxMessageBytes()) : new SyncProtocol(config.outbox().maxMessageBytes());
    }
}
