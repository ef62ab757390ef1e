package io.solconnect.relay.examples.server.nats;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.ClusterInfo;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A cluster of {@code nats-server} JetStream nodes routed to each other on loopback, each with its
 * own store in a temporary directory; streams on it can have up to {@link #size()} replicas.
 * Thread-safe.
 */
public final class NatsCluster implements AutoCloseable {

    private static final Duration JETSTREAM_TIMEOUT = Duration.ofSeconds(30);
    private final List<NatsServerProcess> nodes;
    private final Path root;

    private NatsCluster(List<NatsServerProcess> nodes, Path root) {
        this.nodes = List.copyOf(nodes);
        this.root = root;
    }

    /**
     * Starts {@code size} nodes on free loopback ports, routed to each other, and waits until
     * JetStream answers (a metadata leader was elected).
     *
     * @param size nodes, at least 1 (3 for R3 streams)
     * @return the running cluster
     * @throws IOException when nats-server is missing or the cluster does not become ready
     */
    public static NatsCluster start(int size) throws IOException {
        if (size < 1) {
            throw new IllegalArgumentException("a cluster has at least one node, was " + size);
        }
        List<Integer> clientPorts = new ArrayList<>();
        List<Integer> routePorts = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            clientPorts.add(NatsServerProcess.freePort());
            routePorts.add(NatsServerProcess.freePort());
        }
        String routes = routePorts.stream().map(p -> "nats://127.0.0.1:" + p).collect(Collectors.joining(","));
        Path root = Files.createTempDirectory("nats-cluster-");
        List<NatsServerProcess> started = new ArrayList<>();
        try {
            for (int i = 0; i < size; i++) {
                List<String> args = size == 1 ? List.of() : List.of("--cluster_name", "solconnect",
                        "--cluster", "nats://127.0.0.1:" + routePorts.get(i), "--routes", routes);
                started.add(NatsServerProcess.start("n" + (i + 1), clientPorts.get(i),
                        Files.createDirectory(root.resolve("n" + (i + 1))), args));
            }
            NatsCluster c = new NatsCluster(started, root);
            c.awaitJetStream();
            return c;
        } catch (IOException | RuntimeException e) {
            started.forEach(NatsServerProcess::close);
            Files.deleteIfExists(root);
            throw e;
        }
    }

    /**
     * Waits until JetStream answers an account request through any live node (after a start, or
     * after a node was killed and the cluster elects new leaders).
     *
     * @throws IOException when it does not within 30 s
     */
    public void awaitJetStream() throws IOException {
        long deadline = System.nanoTime() + JETSTREAM_TIMEOUT.toNanos();
        Options o = new Options.Builder().servers(uris().stream().map(URI::toString).toArray(String[]::new))
                .connectionTimeout(Duration.ofSeconds(2)).maxReconnects(-1).build();
        Exception last = null;
        try (Connection nc = Nats.connect(o)) {
            while (System.nanoTime() < deadline) {
                try {
                    nc.jetStreamManagement().getAccountStatistics();
                    return;
                } catch (IOException | JetStreamApiException e) {
                    last = e;
                    nc.flush(Duration.ofMillis(250)); // a round trip before asking again
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for JetStream", e);
        } catch (java.util.concurrent.TimeoutException e) {
            last = e;
        }
        throw new IOException("JetStream did not answer within " + JETSTREAM_TIMEOUT + ": " + last);
    }

    /**
     * The node that leads a stream's replicas now (where its writes go first): the node whose kill
     * hurts the stream most.
     *
     * @param stream the stream's name
     * @return the leader, empty when the stream does not exist or has no leader now
     * @throws IOException when no live node answers
     */
    public Optional<NatsServerProcess> leaderOf(String stream) throws IOException {
        Options o = new Options.Builder().servers(uris().stream().map(URI::toString).toArray(String[]::new))
                .connectionTimeout(Duration.ofSeconds(2)).build();
        try (Connection nc = Nats.connect(o)) {
            ClusterInfo ci = nc.jetStreamManagement().getStreamInfo(stream).getClusterInfo();
            String leader = ci == null ? null : ci.getLeader();
            return nodes.stream().filter(n -> n.name().equals(leader)).findFirst();
        } catch (JetStreamApiException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking for the leader of " + stream, e);
        }
    }

    /**
     * The nodes, in start order.
     *
     * @return the nodes
     */
    public List<NatsServerProcess> nodes() {
        return nodes;
    }

    /**
     * How many nodes the cluster has (live or not).
     *
     * @return the count
     */
    public int size() {
        return nodes.size();
    }

    /**
     * Every node's client URL, for a client's server list.
     *
     * @return the URLs
     */
    public List<URI> uris() {
        return nodes.stream().map(NatsServerProcess::uri).toList();
    }

    /** Kills every node and removes their stores. */
    @Override
    public void close() {
        nodes.forEach(NatsServerProcess::close);
        try {
            Files.deleteIfExists(root);
        } catch (IOException e) {
            // a leftover empty temp directory is harmless
        }
    }
}
