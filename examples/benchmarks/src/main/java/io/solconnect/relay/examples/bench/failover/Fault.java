package io.solconnect.relay.examples.bench.failover;

import io.solconnect.relay.examples.server.RelayServer;
import io.solconnect.relay.examples.server.netns.NamespacedRelay;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A fault the failover benchmark injects into the current primary relay, and how it is undone.
 * {@link #CRASH}, {@link #BLACKHOLE} and {@link #SLOW} work on relays in this JVM
 * ({@link RelayServer}) and on relay processes in network namespaces ({@link NamespacedRelay});
 * {@link #PARTITION} needs the latter ({@link #needsNamespaces()}).
 */
enum Fault {
    /** {@link RelayServer#kill()}: TCP reset, no close frame; undone by {@link RelayServer#restart()}. */
    CRASH,
    /** {@link RelayServer#blackhole()}: silent, no FIN; undone by {@link RelayServer#heal()}. */
    BLACKHOLE,
    /** {@link RelayServer#slow(Duration)}: every read held back; undone by {@link RelayServer#heal()}. */
    SLOW,
    /**
     * {@link NamespacedRelay#partition()}: the kernel drops everything to and from the relay's
     * namespace (link down; no reset, no FIN, writes never acknowledged); undone by
     * {@link NamespacedRelay#reconnect()}.
     */
    PARTITION,
    /**
     * Nothing at all: the control run. The same measurements around a moment where nothing
     * happens show what the rig itself costs; no failover is expected.
     */
    NOOP;

    /**
     * Whether the clients are expected to leave the relay (false for {@link #NOOP}).
     *
     * @return true for every real fault
     */
    boolean expectsFailover() {
        return this != NOOP;
    }

    /**
     * Whether this fault needs the relays in network namespaces.
     *
     * @return true for {@link #PARTITION}
     */
    boolean needsNamespaces() {
        return this == PARTITION;
    }

    /**
     * Injects the fault into the relay {@code relayId} of the rig.
     *
     * @throws IOException           when a relay process or {@code ip} does not do it
     * @throws IllegalStateException for {@link #PARTITION} on a relay in this JVM
     */
    void inject(Rig rig, String relayId, Duration slowBy) throws IOException {
        if (this == NOOP) {
            return;
        }
        RelayServer local = rig.relays().get(relayId);
        if (local != null) {
            switch (this) {
                case CRASH -> local.kill();
                case BLACKHOLE -> local.blackhole();
                case SLOW -> local.slow(slowBy);
                case PARTITION -> throw new IllegalStateException("partition needs relays in network namespaces, "
                        + relayId + " runs in this JVM");
            }
            return;
        }
        NamespacedRelay r = namespaced(rig, relayId);
        switch (this) {
            case CRASH -> r.kill();
            case BLACKHOLE -> r.blackhole();
            case SLOW -> r.slow(slowBy);
            case PARTITION -> r.partition();
        }
    }

    /**
     * Undoes the fault on the relay {@code relayId} of the rig.
     *
     * @throws IOException when a relay cannot restart, or a relay process or {@code ip} does not
     *                     undo it
     */
    void undo(Rig rig, String relayId) throws IOException {
        if (this == NOOP) {
            return;
        }
        RelayServer local = rig.relays().get(relayId);
        if (local != null) {
            if (this == CRASH) {
                local.restart();
            } else if (this != PARTITION) {
                local.heal();
            }
            return;
        }
        NamespacedRelay r = namespaced(rig, relayId);
        switch (this) {
            case CRASH -> r.restart();
            case BLACKHOLE, SLOW -> r.heal();
            case PARTITION -> r.reconnect();
        }
    }

    private static NamespacedRelay namespaced(Rig rig, String relayId) {
        NamespacedRelay r = rig.namespacedRelays().get(relayId);
        if (r == null) {
            throw new IllegalArgumentException("no relay of the rig is " + relayId);
        }
        return r;
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code crash,blackhole,slow,partition,noop}.
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
                throw new IllegalArgumentException("unknown fault '" + name + "'; known: crash, blackhole, slow, partition, noop");
            }
            if (out.contains(f)) {
                throw new IllegalArgumentException("fault '" + name + "' given twice");
            }
            out.add(f);
        }
        return List.copyOf(out);
    }
}
