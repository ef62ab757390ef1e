package io.solconnect.relay.api;

/**
 * Stable machine-readable codes of {@link RelayError}. The {@link #code()} strings never change
 * between releases, so applications may match on them, log them or send them elsewhere.
 */
public enum ErrorCode {
    /** A configuration value, file or setting is invalid. */
    INVALID_CONFIG("invalid_config"),
    /** No provider of the requested SPI has the configured name. */
    UNKNOWN_PROVIDER("unknown_provider"),
    /** Two providers of one SPI share a name. */
    DUPLICATE_PROVIDER("duplicate_provider"),
    /** A provider threw while being created or used. */
    PROVIDER_FAILED("provider_failed"),
    /** A connection to a relay could not be opened. */
    CONNECT_FAILED("connect_failed"),
    /** A connection closed or failed while in use. */
    CONNECTION_LOST("connection_lost"),
    /** A relay or discovery source answered with something that is not valid input. */
    BAD_INPUT("bad_input"),
    /** A relay refused a message. */
    REJECTED("rejected"),
    /** The outbox is full (by count or bytes); the message was not accepted. */
    OUTBOX_FULL("outbox_full"),
    /** A message or frame is larger than the configured limit. */
    TOO_LARGE("too_large"),
    /** An operation did not finish in time. */
    TIMEOUT("timeout"),
    /** The component is stopped or was never started. */
    CLOSED("closed"),
    /** An input/output operation (file, socket, DNS, HTTP) failed. */
    IO("io"),
    /** A discovery source failed or returned nothing usable. */
    DISCOVERY_FAILED("discovery_failed"),
    /** An address or URL is refused by the security policy (scheme, range, userinfo). */
    FORBIDDEN("forbidden"),
    /** The store's directory is in use by another client (this process or another one). */
    STORE_LOCKED("store_locked");

    private final String code;

    ErrorCode(String code) {
        this.code = code;
    }

    /**
     * Returns the stable lowercase code, e.g. {@code "outbox_full"}.
     *
     * @return the code string; never changes between releases
     */
    public String code() {
        return code;
    }
}
