package io.solconnect.relay.examples.bench.failover;

import io.solconnect.relay.examples.server.RelayServer;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A fault the failover benchmark injects into the current primary relay, and how it is undone. */
enum Fault {
    /** {@link RelayServer#kill()}: TCP reset, no close frame; undone by {@link RelayServer#restart()}. */
    CRASH,
    /** {@link RelayServer#blackhole()}: silent, no FIN; undone by {@link RelayServer#heal()}. */
    BLACKHOLE,
    /** {@link RelayServer#slow(Duration)}: every read held back; undone by {@link RelayServer#heal()}. */
    SLOW;

    void inject(RelayServer relay, Duration slowBy) {
        switch (this) {
            case CRASH -> relay.kill();
            case BLACKHOLE -> relay.blackhole();
            case SLOW -> relay.slow(slowBy);
        }
    }

    void undo(RelayServer relay) throws IOException {
        if (this == CRASH) {
            relay.restart();
        } else {
            relay.heal();
        }
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code crash,blackhole,slow}.
     *
     * @param list the comma-separated names
     * @return the faults in the order given, without repeats
     * @throws IllegalArgumentException naming an unknown or repeated fault, or an empty list
     */
    static List<Fault> parse(String list) {
        List<Fault> out = new ArrayList<>();
        for (String raw : list.split(",", -1)) {
            String name = raw.strip();
            Fault f = null;
            for (Fault c : values()) {
                if (c.label().equals(name)) {
                    f = c;
                }
            }
            if (f == null) {
                throw new IllegalArgumentException("unknown fault '" + name + "'; known: crash, blackhole, slow");
            }
            if (out.contains(f)) {
                throw new IllegalArgumentException("fault '" + name + "' given twice");
            }
            out.add(f);
        }
        return List.copyOf(out);
    }
}
