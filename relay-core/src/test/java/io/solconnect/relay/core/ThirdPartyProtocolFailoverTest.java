package io.solconnect.relay.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.solconnect.relay.api.RelayConfig;
import io.solconnect.relay.api.spi.RelayProtocol;
import io.solconnect.relay.core.plugin.ThirdPartySyncProtocol;
import io.solconnect.relay.core.sim.Clients;
import org.junit.jupiter.api.Test;

/**
 * Every failover scenario again, with the clients speaking a protocol plugin written against
 * {@code relay-api} alone ({@link ThirdPartySyncProtocol}): per-sender order, the resume wait and
 * resend requests must work through the public SPI exactly as with the built-in codec.
 */
class ThirdPartyProtocolFailoverTest extends FailoverTest {

    @Override
    RelayProtocol protocol(RelayConfig cfg) {
        return cfg.plugins().protocol().name().equals("solconnect-legacy") ? null : new ThirdPartySyncProtocol(cfg.outbox().maxMessageBytes());
    }

    @Test
    void thePluginIsWhatTheClientsSpeak() {
        RelayProtocol p = protocol(Clients.config(net).build());
        assertTrue(p instanceof ThirdPartySyncProtocol && p.sequencing().isPresent());
    }
}
