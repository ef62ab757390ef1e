package io.solconnect.relay.examples.cli;

import io.solconnect.relay.api.RelayClient;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.Subscription;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints a client's failover, offline and online events as they happen, one line each, and keeps
 * the failover durations for the summary. Thread-safe.
 */
public final class EventPrinter {

    private final List<Duration> failovers = new ArrayList<>();

    /**
     * Subscribes to a client's events.
     *
     * @param client the client
     * @param out    where lines go
     * @param label  a prefix naming the client, e.g. {@code "send"}
     * @return the subscription
     */
    public Subscription attach(RelayClient client, PrintStream out, String label) {
        return client.subscribe(RelayEvent.class, e -> {
            String line = describe(e);
            if (line != null) {
                out.println(label + " " + line);
            }
            if (e instanceof RelayEvent.Failover f) {
                synchronized (failovers) {
                    failovers.add(f.duration());
                }
            }
        });
    }

    /**
     * The failover durations seen so far.
     *
     * @return a copy
     */
    public List<Duration> failovers() {
        synchronized (failovers) {
            return List.copyOf(failovers);
        }
    }

    static String describe(RelayEvent e) {
        if (e instanceof RelayEvent.Failover f) {
            return String.format(Locale.ROOT, "failover from=%s to=%s reason=\"%s\" duration_ms=%.1f replayed=%d",
                    f.from().orElse("-"), f.to(), f.reason(), f.duration().toNanos() / 1e6, f.replayed());
        }
        if (e instanceof RelayEvent.Offline o) {
            return "offline reason=\"" + o.reason() + "\"";
        }
        if (e instanceof RelayEvent.Online o) {
            return "online relay=" + o.relay() + " after_ms=" + o.offline().toMillis();
        }
        if (e instanceof RelayEvent.Connected c) {
            return "connected relay=" + c.relay() + " role=" + c.role().name().toLowerCase(Locale.ROOT);
        }
        return null;
    }
}
