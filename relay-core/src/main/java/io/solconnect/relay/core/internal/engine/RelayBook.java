package io.solconnect.relay.core.internal.engine;

import io.solconnect.relay.api.QualityMetrics;
import io.solconnect.relay.api.RelayCandidate;
import io.solconnect.relay.api.RelayEndpoint;
import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.Scheduler;
import io.solconnect.relay.api.SessionState;
import io.solconnect.relay.api.spi.HealthScorer;
import io.solconnect.relay.api.spi.LoadBalancer;
import io.solconnect.relay.core.internal.events.EventBus;
import io.solconnect.relay.core.internal.monitor.QualityRecorder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the session knows about every relay, and the decisions made from it: which relay to try
 * next (the balancer's pick among the best priority group), the ranking of preferred relays,
 * backoff and ejection after failures, and the detection of a local outage (every open link
 * dropped at once: our network, not the relays). Confined to the engine loop.
 */
final class RelayBook {

    private static final Logger log = LoggerFactory.getLogger(RelayBook.class);

    /** Score change that publishes a HealthChanged event. */
    static final double HEALTH_EVENT_DELTA = 0.05;

    /**
     * Failures in a row must span at least this long to eject a relay: jittered backoff can bunch
     * {@code maxRetries} refused connects into a few ms, as when a relay process restarts, and an
     * ejection then keeps this session off a relay that is back a moment later while other
     * members, whose attempts came later, use it (the benchmark lost messages that way).
     */
    static final Duration EJECT_MIN_SPAN = Duration.ofSeconds(1);

    private final String session;
    private final Timings timings;
    private final HealthScorer scorer;
    private final Scheduler scheduler;
    private final EngineLoop loop;
    private final EventBus events;
    private final RandomGenerator random;
    private final SessionStateMachine state;
    private final Duration window;
    private final Map<String, RelayEntry> relays = new LinkedHashMap<>();
    private final ArrayDeque<long[]> recentDrops = new ArrayDeque<>();
    private LoadBalancer balancer;
    private Predicate<RelayEntry> inUse = r -> false;
    private Supplier<String> affinity = () -> "";
    private Runnable restored = () -> { };

    RelayBook(String session, Timings timings, LoadBalancer balancer, HealthScorer scorer, Scheduler scheduler,
              EngineLoop loop, EventBus events, RandomGenerator random, SessionStateMachine state) {
        this.session = session;
        this.timings = timings;
        this.balancer = balancer;
        this.scorer = scorer;
        this.scheduler = scheduler;
        this.loop = loop;
        this.events = events;
        this.random = random;
        this.state = state;
        this.window = Timings.windowFor(timings.config());
    }

    /**
     * Wires what the book asks of the rest of the engine: whether a relay has a link, the affinity
     * key of the session, and what to do when an ejection ends.
     */
    void wire(Predicate<RelayEntry> inUse, Supplier<String> affinity, Runnable restored) {
        this.inUse = inUse;
        this.affinity = affinity;
        this.restored = restored;
    }

    /** The balancer for a new selection strategy. */
    void balancer(LoadBalancer b) {
        balancer = b;
    }

    Collection<RelayEntry> all() {
        return relays.values();
    }

    boolean isEmpty() {
        return relays.isEmpty();
    }

    int size() {
        return relays.size();
    }

    /**
     * Discovery lists {@code current} now: new relays become candidates, relays still listed stop
     * draining, relays gone start draining. Returns those that started draining.
     */
    List<RelayEntry> discovered(List<RelayEndpoint> current) {
        Set<String> now = new TreeSet<>();
        for (RelayEndpoint e : current) {
            now.add(e.id());
            RelayEntry r = relays.get(e.id());
            if (r == null) {
                QualityRecorder rec = new QualityRecorder(e, scheduler, window);
                relays.put(e.id(), new RelayEntry(e, rec, safeScore(e, rec.snapshot())));
            } else {
                r.rediscovered(e);
            }
        }
        List<RelayEntry> gone = new ArrayList<>();
        for (RelayEntry r : relays.values()) {
            if (!now.contains(r.id()) && !r.draining()) {
                r.drain();
                log.info("relay {} left discovery; draining it", r.id());
                gone.add(r);
            }
        }
        return gone;
    }

    /** Forgets draining relays no link uses any more. */
    void removeDrained() {
        relays.values().removeIf(r -> r.draining() && !inUse.test(r));
    }

    /** Candidates not in use, not ejected, not draining and not backing off, best priority group only. */
    Optional<RelayEntry> pick(long now) {
        List<RelayEntry> eligible = new ArrayList<>();
        for (RelayEntry r : relays.values()) {
            if (!r.draining() && !r.ejected(now) && !r.backingOff(now) && !inUse.test(r)) {
                eligible.add(r);
            }
        }
        if (eligible.isEmpty()) {
            return Optional.empty();
        }
        int best = eligible.stream().mapToInt(RelayEntry::priority).min().orElseThrow();
        List<RelayCandidate> candidates = eligible.stream().filter(r -> r.priority() == best).map(this::candidate).toList();
        Optional<RelayCandidate> c;
        try {
            c = balancer.pick(candidates, affinity.get());
        } catch (RuntimeException e) {
            log.warn("load balancer threw; taking the first candidate", e);
            c = Optional.of(candidates.get(0));
        }
        return c.map(x -> relays.get(x.id())).or(() -> Optional.of(relays.get(candidates.get(0).id())));
    }

    /** The balancer's pick among open links (promotion among several standbys); {@code fallback} when it has none. */
    Link pickLink(List<Link> open, Link fallback) {
        Map<String, Link> byId = new LinkedHashMap<>();
        open.forEach(l -> byId.put(l.id(), l));
        return balancer.pick(open.stream().map(l -> candidate(l.relay())).toList(), affinity.get())
                .map(c -> byId.get(c.id())).orElse(fallback);
    }

    /** Whether the balancer asks to be consulted at health checks within a fleet ({@link LoadBalancer#rebalances}). */
    boolean rebalances() {
        try {
            return balancer.rebalances();
        } catch (RuntimeException e) {
            log.warn("load balancer threw in rebalances()", e);
            return false;
        }
    }

    RelayCandidate candidate(RelayEntry r) {
        long now = scheduler.nanoTime();
        boolean healthy = r.score() >= timings.failoverThreshold() && !r.ejected(now);
        Duration healthyFor = healthy && r.healthySinceNanos() >= 0 ? Duration.ofNanos(now - r.healthySinceNanos())
                : Duration.ZERO;
        return new RelayCandidate(r.endpoint(), r.score(), healthy, healthyFor, r.recorder().snapshot());
    }

    /**
     * The relays this session should be linked to when nothing is wrong, best first: the primary's
     * relay, then {@code standbyCount} standby relays. Usable relays only (including those in use),
     * priority groups in order; within a group, with session affinity on, the balancer's picks for
     * the room key one after another, which rank the relays the same way on every client of the
     * room, so that members share their standbys too and a fault moves them to the same relay.
     * Without affinity only the priority counts and only the primary's relay is given (the
     * current primary's relay {@code current} is kept when it is in the best group).
     */
    List<RelayEntry> preferred(long now, RelayEntry current) {
        List<RelayEntry> usable = relays.values().stream()
                .filter(r -> !r.draining() && !r.ejected(now) && r.score() >= timings.failoverThreshold()
                        && (inUse.test(r) || !r.backingOff(now)))
                .toList();
        if (usable.isEmpty()) {
            return List.of();
        }
        TreeMap<Integer, List<RelayEntry>> groups = new TreeMap<>();
        usable.forEach(r -> groups.computeIfAbsent(r.priority(), k -> new ArrayList<>()).add(r));
        if (!sticky()) {
            List<RelayEntry> best = groups.firstEntry().getValue();
            return List.of(current != null && best.contains(current) ? current : best.get(0));
        }
        int want = 1 + timings.standbyCount();
        List<RelayEntry> out = new ArrayList<>();
        try {
            for (List<RelayEntry> group : groups.values()) {
                List<RelayEntry> left = new ArrayList<>(group);
                while (!left.isEmpty() && out.size() < want) {
                    Optional<RelayEntry> r = balancer.pick(left.stream().map(this::candidate).toList(), affinity.get())
                            .map(c -> relays.get(c.id()));
                    if (r.isEmpty() || !left.remove(r.get())) {
                        return out;
                    }
                    out.add(r.get());
                }
                if (out.size() >= want) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            log.warn("load balancer threw while ranking relays", e);
        }
        return out;
    }

    /**
     * Whether members of a room rank relays alike (session affinity): the strategy asks for it and
     * the relays share nothing. When every relay not draining that the session has been linked to
     * is known to be in one fleet (by configuration or by what it said on a link), and those are at
     * least one, they all read one log: the balancer picks each connection on measured quality and
     * load instead of by the room's key. Relays never linked to do not count (with three relays and
     * one standby, a client may never meet the third); a link to one that turns out to share nothing
     * brings affinity back, and its links get copies and re-publication as before.
     */
    boolean sticky() {
        if (!timings.sticky()) {
            return false;
        }
        java.util.Optional<String> fleet = java.util.Optional.empty();
        for (RelayEntry r : relays.values()) {
            java.util.Optional<String> f = r.fleet();
            boolean met = inUse.test(r) || r.unlinkedAtNanos() != Long.MIN_VALUE;
            if (r.draining() || (f.isEmpty() && !met)) {
                continue;
            }
            if (f.isEmpty() || (fleet.isPresent() && !fleet.equals(f))) {
                return true;
            }
            fleet = f;
        }
        return fleet.isEmpty();
    }

    /** When the next relay not in use becomes eligible (after backoff or ejection); MAX_VALUE if never. */
    long nextEligible(long now) {
        long next = Long.MAX_VALUE;
        for (RelayEntry r : relays.values()) {
            if (r.draining() || inUse.test(r)) {
                continue;
            }
            next = Math.min(next, Math.max(r.eligibleAtNanos(), now + 1));
        }
        return next;
    }

    /**
     * The session just lost a link to {@code lost}: every other relay that is backing off (not
     * ejected, not in use) may be tried at once, one attempt each. A member of the room may sit on
     * any of them, and a session on fewer relays than it keeps links to may not meet it there: in
     * fault storms a client whose backoff still ran against a relay healed a second ago stayed apart
     * from its room's other member for a second or more. A relay that still fails backs off again,
     * with one failure more.
     */
    void retryOthersNow(RelayEntry lost, long now) {
        for (RelayEntry r : relays.values()) {
            if (r != lost && !r.draining() && !r.ejected(now) && r.backingOff(now) && !inUse.test(r)) {
                r.retryNow(now);
                log.debug("relay {} may be tried now: the session lost its link to {}", r.id(), lost.id());
            }
        }
    }

    /** Whether any relay has failed since it was last stable, or is ejected. */
    boolean anyFailing(long now) {
        return relays.values().stream().anyMatch(r -> r.failures() > 0 || r.ejected(now));
    }

    /**
     * Counts a failure: backoff always; ejection after {@code maxRetries} failures in a row, over at
     * least {@link #EJECT_MIN_SPAN}, that end with a failed connect attempt, or at once for a
     * terminal close, never while OFFLINE (the fault is probably ours) and never when fewer usable
     * relays than a primary and its standbys would remain (in a pool large enough for that), nor
     * the last one.
     */
    void failed(RelayEntry r, String reason, boolean terminal, boolean connectAttempt) {
        long now = scheduler.nanoTime();
        long delay = r.fail(now, timings.backoffInitial(), timings.backoffMax(), timings.stablePeriod(), random);
        int limit = Math.max(1, timings.maxRetries());
        long span = now - r.failingSinceNanos();
        boolean persistent = connectAttempt && r.failures() >= limit && span >= EJECT_MIN_SPAN.toNanos();
        if ((terminal || persistent) && !state.is(SessionState.OFFLINE) && !wouldLeaveTooFew(r, now)) {
            String why = terminal ? "a terminal close" : r.failures() + " failures in a row over " + span / 1_000_000 + " ms";
            long length = r.eject(now, timings.ejectionTime());
            Instant until = scheduler.now().plusNanos(length);
            log.warn("ejecting relay {} for {} ms after {}: {}", r.id(), length / 1_000_000, why, reason);
            events.publish(RelayEvent.Ejected.class, () -> new RelayEvent.Ejected(scheduler.now(), r.id(), until, reason));
            loop.schedule(Duration.ofNanos(length), () -> {
                if (!state.is(SessionState.CLOSED) && relays.get(r.id()) == r && !r.ejected(scheduler.nanoTime())) {
                    events.publish(RelayEvent.Restored.class, () -> new RelayEvent.Restored(scheduler.now(), r.id()));
                    restored.run();
                }
            });
        } else {
            log.debug("relay {} failed ({}), next attempt in {} ms", r.id(), reason, delay / 1_000_000);
        }
    }

    /**
     * Whether ejecting {@code r} would leave fewer usable relays (not draining, not ejected) than the
     * session keeps links to, a primary and {@code standbyCount} standbys, or none at all in a pool
     * too small for that. Ejecting below that leaves the session on fewer relays than its room's
     * other members rely on meeting it at (with three relays and one standby, two members always
     * share a relay only while each has two); a soak run with a fault every 5 s lost messages when
     * members had ejected two of three relays each, different ones.
     */
    private boolean wouldLeaveTooFew(RelayEntry r, long now) {
        int others = 0;
        for (RelayEntry o : relays.values()) {
            if (o != r && !o.draining() && !o.ejected(now)) {
                others++;
            }
        }
        int needed = Math.max(1, Math.min(1 + timings.standbyCount(), relays.size() - 1));
        return others < needed;
    }

    /**
     * Remembers a drop and tells whether it completes a local outage: every link we had open
     * ({@code othersOpen} is false) went down within the outage window, and there were at least
     * two, to two different relays.
     */
    boolean dropCompletesOutage(long generation, long now, boolean othersOpen) {
        recentDrops.addLast(new long[] {now, generation});
        while (!recentDrops.isEmpty() && recentDrops.peekFirst()[0] < now - timings.outageWindow().toNanos()) {
            recentDrops.pollFirst();
        }
        return !othersOpen && recentDrops.size() >= 2 && relays.size() >= 2;
    }

    /** Why the last drops look like a local outage. */
    String outageReason() {
        return "all " + recentDrops.size() + " open links dropped within " + timings.outageWindow().toMillis()
                + " ms: local network down?";
    }

    /** After a local outage, relays are not to blame: clear their failures and backoff. */
    void forgiveAll() {
        relays.values().forEach(RelayEntry::forgive);
    }

    /** The health check: samples and rescores every relay, publishing notable score changes. */
    void rescoreAll(long now) {
        for (RelayEntry r : relays.values()) {
            r.recorder().sampleHistory();
            double old = r.rescore(safeScore(r.endpoint(), r.recorder().snapshot()), timings.failoverThreshold(), now);
            double nw = r.score();
            if (Math.abs(old - nw) >= HEALTH_EVENT_DELTA) {
                events.publish(RelayEvent.HealthChanged.class,
                        () -> new RelayEvent.HealthChanged(scheduler.now(), r.id(), old, nw));
            }
        }
    }

    private double safeScore(RelayEndpoint e, QualityMetrics m) {
        try {
            double s = scorer.score(e, m);
            return Double.isFinite(s) ? Math.max(0, Math.min(1, s)) : 0;
        } catch (RuntimeException ex) {
            log.warn("health scorer threw for {}; scoring 0", e.id(), ex);
            return 0;
        }
    }
}
