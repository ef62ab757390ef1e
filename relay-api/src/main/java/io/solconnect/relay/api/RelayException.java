package io.solconnect.relay.api;

import java.util.Objects;

/**
 * An unchecked exception carrying a {@link RelayError}, for callers who prefer exceptions to
 * {@link Result}: {@link Result#orElseThrow()} throws it for a failure, and
 * {@link RelayClient#awaitConnected(java.time.Duration)} for a client that did not connect in time.
 * Match on {@link #code()} rather than on the message. Immutable and thread-safe.
 */
public final class RelayException extends RuntimeException {

    private final transient RelayError error;

    /**
     * Wraps an error.
     *
     * @param error the error; its text becomes the exception message ({@code "<code>: <message>"})
     */
    public RelayException(RelayError error) {
        super(Objects.requireNonNull(error, "error").toString());
        this.error = error;
    }

    /**
     * The error this exception carries.
     *
     * @return the error
     */
    public RelayError error() {
        return error;
    }

    /**
     * The stable code of the error, e.g. {@link ErrorCode#STORE_LOCKED}.
     *
     * @return the code
     */
    public ErrorCode code() {
        return error.code();
    }
}
