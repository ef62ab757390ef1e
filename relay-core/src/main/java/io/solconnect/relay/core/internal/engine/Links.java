package io.solconnect.relay.core.internal.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The session's links and their roles: the primary, the primary being connected, the open
 * standbys and the standby connects in flight. The only writer of roles. Confined to the engine
 * loop.
 */
final class Links {

    private Link primary;
    private Link connectingPrimary;
    private final List<Link> standbys = new ArrayList<>();
    private final List<Link> pendingStandbys = new ArrayList<>();
    private long generations;

    /** The generation for a new link (links are told apart by it). */
    long nextGeneration() {
        return ++generations;
    }

    Link primary() {
        return primary;
    }

    boolean hasOpenPrimary() {
        return primary != null && primary.open();
    }

    Link connectingPrimary() {
        return connectingPrimary;
    }

    /** Open standbys (and retired ones not yet removed), in the order they opened. */
    List<Link> standbys() {
        return standbys;
    }

    List<Link> pendingStandbys() {
        return pendingStandbys;
    }

    /** The open links: the primary first, then the standbys. */
    List<Link> open() {
        List<Link> out = new ArrayList<>(1 + standbys.size());
        if (hasOpenPrimary()) {
            out.add(primary);
        }
        standbys.stream().filter(Link::open).forEach(out::add);
        return out;
    }

    /** Whether any link (open or connecting) goes to {@code r}. */
    boolean inUse(RelayEntry r) {
        return Stream.of(primary, connectingPrimary).anyMatch(l -> l != null && l.relay() == r)
                || standbys.stream().anyMatch(l -> l.relay() == r)
                || pendingStandbys.stream().anyMatch(l -> l.relay() == r);
    }

    /** Whether there is no primary and none is being connected. */
    boolean noPrimary() {
        return primary == null && connectingPrimary == null;
    }

    void connectingPrimary(Link l) {
        connectingPrimary = l;
    }

    void pendingStandby(Link l) {
        pendingStandbys.add(l);
    }

    /** The connect of {@code l} completed (either way): it is no longer pending. */
    void connectDone(Link l) {
        pendingStandbys.remove(l);
    }

    boolean isConnectingPrimary(Link l) {
        return l == connectingPrimary;
    }

    /** The primary connect completed without a primary to show for it. */
    void primaryConnectEnded(Link l) {
        if (l == connectingPrimary) {
            connectingPrimary = null;
        }
    }

    /** An opened link joins the standbys. */
    void addStandby(Link l) {
        l.role(Link.Role.STANDBY);
        standbys.add(l);
    }

    /** Makes {@code l} the primary (it leaves the standbys and the connecting slot). */
    void makePrimary(Link l) {
        standbys.remove(l);
        if (l == connectingPrimary) {
            connectingPrimary = null;
        }
        l.role(Link.Role.PRIMARY);
        primary = l;
    }

    /** The primary is gone (lost or being replaced); returns it. */
    Link dropPrimary() {
        Link old = primary;
        primary = null;
        return old;
    }

    /** A standby link was lost. */
    void dropStandby(Link l) {
        standbys.remove(l);
    }

    /** The primary stays open as a standby (a swap back to the preferred relay). */
    void demotePrimary() {
        Link old = dropPrimary();
        addStandby(old);
    }

    /** Takes a link out of service on purpose: no failure counted, its close is ours. */
    void retire(Link l, long now) {
        l.ended(now);
        l.role(Link.Role.CLOSING);
        standbys.remove(l);
    }

    /** The open standby with the best score that passes {@code ok}, or null. */
    Link bestStandby(Predicate<Link> ok) {
        Link best = null;
        for (Link s : standbys) {
            if (s.open() && ok.test(s) && (best == null || s.relay().score() > best.relay().score())) {
                best = s;
            }
        }
        return best;
    }

    /** The open standby to relay {@code r}, or null. */
    Link openStandbyTo(RelayEntry r) {
        return standbys.stream().filter(l -> l.relay() == r && l.open()).findFirst().orElse(null);
    }

    /**
     * Retires standbys beyond {@code count}, weakest first, but only quiet ones (nothing new since
     * {@code quietSince}) and none to the relays in {@code keep}. Returns the retired links, whose
     * connections the caller closes.
     */
    List<Link> trim(int count, Collection<RelayEntry> keep, long quietSince, long now) {
        List<Link> out = new ArrayList<>();
        while (standbys.size() > count) {
            Link worst = standbys.stream().filter(l -> !keep.contains(l.relay()) && l.quietSince(quietSince))
                    .min(Comparator.comparingDouble(l -> l.relay().score())).orElse(null);
            if (worst == null) {
                break;
            }
            retire(worst, now);
            out.add(worst);
        }
        return out;
    }

    /**
     * Stops everything: connects in flight are abandoned, open links retired. Returns the links
     * whose connections the caller closes.
     */
    List<Link> stopAll(long now) {
        pendingStandbys.forEach(Link::abandon);
        if (connectingPrimary != null) {
            connectingPrimary.abandon();
        }
        List<Link> out = new ArrayList<>();
        if (primary != null) {
            out.add(primary);
        }
        out.addAll(standbys);
        for (Link l : out) {
            l.role(Link.Role.CLOSING);
            l.stopMonitor();
        }
        primary = null;
        standbys.clear();
        return out;
    }
}
