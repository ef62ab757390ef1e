package io.solconnect.relay.examples.server;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

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
 * @param maxRooms        rooms kept at once; a room with no members and no history is freed at once,
 *                        and at the cap a room with no members is freed (history and all) to make
 *                        room; a frame for a new room when every room has members gets an error;
 *                        default 100,000
 * @param limits          per-connection limits; default {@link Limits#ofDefaults()}
 * @param fleetId         the fleet this relay says it belongs to ({@code {"type":"relay_info","fleetId":..}}
 *                        right after each connection opens, and {@code "fleetId"} in each
 *                        {@code sync_response}): 1..128 characters of {@code [A-Za-z0-9._:-]}. Only
 *                        relays that share one log and its sequence numbers may report one id;
 *                        default none (the relay shares nothing, as the original relays)
 */
public record RelayServerOptions(String host, int port, String path, int maxFrameBytes, int historyPerRoom,
                                 int idsPerRoom, int maxRooms, Limits limits, Optional<String> fleetId) {

    private static final Pattern FLEET_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    /**
     * Options of a relay that reports no fleet.
     *
     * @param host           the address to bind
     * @param port           the TCP port, 0 for ephemeral
     * @param path           the WebSocket path
     * @param maxFrameBytes  largest inbound frame, in bytes
     * @param historyPerRoom messages kept per room
     * @param idsPerRoom     client ids remembered per room
     * @param maxRooms       rooms kept at once
     * @param limits         per-connection limits
     * @throws IllegalArgumentException naming the bad value
     */
    public RelayServerOptions(String host, int port, String path, int maxFrameBytes, int historyPerRoom,
                              int idsPerRoom, int maxRooms, Limits limits) {
        this(host, port, path, maxFrameBytes, historyPerRoom, idsPerRoom, maxRooms, limits, Optional.empty());
    }

    /**
     * What one connection may do. Immutable and thread-safe.
     *
     * @param roomsPerConnection rooms one connection may be a member of; a join beyond it gets an
     *                           error; default 1,000
     * @param framesPerSecond    frames one connection may send per second (per wall-clock second);
     *                           the first frame over it gets an error and the rest of that second's
     *                           frames are dropped unanswered; default 20,000
     * @param maxQueuedBytes     bytes queued for sending to one connection and not yet written to its
     *                           socket; a reader that falls this far behind is cut off with close
     *                           code 1008; default 16 MiB
     * @param devicesPerRoom     devices a room's {@code device_list} holds; an announce of a new device
     *                           beyond it gets an error; default 1,000
     * @param resendsPerSecond   resend frames ({@code resend}, or {@code sync_update} with
     *                           {@code "resend": true}) one connection may send per second; over it a
     *                           {@code resend} gets an error and an update is stored and acked but not
     *                           broadcast again; default 20
     */
    public record Limits(int roomsPerConnection, int framesPerSecond, long maxQueuedBytes, int devicesPerRoom,
                         int resendsPerSecond) {

        /**
         * Checks the values.
         *
         * @param roomsPerConnection rooms one connection may be a member of, at least 1
         * @param framesPerSecond    frames one connection may send per second, at least 1
         * @param maxQueuedBytes     bytes queued for one connection, at least 64 KiB
         * @param devicesPerRoom     devices a room lists, at least 1
         * @param resendsPerSecond   resend frames one connection may send per second, at least 1
         * @throws IllegalArgumentException naming the bad value
         */
        public Limits {
            positive("roomsPerConnection", roomsPerConnection);
            positive("framesPerSecond", framesPerSecond);
            positive("devicesPerRoom", devicesPerRoom);
            positive("resendsPerSecond", resendsPerSecond);
            if (maxQueuedBytes < 64 * 1024) {
                throw new IllegalArgumentException("maxQueuedBytes must be at least 64 KiB, was " + maxQueuedBytes);
            }
        }

        /**
         * The defaults: 1,000 rooms, 20,000 frames and 20 resends per second, 16 MiB queued,
         * 1,000 devices per room.
         *
         * @return the limits
         */
        public static Limits ofDefaults() {
            return new Limits(1000, 20_000, 16L * 1024 * 1024, 1000, 20);
        }

        private static void positive(String name, long v) {
            if (v < 1) {
                throw new IllegalArgumentException(name + " must be positive, was " + v);
            }
        }
    }

    /**
     * Options with the default {@link Limits}.
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
    public RelayServerOptions(String host, int port, String path, int maxFrameBytes, int historyPerRoom,
                              int idsPerRoom, int maxRooms) {
        this(host, port, path, maxFrameBytes, historyPerRoom, idsPerRoom, maxRooms, Limits.ofDefaults());
    }

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
     * @param limits         per-connection limits
     * @param fleetId        the fleet reported, if any
     * @throws IllegalArgumentException naming the bad value
     */
    public RelayServerOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(fleetId, "fleetId");
        if (fleetId.isPresent() && !FLEET_ID.matcher(fleetId.get()).matches()) {
            throw new IllegalArgumentException("fleetId must be 1..128 characters of [A-Za-z0-9._:-], was '"
                    + fleetId.get() + "'");
        }
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
        return new RelayServerOptions(host, newPort, path, maxFrameBytes, historyPerRoom, idsPerRoom, maxRooms, limits, fleetId);
    }

    /**
     * A copy bound to another host.
     *
     * @param newHost an address or name
     * @return the copy
     */
    public RelayServerOptions withHost(String newHost) {
        return new RelayServerOptions(newHost, port, path, maxFrameBytes, historyPerRoom, idsPerRoom, maxRooms, limits, fleetId);
    }

    /**
     * A copy with another frame limit.
     *
     * @param bytes 1 KiB..64 MiB
     * @return the copy
     */
    public RelayServerOptions withMaxFrameBytes(int bytes) {
        return new RelayServerOptions(host, port, path, bytes, historyPerRoom, idsPerRoom, maxRooms, limits, fleetId);
    }

    /**
     * A copy with other per-connection limits.
     *
     * @param newLimits the limits
     * @return the copy
     */
    public RelayServerOptions withLimits(Limits newLimits) {
        return new RelayServerOptions(host, port, path, maxFrameBytes, historyPerRoom, idsPerRoom, maxRooms, newLimits, fleetId);
    }

    /**
     * A copy that reports {@code id} as its fleet.
     *
     * @param id 1..128 characters of {@code [A-Za-z0-9._:-]}
     * @return the copy
     * @throws IllegalArgumentException for a malformed id
     */
    public RelayServerOptions withFleetId(String id) {
        return new RelayServerOptions(host, port, path, maxFrameBytes, historyPerRoom, idsPerRoom, maxRooms, limits,
                Optional.of(id));
    }

    /**
     * A copy with another room cap.
     *
     * @param rooms at least 1
     * @return the copy
     */
    public RelayServerOptions withMaxRooms(int rooms) {
        return new RelayServerOptions(host, port, path, maxFrameBytes, historyPerRoom, idsPerRoom, rooms, limits, fleetId);
    }
}
