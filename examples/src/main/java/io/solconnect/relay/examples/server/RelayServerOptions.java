package io.solconnect.relay.examples.server;

import java.util.Objects;

/**
 * How a {@link RelayServer} is started. Immutable and thread-safe.
 *
 * @param host            the address to bind; default {@code 127.0.0.1} (loopback only)
 * @param port            the TCP port, 1..65535, or 0 for an ephemeral one; default 0
 * @param path            the WebSocket path; default {@code /}
 * @param maxFrameBytes   largest inbound frame accepted, in UTF-8 bytes; a larger one gets an
 *                        {@code {"error": ...}} reply and the connection stays open; default 1 MiB
 * @param historyPerRoom  messages kept per room for {@code sync_request}; default 1000 (as the original)
 * @param idsPerRoom      client message ids remembered per room for idempotency; default 10,000
 * @param maxRooms        rooms kept at once; a frame for a new room beyond it gets an error; default 100,000
 */
public record RelayServerOptions(String host, int port, String path, int maxFrameBytes, int historyPerRoom,
                                 int idsPerRoom, int maxRooms) {

    /** Default {@link #maxFrameBytes()}: 1 MiB. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 1024 * 1024;

    /**
     * Checks the values.
     *
     * @param host           the address to bind
     * @param port           the TCP port, 0 for ephemeral
     * @param path           the WebSocket path
     * @param maxFrameBytes  largest inbound frame, in bytes
     * @param historyPerRoom messages kept per room
     * @param idsPerRoom     client ids remembered per room
     * @param maxRooms       rooms kept at once
     * @throws IllegalArgumentException naming the bad value
     */
    public RelayServerOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(path, "path");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be in 0..65535, was " + port);
        }
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/', was '" + path + "'");
        }
        if (maxFrameBytes < 1024 || maxFrameBytes > 64 * 1024 * 1024) {
            throw new IllegalArgumentException("maxFrameBytes must be in 1 KiB..64 MiB, was " + maxFrameBytes);
        }
        if (historyPerRoom < 1 || idsPerRoom < 1 || maxRooms < 1) {
            throw new IllegalArgumentException("historyPerRoom, idsPerRoom and maxRooms must be positive");
        }
    }

    /**
     * The defaults: loopback, an ephemeral port, path {@code /}, 1 MiB frames, 1000 messages of
     * history, 10,000 ids and 100,000 rooms.
     *
     * @return the options
     */
    public static RelayServerOptions ofDefaults() {
        return new RelayServerOptions("127.0.0.1", 0, "/", DEFAULT_MAX_FRAME_BYTES, 1000, 10_000, 100_000);
    }

    /**
     * A copy bound to another port.
     *
     * @param newPort 0..65535
     * @return the copy
     */
    public RelayServerOptions withPort(int newPort) {
        return new RelayServerOptions(host, newPort, path, maxFrameBytes, historyPerRoom, idsPerRoom, maxRooms);
    }

    /**
     * A copy bound to another host.
     *
     * @param newHost an address or name
     * @return the copy
     */
    public RelayServerOptions withHost(String newHost) {
        return new RelayServerOptions(newHost, port, path, maxFrameBytes, historyPerRoom, idsPerRoom, maxRooms);
    }

    /**
     * A copy with another frame limit.
     *
     * @param bytes 1 KiB..64 MiB
     * @return the copy
     */
    public RelayServerOptions withMaxFrameBytes(int bytes) {
        return new RelayServerOptions(host, port, path, bytes, historyPerRoom, idsPerRoom, maxRooms);
    }
}
