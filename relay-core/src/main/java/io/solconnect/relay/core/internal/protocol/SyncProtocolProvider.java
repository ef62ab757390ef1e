package io.solconnect.relay.core.internal.protocol;

import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.spi.PluginContext;
import io.solconnect.relay.api.spi.ProtocolProvider;
import io.solconnect.relay.api.spi.RelayProtocol;

/**
 * Provides {@code solconnect-sync}, the default protocol: acknowledged delivery through
 * {@code sync_update}/{@code sync_ack} and resume through {@code sync_request}. No settings; the
 * frame limit is {@code maxMessageBytes}, except for resume replies ({@code maxResumeBytes}).
 * Stateless and thread-safe.
 */
public final class SyncProtocolProvider implements ProtocolProvider {

    /** The provider name. */
    public static final String NAME = "solconnect-sync";

    /** Creates the provider (no I/O). */
    public SyncProtocolProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Result<RelayProtocol> create(PluginContext context) {
        return Result.ok(new SyncProtocol(context.config().outbox().maxMessageBytes(),
                context.config().outbox().maxResumeBytes()));
    }
}
