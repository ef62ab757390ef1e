package io.solconnect.relay.ui.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.Scheduler;
import io.solconnect.relay.api.Subscription;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code /api/events} Server-Sent Events stream. Every open stream gets a {@code status}
 * snapshot when it opens, then once a second from a ticker and shortly after any event that changes
 * what the page shows, plus one {@code relay-event} per engine event (message acknowledgements
 * excepted: they are counted in the snapshot). Each stream has a bounded queue; a stream that
 * falls behind is closed and the browser reconnects. Thread-safe.
 */
final class EventHub implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventHub.class);
    private static final String END = "";
    private static final int QUEUE_FRAMES = 256;
    /** Tells the browser to reconnect after one second if the stream drops. */
    private static final String RETRY_FRAME = "retry: 1000\n\n";
    /** How often every stream gets a snapshot. */
    static final Duration TICK = Duration.ofSeconds(1);
    /** How soon after an event a fresh snapshot follows (events in between share it). */
    static final Duration SOON = Duration.ofMillis(100);

    private final Supplier<JsonNode> snapshot;
    private final Function<RelayEvent, JsonNode> eventView;
    private final Scheduler scheduler;
    private final int maxStreams;
    private final Set<BlockingQueue<String>> streams = ConcurrentHashMap.newKeySet();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicBoolean pushPending = new AtomicBoolean();
    private volatile boolean closed;
    private volatile Subscription subscription;
    private volatile Scheduler.Cancellable nextTick;
    private volatile Scheduler.Cancellable soonPush;

    EventHub(Supplier<JsonNode> snapshot, Function<RelayEvent, JsonNode> eventView, Scheduler scheduler,
             int maxStreams) {
        this.snapshot = snapshot;
        this.eventView = eventView;
        this.scheduler = scheduler;
        this.maxStreams = maxStreams;
    }

    void start(Function<Consumer<RelayEvent>, Subscription> subscribe) {
        subscription = subscribe.apply(this::onEvent);
        nextTick = scheduler.schedule(TICK, this::tick);
    }

    private void tick() {
        if (closed) {
            return;
        }
        try {
            pushStatus();
        } finally {
            if (!closed) {
                nextTick = scheduler.schedule(TICK, this::tick);
            }
        }
    }

    int openStreams() {
        return streams.size();
    }

    /**
     * Serves one stream on the calling thread until the client goes away or the hub closes.
     */
    void serve(HttpExchange ex) throws IOException, HttpIo.Refusal {
        if (closed) {
            throw new HttpIo.Refusal(503, "closed", "the status server is stopping");
        }
        BlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUE_FRAMES);
        synchronized (streams) {
            if (streams.size() >= maxStreams) {
                throw new HttpIo.Refusal(503, "busy", "too many open event streams (" + maxStreams + ")");
            }
            streams.add(queue);
        }
        try {
            ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            ex.getResponseHeaders().set("X-Accel-Buffering", "no");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                write(out, RETRY_FRAME + frame("status", snapshotJson()));
                while (!closed) {
                    String frame = queue.poll(5, TimeUnit.SECONDS);
                    if (frame == null) {
                        frame = ": keep-alive\n\n";
                    } else if (frame.isEmpty()) {
                        break;
                    }
                    write(out, frame);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.debug("event stream ended: {}", e.toString());
        } finally {
            synchronized (streams) {
                streams.remove(queue);
                streams.notifyAll();
            }
        }
    }

    private void onEvent(RelayEvent event) {
        if (event instanceof RelayEvent.MessageAcknowledged) {
            return;
        }
        if (!streams.isEmpty()) {
            try {
                broadcast(frame("relay-event", HttpIo.JSON.writeValueAsString(eventView.apply(event))));
            } catch (JsonProcessingException | RuntimeException e) {
                LOG.warn("could not publish {} to the status page", event.getClass().getSimpleName(), e);
            }
        }
        if (!(event instanceof RelayEvent.HealthChanged) && pushPending.compareAndSet(false, true)) {
            try {
                soonPush = scheduler.schedule(SOON, () -> {
                    pushPending.set(false);
                    pushStatus();
                });
            } catch (RuntimeException e) {
                pushPending.set(false);
            }
        }
    }

    private void pushStatus() {
        if (streams.isEmpty() || closed) {
            return;
        }
        try {
            broadcast(frame("status", snapshotJson()));
        } catch (RuntimeException | JsonProcessingException e) {
            LOG.warn("could not take a status snapshot for the status page", e);
        }
    }

    private String snapshotJson() throws JsonProcessingException {
        return HttpIo.JSON.writeValueAsString(snapshot.get());
    }

    private void broadcast(String frame) {
        for (BlockingQueue<String> q : streams) {
            if (!q.offer(frame)) {
                // The client is not reading fast enough: end its stream; the browser reconnects
                // and starts again from a fresh snapshot.
                q.clear();
                q.offer(END);
            }
        }
    }

    private String frame(String event, String json) {
        return "id: " + ids.incrementAndGet() + "\nevent: " + event + "\ndata: " + json + "\n\n";
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /**
     * Unsubscribes, asks every stream to end and waits until they have written their last chunk
     * (at most {@code timeout}), so that browsers see a clean end and reconnect.
     */
    void close(Duration timeout) {
        closed = true;
        Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        for (Scheduler.Cancellable task : new Scheduler.Cancellable[] {nextTick, soonPush}) {
            if (task != null) {
                task.cancel();
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (streams) {
            for (BlockingQueue<String> q : streams) {
                q.clear();
                q.offer(END);
            }
            try {
                for (long left = timeout.toNanos(); !streams.isEmpty() && left > 0; left = deadline - System.nanoTime()) {
                    TimeUnit.NANOSECONDS.timedWait(streams, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(1));
    }
}
