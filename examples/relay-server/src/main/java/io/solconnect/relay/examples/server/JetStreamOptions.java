package io.solconnect.relay.examples.server;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where and how a {@link RelayServer} shares its messages with the other relays of a fleet through a
 * NATS JetStream stream (the {@code --backplane} option of {@code ./relay relay-server}). Immutable
 * and thread-safe.
 *
 * @param servers          the NATS servers, {@code nats://HOST:PORT}; at least one; the client
 *                         connects to any and fails over between them
 * @param stream           the JetStream stream's name; default {@code SOLCONNECT}
 * @param subjectPrefix    the stream holds {@code <prefix>.<room token>} subjects, one per room;
 *                         default {@code solconnect.room}
 * @param replicas         copies of the stream kept by the NATS cluster, 1..5; default 1 (use 3 on
 *                         a 3-node cluster); only used when this relay creates the stream
 * @param duplicateWindow  how long JetStream remembers a message id, so that a retried or
 *                         re-published message is stored once fleet-wide; default 2 minutes
 * @param publishTimeout   how long a relay keeps trying to store an accepted message (retrying
 *                         while the NATS cluster elects a leader or the client reconnects) before it
 *                         answers the client with an error instead of an ack; default 10 s
 * @param maxPerRoom       messages the stream keeps per room, the oldest dropped first; default 10,000
 */
public record JetStreamOptions(List<URI> servers, String stream, String subjectPrefix, int replicas,
                               Duration duplicateWindow, Duration publishTimeout, long maxPerRoom) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException naming the bad value
     */
    public JetStreamOptions {
        servers = List.copyOf(servers);
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("at least one NATS server is needed");
        }
        for (URI u : servers) {
            if (!"nats".equals(u.getScheme()) || u.getHost() == null || u.getPort() < 1) {
                throw new IllegalArgumentException("a NATS server must be nats://HOST:PORT, was " + u);
            }
        }
        if (stream == null || !NAME.matcher(stream).matches()) {
            throw new IllegalArgumentException("stream must be 1..64 of A-Z a-z 0-9 _ -, was " + stream);
        }
        if (subjectPrefix == null || !PREFIX.matcher(subjectPrefix).matches()) {
            throw new IllegalArgumentException("subjectPrefix must be dot-separated tokens of A-Z a-z 0-9 _ -, was "
                    + subjectPrefix);
        }
        if (replicas < 1 || replicas > 5) {
            throw new IllegalArgumentException("replicas must be 1..5, was " + replicas);
        }
        if (duplicateWindow == null || duplicateWindow.toMillis() < 1) {
            throw new IllegalArgumentException("duplicateWindow must be positive, was " + duplicateWindow);
        }
        if (publishTimeout == null || publishTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("publishTimeout must be positive, was " + publishTimeout);
        }
        if (maxPerRoom < 1) {
            throw new IllegalArgumentException("maxPerRoom must be positive, was " + maxPerRoom);
        }
    }

    /**
     * The defaults for these servers: stream {@code SOLCONNECT}, subjects {@code solconnect.room.>},
     * one replica, a 2-minute duplicate window, a 10 s publish timeout, 10,000 messages per room.
     *
     * @param servers the NATS servers
     * @return the options
     * @throws IllegalArgumentException for no server or a bad URI
     */
    public static JetStreamOptions of(List<URI> servers) {
        return new JetStreamOptions(servers, "SOLCONNECT", "solconnect.room", 1, Duration.ofMinutes(2),
                Duration.ofSeconds(10), 10_000);
    }

    /**
     * Parses a comma-separated server list, {@code nats://HOST:PORT[,nats://HOST:PORT...]}, into the
     * defaults of {@link #of(List)}.
     *
     * @param list the list
     * @return the options
     * @throws IllegalArgumentException naming the bad entry
     */
    public static JetStreamOptions parse(String list) {
        List<URI> uris = new ArrayList<>();
        for (String s : list.split(",")) {
            String t = s.strip();
            if (t.isEmpty()) {
                continue;
            }
            try {
                uris.add(new URI(t));
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException("not a NATS server URI: '" + t + "'");
            }
        }
        return of(uris);
    }

    /**
     * A copy with another replica count.
     *
     * @param n copies of the stream, 1..5
     * @return the copy
     */
    public JetStreamOptions withReplicas(int n) {
        return new JetStreamOptions(servers, stream, subjectPrefix, n, duplicateWindow, publishTimeout, maxPerRoom);
    }

    /**
     * A copy with another publish timeout.
     *
     * @param t how long to keep trying to store a message before answering with an error
     * @return the copy
     */
    public JetStreamOptions withPublishTimeout(Duration t) {
        return new JetStreamOptions(servers, stream, subjectPrefix, replicas, duplicateWindow, t, maxPerRoom);
    }
}
