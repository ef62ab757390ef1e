package io.solconnect.relay.transport.tyrus;

import io.solconnect.relay.api.spi.CloseInfo;
import io.solconnect.relay.api.spi.ConnectionListener;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/** Records what a connection reports, and checks the callback rules (one at a time, nothing after close). */
final class Recorder implements ConnectionListener {
    final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    final BlockingQueue<Duration> pongs = new LinkedBlockingQueue<>();
    final CompletableFuture<CloseInfo> closed = new CompletableFuture<>();
    final AtomicInteger closeCalls = new AtomicInteger();
    final AtomicInteger callsAfterClose = new AtomicInteger();
    private final AtomicInteger inside = new AtomicInteger();
    final AtomicInteger overlaps = new AtomicInteger();

    private void enter() {
        if (inside.incrementAndGet() > 1) {
            overlaps.incrementAndGet();
        }
        if (closed.isDone()) {
            callsAfterClose.incrementAndGet();
        }
    }

    @Override
    public void onText(String frame) {
        enter();
        texts.add(frame);
        inside.decrementAndGet();
    }

    @Override
    public void onPong(Duration rtt) {
        enter();
        pongs.add(rtt);
        inside.decrementAndGet();
    }

    @Override
    public void onClosed(CloseInfo close) {
        enter();
        closeCalls.incrementAndGet();
        closed.complete(close);
        inside.decrementAndGet();
    }
}
