package io.solconnect.relay.core.internal.engine;

import io.solconnect.relay.api.spi.ProtocolFrame;
import io.solconnect.relay.api.spi.SequencedProtocol;
import java.util.List;
import java.util.Optional;

/**
 * An inbound frame as decoded on the transport's thread, with what the protocol's capabilities
 * add (origins, a resend request, whether it answers a resume, the fleet its relay claims) and its size in UTF-8 bytes.
 */
record InFrame(ProtocolFrame frame, List<Optional<SequencedProtocol.Origin>> origins,
               Optional<SequencedProtocol.Resend> resend, boolean resumeReply, int bytes, Optional<String> fleet) {

    /** A frame that claims no fleet. */
    InFrame(ProtocolFrame frame, List<Optional<SequencedProtocol.Origin>> origins,
            Optional<SequencedProtocol.Resend> resend, boolean resumeReply, int bytes) {
        this(frame, origins, resend, resumeReply, bytes, Optional.empty());
    }
}
