package io.solconnect.relay.discovery.bootstrap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Collects a response body up to a hard limit, as it streams in: the first byte over the limit
 * cancels the exchange, so a huge or endless body never fills memory. Thread-safe as the HTTP
 * client requires (calls arrive one at a time; the byte count may be read from any thread).
 */
final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {

    /** The body was larger than the limit. */
    static final class TooLarge extends IOException {
        TooLarge(long limit) {
            super("body is larger than maxBytes=" + limit);
        }
    }

    private final long limit;
    private final AtomicLong received;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private Flow.Subscription subscription;

    /**
     * @param limit    most bytes accepted; 0 discards the body at once (for answers whose body is
     *                 not read: redirects, 304, errors)
     * @param received counts the bytes received, for a timeout message
     */
    LimitedBody(long limit, AtomicLong received) {
        this.limit = limit;
        this.received = received;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (limit == 0) {
            s.cancel();
            result.complete(new byte[0]);
            return;
        }
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        for (ByteBuffer b : items) {
            int n = b.remaining();
            received.addAndGet(n);
            if (buffer.size() + (long) n > limit) {
                subscription.cancel();
                result.completeExceptionally(new TooLarge(limit));
                return;
            }
            byte[] chunk = new byte[n];
            b.get(chunk);
            buffer.write(chunk, 0, n);
        }
        subscription.request(1);
    }

    @Override
    public void onError(Throwable t) {
        result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        result.complete(buffer.toByteArray());
    }
}
