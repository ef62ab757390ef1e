package io.solconnect.relay.examples.server;

import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.nio.NIOConnection;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A Grizzly filter right above the socket that injects network faults into every connection:
 * it knows the open connections (to kill them), parks reads and drops writes (blackhole), and
 * delays reads (slow). Thread-safe.
 */
final class FaultFilter extends BaseFilter {

    private final Set<Connection<?>> connections = ConcurrentHashMap.newKeySet();
    private final Queue<FilterChainContext> parked = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService timer;
    private volatile boolean blackholed;
    private volatile long delayNanos;

    FaultFilter(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    @Override
    public NextAction handleAccept(FilterChainContext ctx) throws IOException {
        connections.add(ctx.getConnection());
        return ctx.getInvokeAction();
    }

    @Override
    public NextAction handleClose(FilterChainContext ctx) throws IOException {
        connections.remove(ctx.getConnection());
        synchronized (connections) {
            connections.notifyAll();
        }
        return ctx.getInvokeAction();
    }

    @Override
    public NextAction handleRead(FilterChainContext ctx) throws IOException {
        if (blackholed) {
            // Parked, not dropped: the bytes stay in order, and while a read is parked Grizzly reads
            // nothing more from this socket, so the peer's data piles up in the kernel like on a dead link.
            ctx.suspend();
            parked.add(ctx);
            if (!blackholed) {
                releaseParked();
            }
            return ctx.getSuspendAction();
        }
        long d = delayNanos;
        if (d > 0) {
            ctx.suspend();
            timer.schedule(ctx::resumeNext, d, TimeUnit.NANOSECONDS);
            return ctx.getSuspendAction();
        }
        return ctx.getInvokeAction();
    }

    @Override
    public NextAction handleWrite(FilterChainContext ctx) throws IOException {
        if (blackholed) {
            return ctx.getStopAction(); // silently dropped, as by a dead network
        }
        return ctx.getInvokeAction();
    }

    void blackhole(boolean on) {
        blackholed = on;
        if (!on) {
            releaseParked();
        }
    }

    boolean blackholed() {
        return blackholed;
    }

    void delay(long nanos) {
        delayNanos = Math.max(0, nanos);
    }

    long delayNanos() {
        return delayNanos;
    }

    int connectionCount() {
        return connections.size();
    }

    /**
     * Waits until every connection has closed.
     *
     * @param timeoutNanos how long to wait at most
     * @return true if none is left
     */
    boolean awaitNoConnections(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        synchronized (connections) {
            while (!connections.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(connections, left);
            }
        }
        return true;
    }

    /** Resets every connection: SO_LINGER 0 and close, so the peer gets an RST and no close frame. */
    void killAll() {
        for (Connection<?> c : connections.toArray(Connection<?>[]::new)) {
            if (c instanceof NIOConnection nio && nio.getChannel() instanceof SocketChannel ch) {
                try {
                    ch.setOption(StandardSocketOptions.SO_LINGER, 0);
                    ch.close();
                } catch (IOException ignored) {
                    // already gone
                }
            }
            c.terminateSilently();
        }
        connections.clear();
        parked.clear();
    }

    private void releaseParked() {
        FilterChainContext ctx;
        while ((ctx = parked.poll()) != null) {
            ctx.resumeNext();
        }
    }
}
