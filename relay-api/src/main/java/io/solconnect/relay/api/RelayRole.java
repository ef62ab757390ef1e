package io.solconnect.relay.api;

/** What a relay is to the session right now. */
public enum RelayRole {
    /** Carries the session's traffic. */
    PRIMARY,
    /** Connected and joined, ready to take over without a handshake. */
    STANDBY,
    /** Known and eligible, not connected. */
    CANDIDATE,
    /** Temporarily excluded after repeated failures. */
    EJECTED,
    /** Gone from discovery; kept until its in-flight messages are settled. */
    DRAINING
}
