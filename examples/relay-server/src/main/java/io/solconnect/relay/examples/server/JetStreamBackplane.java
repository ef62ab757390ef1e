package io.solconnect.relay.examples.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The shared log on NATS JetStream: one stream ({@link JetStreamOptions#stream()}), one subject per
 * room ({@link RoomSubjects}). Each accepted message is published with the client's message id as
 * {@code Nats-Msg-Id} (so the stream stores it once however often it is retried, through whichever
 * relay) and its sender's {@link PeerTokens token}; the stream sequence is the message's sequence
 * number. Every relay reads the whole stream from "now" with an ordered consumer and hands each
 * message to its {@link Backplane.Sink}, so the members of a room on every relay get it once.
 * History comes from the stream, so a relay with empty memory serves {@code sync_request} in full.
 *
 * <p>Thread model: publishes complete on the NATS client's threads; a publish that fails (no
 * leader yet, reconnecting) is tried again every 200 ms on this backplane's timer thread until
 * {@link JetStreamOptions#publishTimeout()}; the consumer delivers on one NATS dispatcher thread,
 * in stream order. Thread-safe.
 */
final class JetStreamBackplane implements Backplane {

    private static final Logger LOG = LoggerFactory.getLogger(JetStreamBackplane.class);
    /** The header naming the sender's token. */
    static final String ORIGIN = "Sc-Origin";
    private static final long RETRY_MS = 200;
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(2);

    private final JetStreamOptions options;
    private final RoomSubjects subjects;
    private final Sink sink;
    private final ObjectMapper json;
    private final PeerTokens tokens = new PeerTokens();
    private final AtomicLong anonymous = new AtomicLong();
    private final Connection nc;
    private final JetStream js;
    private final JetStreamManagement jsm;
    private final ScheduledExecutorService timer;
    private final Object setupLock = new Object();
    private Dispatcher dispatcher; // guarded by setupLock; non-null once the stream is there and read
    private volatile boolean ready; // set once dispatcher is: the publish path skips the lock then

    private JetStreamBackplane(JetStreamOptions options, Sink sink, ObjectMapper json, Connection nc) throws IOException {
        this.options = options;
        this.subjects = new RoomSubjects(options.subjectPrefix());
        this.sink = sink;
        this.json = json;
        this.nc = nc;
        this.js = nc.jetStream();
        this.jsm = nc.jetStreamManagement();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "relay-backplane-retry");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Connects to NATS, creates the stream when it is not there yet, and starts reading it.
     *
     * @param options the servers and the stream
     * @param sink    where the stream's messages go
     * @param json    the relay's JSON mapper
     * @return the backplane
     * @throws IOException when NATS cannot be reached or JetStream is not enabled there
     */
    static JetStreamBackplane start(JetStreamOptions options, Sink sink, ObjectMapper json) throws IOException {
        Options.Builder b = new Options.Builder()
                .servers(options.servers().stream().map(URI::toString).toArray(String[]::new))
                .connectionName("solconnect-relay")
                .maxReconnects(-1)
                .reconnectWait(Duration.ofMillis(250))
                .connectionTimeout(Duration.ofSeconds(2));
        Connection nc;
        try {
            nc = Nats.connect(b.build());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to NATS " + options.servers(), e);
        } catch (IOException e) {
            throw new IOException("cannot reach NATS at " + options.servers() + ": " + e.getMessage(), e);
        }
        JetStreamBackplane bp;
        try {
            bp = new JetStreamBackplane(options, sink, json, nc);
        } catch (IOException | RuntimeException e) {
            closeQuietly(nc);
            throw e;
        }
        try {
            bp.ensureReady();
        } catch (IOException e) {
            bp.close();
            throw e;
        }
        LOG.info("backplane: JetStream stream {} on {}", options.stream(), options.servers());
        return bp;
    }

    /** Creates the stream when missing and starts the consumer, once. */
    private void ensureReady() throws IOException {
        if (ready) {
            return;
        }
        synchronized (setupLock) {
            if (dispatcher != null) {
                return;
            }
            try {
                try {
                    jsm.getStreamInfo(options.stream());
                } catch (JetStreamApiException e) {
                    if (e.getErrorCode() != 404) {
                        throw e;
                    }
                    createStream();
                }
                Dispatcher d = nc.createDispatcher();
                PushSubscribeOptions pso = PushSubscribeOptions.builder().stream(options.stream()).ordered(true)
                        .configuration(ConsumerConfiguration.builder().deliverPolicy(DeliverPolicy.New).build())
                        .build();
                js.subscribe(subjects.allRooms(), d, this::onMessage, false, pso);
                dispatcher = d;
                ready = true;
            } catch (JetStreamApiException e) {
                throw new IOException("JetStream refused to set up stream " + options.stream() + ": " + e.getMessage(), e);
            }
        }
    }

    private void createStream() throws IOException, JetStreamApiException {
        StreamConfiguration sc = StreamConfiguration.builder()
                .name(options.stream())
                .subjects(subjects.allRooms())
                .storageType(StorageType.File)
                .replicas(options.replicas())
                .duplicateWindow(options.duplicateWindow())
                .maxMessagesPerSubject(options.maxPerRoom())
                .build();
        try {
            jsm.addStream(sc);
            LOG.info("backplane: created stream {} with {} replica(s)", options.stream(), options.replicas());
        } catch (JetStreamApiException e) {
            // another relay of the fleet created it meanwhile
            jsm.getStreamInfo(options.stream());
        }
    }

    @Override
    public CompletableFuture<List<Long>> append(Peer from, List<Outgoing> messages) {
        String origin = tokens.tokenOf(from);
        long deadline = System.nanoTime() + options.publishTimeout().toNanos();
        List<CompletableFuture<Long>> each = new ArrayList<>(messages.size());
        for (Outgoing m : messages) {
            Headers h = new Headers().put(ORIGIN, origin);
            // a message without a client id still gets one, so that a retry of ours stores it once
            String id = m.clientId().orElseGet(() -> origin + "#" + anonymous.incrementAndGet());
            PublishOptions po = PublishOptions.builder().messageId(id).expectedStream(options.stream()).build();
            byte[] data = new StoredMessage(m.entry(), m.broadcast()).encode(json);
            CompletableFuture<Long> seq = new CompletableFuture<>();
            attempt(subjects.subjectOf(m.roomId()), h, data, po, deadline, seq);
            each.add(seq);
        }
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
                .thenApply(v -> each.stream().map(CompletableFuture::join).toList());
    }

    private void attempt(String subject, Headers h, byte[] data, PublishOptions po, long deadline,
                         CompletableFuture<Long> result) {
        try {
            ensureReady();
            long left = deadline - System.nanoTime();
            js.publishAsync(subject, h, data, po)
                    .orTimeout(Math.max(1, Math.min(ATTEMPT_TIMEOUT.toNanos(), left)), TimeUnit.NANOSECONDS)
                    .whenComplete((ack, err) -> {
                        if (err == null) {
                            result.complete(ack.getSeqno());
                        } else {
                            retryOrFail(subject, h, data, po, deadline, result, err);
                        }
                    });
        } catch (IOException | RuntimeException e) {
            retryOrFail(subject, h, data, po, deadline, result, e);
        }
    }

    private void retryOrFail(String subject, Headers h, byte[] data, PublishOptions po, long deadline,
                             CompletableFuture<Long> result, Throwable err) {
        if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_MS) >= deadline) {
            result.completeExceptionally(err);
            return;
        }
        try {
            timer.schedule(() -> attempt(subject, h, data, po, deadline, result), RETRY_MS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            result.completeExceptionally(err);
        }
    }

    private void onMessage(Message msg) {
        Optional<String> room = subjects.roomOf(msg.getSubject());
        Optional<StoredMessage> stored = StoredMessage.decode(json, msg.getData());
        if (room.isEmpty() || stored.isEmpty()) {
            LOG.debug("backplane: skipped a message on {} that no relay wrote", msg.getSubject());
            return;
        }
        long seq = msg.metaData().streamSequence();
        Headers h = msg.getHeaders();
        Optional<Peer> sender = tokens.peerOf(h == null ? null : h.getFirst(ORIGIN));
        sink.deliver(room.get(), sender, stored.get().broadcastAt(seq));
    }

    @Override
    public History history(String roomId, long after, int limit) throws IOException {
        String subject = subjects.subjectOf(roomId);
        try {
            ensureReady();
            long latest;
            try {
                latest = jsm.getLastMessage(options.stream(), subject).getSeq();
            } catch (JetStreamApiException e) {
                if (e.getErrorCode() == 404) {
                    return new History(List.of(), 0);
                }
                throw e;
            }
            List<ObjectNode> out = new ArrayList<>();
            long next = after + 1;
            long last = after;
            while (out.size() < limit && next <= latest) {
                MessageInfo mi;
                try {
                    mi = jsm.getNextMessage(options.stream(), next, subject);
                } catch (JetStreamApiException e) {
                    if (e.getErrorCode() == 404) {
                        break;
                    }
                    throw e;
                }
                long seq = mi.getSeq();
                Optional<StoredMessage> s = StoredMessage.decode(json, mi.getData());
                s.ifPresent(m -> out.add(m.entryAt(seq)));
                last = seq;
                next = seq + 1;
            }
            return new History(out, next <= latest ? last : latest);
        } catch (JetStreamApiException e) {
            throw new IOException("JetStream refused to read room history: " + e.getMessage(), e);
        }
    }

    @Override
    public void forget(Peer peer) {
        tokens.forget(peer);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        closeQuietly(nc);
    }

    private static void closeQuietly(Connection nc) {
        try {
            nc.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
