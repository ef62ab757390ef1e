package io.solconnect.relay.core.internal.engine;

import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.Result;
import io.solconnect.relay.api.Scheduler;
import io.solconnect.relay.api.spi.RelayConnection;
import io.solconnect.relay.core.internal.monitor.ConnectionMonitor;
import io.solconnect.relay.core.internal.monitor.QualityRecorder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/** Small real pieces for the engine parts' unit tests. */
final class Parts {
    private Parts() {
    }

    static RelayEntry relay(Scheduler s, String url, double score) {
        RelayEndpoint e = RelayEndpoint.of(url);
        return new RelayEntry(e, new QualityRecorder(e, s, Duration.ofSeconds(10)), score);
    }

    /** A connection that keeps what was written. */
    static final class Conn implements RelayConnection {
        final RelayEndpoint endpoint;
        final List<String> written = new CopyOnWriteArrayList<>();
        boolean open = true;
        int closes;

        Conn(RelayEndpoint endpoint) {
            this.endpoint = endpoint;
        }

        @Override
        public RelayEndpoint endpoint() {
            return endpoint;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public CompletionStage<Result<Result.Done>> send(String text) {
            written.add(text);
            return CompletableFuture.completedFuture(Result.ok());
        }

        @Override
        public Result<Result.Done> ping() {
            return Result.ok();
        }

        /** The code of the last close; 0 before any. */
        int lastCloseCode;

        @Override
        public void close(int code, String reason) {
            open = false;
            closes++;
            lastCloseCode = code;
        }

        @Override
        public void abort() {
            open = false;
        }
    }

    /** An open link to {@code r} of generation {@code gen}; its connection is returned by {@link #conn}. */
    static Link openLink(Scheduler s, long gen, RelayEntry r, Link.Role role) {
        Link l = new Link(gen, r, role, s.nanoTime());
        Conn c = new Conn(r.endpoint());
        l.opened(c, new ConnectionMonitor(s, new ConnectionMonitor.Timing(Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1)), new ConnectionMonitor.Actions() {
            @Override
            public boolean ping() {
                return true;
            }

            @Override
            public void dead(String reason) {
            }
        }), s.nanoTime(), s.now());
        return l;
    }

    static Conn conn(Link l) {
        return (Conn) l.connection();
    }
}
