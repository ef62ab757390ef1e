package io.solconnect.relay.core.internal.engine;

import io.solconnect.relay.api.spi.ProtocolFrame;
import io.solconnect.relay.api.spi.SequencedProtocol;
import java.util.List;
import java.util.Optional;

/**
 * An inbound frame as decoded on the transport's thread, with what the protocol's capabilities
 * add (origins, a resend request, whether it answers a resume and whether more parts of that answer
 * follow, the fleet its relay claims) and its size in UTF-8 bytes.
 */
record InFrame(ProtocolFrame frame, List<Optional<SequencedProtocol.Origin>> origins,
               Optional<SequencedProtocol.Resend> resend, boolean resumeReply, boolean morePartsDue, int bytes,
               Optional<String> fleet) {

    /** A frame that claims no fleet and is not a part of a split resume answer followed by more. */
    InFrame(ProtocolFrame frame, List<Optional<SequencedProtocol.Origin>> origins,
            Optional<SequencedProtocol.Resend> resend, boolean resumeReply, int bytes) {
        this(frame, origins, resend, resumeReply, false, bytes, Optional.empty());
    }

    /** A frame that is not a part of a split resume answer followed by more. */
    InFrame(ProtocolFrame frame, List<Optional<SequencedProtocol.Origin>> origins,
            Optional<SequencedProtocol.Resend> resend, boolean resumeReply, int bytes, Optional<String> fleet) {
        this(frame, origins, resend, resumeReply, false, bytes, fleet);
    }

    /** A frame that claims no fleet. */
    InFrame(ProtocolFrame frame, List<Optional<SequencedProtocol.Origin>> origins,
            Optional<SequencedProtocol.Resend> resend, boolean resumeReply, boolean morePartsDue, int bytes) {
        this(frame, origins, resend, resumeReply, morePartsDue, bytes, Optional.empty());
    }
}
