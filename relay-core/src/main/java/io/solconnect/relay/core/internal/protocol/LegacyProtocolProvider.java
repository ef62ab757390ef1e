package io.solconnect.relay.core.internal.protocol;

import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.spi.PluginContext;
import io.solconnect.relay.api.spi.ProtocolProvider;
import io.solconnect.relay.api.spi.RelayProtocol;

/**
 * Provides {@code solconnect-legacy} for the original relay: no acknowledgements, so deliveries
 * are reported unconfirmed. No settings; the frame limit is {@code maxMessageBytes}. Stateless and
 * thread-safe.
 */
public final class LegacyProtocolProvider implements ProtocolProvider {

    /** The provider name. */
    public static final String NAME = "solconnect-legacy";

    /** Creates the provider (no I/O). */
    public LegacyProtocolProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Result<RelayProtocol> create(PluginContext context) {
        return Result.ok(new LegacyProtocol(context.config().outbox().maxMessageBytes()));
    }
}
