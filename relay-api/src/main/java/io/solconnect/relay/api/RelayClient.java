package io.solconnect.relay.api;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A messaging client kept connected to a fleet of relays: what applications and the status page
 * use. The core module's {@code RelayManager} implements it. All methods are thread-safe and
 * non-blocking unless stated otherwise.
 */
public interface RelayClient extends AutoCloseable {

    /**
     * Starts discovery and connects. Returns once the engine runs, not once it is connected: use
     * {@link #connected(Duration)} or {@link #awaitConnected(Duration)} to wait for the first relay.
     *
     * @return ok, or an error for a configuration the providers refuse
     */
    Result<Result.Done> start();

    /**
     * A stage that completes when the session is first {@link SessionState#CONNECTED} (at once if it
     * already is). It completes with ok; with {@link ErrorCode#TIMEOUT} if that takes longer than
     * {@code timeout}; with {@link ErrorCode#CLOSED} if the client stops first. It never completes
     * exceptionally. Call it after (or before) {@link #start()}; it does not start the client.
     * Thread-safe; the stage completes on a listener thread or, for a timeout, on the JDK's delay
     * thread, so attach only short actions to it.
     *
     * @param timeout how long to wait at most; positive
     * @return the stage
     * @throws IllegalArgumentException if the timeout is not positive
     */
    default CompletionStage<Result<Result.Done>> connected(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        CompletableFuture<Result<Result.Done>> done = new CompletableFuture<>();
        Subscription sub = subscribe(RelayEvent.StateChanged.class, e -> {
            if (e.to() == SessionState.CONNECTED) {
                done.complete(Result.ok());
            } else if (e.to() == SessionState.CLOSED) {
                done.complete(Result.err(ErrorCode.CLOSED, "the client stopped before it connected"));
            }
        });
        SessionState now = status().state();
        if (now == SessionState.CONNECTED) {
            done.complete(Result.ok());
        } else if (now == SessionState.CLOSED) {
            done.complete(Result.err(ErrorCode.CLOSED, "the client is stopped"));
        }
        done.completeOnTimeout(Result.err(ErrorCode.TIMEOUT, "no relay connected within " + timeout
                + " (state " + now + " when the wait began)"), timeout.toNanos(), TimeUnit.NANOSECONDS);
        done.whenComplete((r, e) -> sub.cancel());
        return done;
    }

    /**
     * Blocks the calling thread until the session is first {@link SessionState#CONNECTED}, as
     * {@link #connected(Duration)} but waiting. Do not call it from a listener (they share threads
     * with the engine's events). For an exception instead of a result, use
     * {@code awaitConnected(timeout).orElseThrow()}, which throws a {@link RelayException}.
     *
     * @param timeout how long to wait at most; positive
     * @return ok; or {@link ErrorCode#TIMEOUT}, {@link ErrorCode#CLOSED}
     * @throws IllegalArgumentException if the timeout is not positive
     */
    default Result<Result.Done> awaitConnected(Duration timeout) {
        return connected(timeout).toCompletableFuture().join();
    }

    /**
     * Stops: closes connections, cancels timers, completes pending sends with
     * {@link ErrorCode#CLOSED} (a durable store keeps them for the next start), and closes the
     * store once the writes already queued are done. Returns after the store closed, so that its
     * files may be removed then; the bundled client waits for that at most 10 s and logs a warning
     * when it gives up, and does not wait when its store runs on an executor the caller gave it
     * (the caller decides when that runs its tasks). Idempotent.
     */
    void stop();

    /** Same as {@link #stop()}. */
    @Override
    default void close() {
        stop();
    }

    /**
     * Sends a payload to a room. The message gets a client id at once and is kept until a relay
     * acknowledges it, across failovers. The stage completes with the {@link Delivery} when a relay
     * acknowledged it (or, with a protocol without acks, when it was written), or with an error:
     * {@link ErrorCode#OUTBOX_FULL}, {@link ErrorCode#TOO_LARGE}, {@link ErrorCode#CLOSED}.
     * Joins the room if not joined yet.
     *
     * @param room    the room
     * @param payload the payload text
     * @return the outcome; never completes exceptionally
     */
    CompletionStage<Result<Delivery>> send(String room, String payload);

    /**
     * Joins a room on the primary and standby relays, so that its messages are delivered, and
     * rejoins it after every reconnect.
     *
     * @param room the room
     * @return ok, or an error for an invalid room name or a stopped client
     */
    Result<Result.Done> join(String room);

    /**
     * Registers a listener for inbound messages. Each message reaches each listener once, in the
     * order received, on one delivery thread.
     *
     * @param listener the listener; exceptions it throws are logged
     * @return the subscription
     */
    Subscription onMessage(Consumer<InboundMessage> listener);

    /**
     * Registers a listener for events of a type ({@code RelayEvent.class} for all).
     *
     * @param type     the event type
     * @param listener the listener; runs off the I/O threads; exceptions are logged
     * @param <E>      the event type
     * @return the subscription
     */
    <E extends RelayEvent> Subscription subscribe(Class<E> type, Consumer<? super E> listener);

    /**
     * Takes a consistent snapshot of the client.
     *
     * @return the snapshot
     */
    ClientStatus status();

    /**
     * The configuration in force.
     *
     * @return the configuration
     */
    RelayConfig config();

    /**
     * Applies a new configuration to the running client and saves it through the store. Only
     * {@code relays}, {@link RelayConfig#selection()}, {@link RelayConfig#liveness()} and
     * {@link RelayConfig#failover()} change while a client runs (an allow-list: anything else,
     * including options added later, needs a restart). Relays removed are drained.
     *
     * @param config the new configuration
     * @return ok, or an error naming what cannot be changed at run time or what the providers refuse
     */
    Result<Result.Done> reconfigure(RelayConfig config);
}
