package io.solconnect.relay.examples.bench.soak;

import io.solconnect.relay.examples.server.RelayServer;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A fault the soak injects into a relay for a while, and how it is undone. */
enum SoakFault {
    /** {@link RelayServer#kill()} (TCP reset), undone by {@link RelayServer#restart()}. */
    CRASH,
    /** {@link RelayServer#blackhole()} (silent), undone by {@link RelayServer#heal()}. */
    BLACKHOLE,
    /** {@link RelayServer#slow(Duration)} (reads held back), undone by {@link RelayServer#heal()}. */
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
     * @param list comma-separated names
     * @return the faults in the order given
     * @throws IllegalArgumentException naming an unknown or repeated fault
     */
    static List<SoakFault> parse(String list) {
        List<SoakFault> out = new ArrayList<>();
        for (String raw : list.split(",", -1)) {
            String name = raw.strip();
            SoakFault f = null;
            for (SoakFault c : values()) {
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
