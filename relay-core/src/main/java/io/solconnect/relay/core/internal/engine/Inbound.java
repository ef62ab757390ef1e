package io.solconnect.relay.core.internal.engine;

import io.solconnect.relay.api.InboundMessage;
import io.solconnect.relay.api.OutboundMessage;
import io.solconnect.relay.api.Scheduler;
import io.solconnect.relay.api.Subscription;
import io.solconnect.relay.api.spi.ProtocolFrame;
import io.solconnect.relay.core.internal.events.SerialLane;
import io.solconnect.relay.api.spi.SequencedProtocol;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbound side of a session: every delivered message goes through deduplication, then
 * per-sender ordering, then to the application's listeners on the application lane (one thread
 * at a time, in order, never an I/O thread). A gap in a sender's serials that stays open is asked
 * about through a {@link GapAsker}. Messages for rooms the session never joined are counted and
 * dropped. Confined to the engine loop (its timers run there too), except
 * the listener list, which the application changes from any thread.
 */
final class Inbound {

    private static final Logger log = LoggerFactory.getLogger(Inbound.class);

    private final EngineLoop loop;
    private final Scheduler scheduler;
    private final SerialLane appLane;
    private final Dedup dedup;
    private final SenderOrder order;
    private final Duration holdCheck;
    private final String session;
    private final GapAsker asker;
    private final List<Consumer<InboundMessage>> listeners = new CopyOnWriteArrayList<>();
    private Scheduler.Cancellable orderTimer;
    private Scheduler.Cancellable askTimer;
    private boolean stopped;
    private long delivered;
    private long firstSightings;
    private long duplicates;
    private long foreignDropped;
    /** Whether the session joined a room; every room until {@link #wire} (unit tests of the parts). */
    private Predicate<String> joined = room -> true;

    /**
     * Where the gaps in senders' serials go to be asked about ({@link SenderOrder#gapsToAsk}), with
     * how long a gap stays open before it is asked about and how often it is asked about again.
     * Called on the engine loop.
     */
    interface GapAsker {
        Duration grace();

        Duration every();

        void ask(List<SenderOrder.Gap> gaps);
    }

    Inbound(EngineLoop loop, Scheduler scheduler, SerialLane appLane, Dedup dedup, SenderOrder order, Duration holdCheck,
            String session, GapAsker asker) {
        this.loop = loop;
        this.scheduler = scheduler;
        this.appLane = appLane;
        this.dedup = dedup;
        this.order = order;
        this.holdCheck = holdCheck;
        this.session = session;
        this.asker = asker;
    }

    /** Only messages for rooms {@code joinedRooms} accepts reach the application. */
    void wire(Predicate<String> joinedRooms) {
        this.joined = joinedRooms;
    }

    Subscription onMessage(Consumer<InboundMessage> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Remembers one of our own messages, so a resume returning it does not deliver it back. */
    void rememberOwn(OutboundMessage m) {
        dedup.rememberOwn(m);
    }

    /**
     * Takes the messages of a Deliver frame from {@code relay}; returns those ready for the
     * application now.
     */
    List<InboundMessage> accept(ProtocolFrame.Deliver d, List<Optional<SequencedProtocol.Origin>> origins, RelayEntry relay) {
        List<InboundMessage> ready = new ArrayList<>();
        long now = scheduler.nanoTime();
        for (int i = 0; i < d.messages().size(); i++) {
            InboundMessage m = d.messages().get(i);
            if (!joined.test(m.room())) {
                // a relay that forwards rooms the application never joined: counted, dropped
                foreignDropped++;
                continue;
            }
            m.sequence().ifPresent(seq -> relay.sawSequence(m.room(), seq));
            Optional<SequencedProtocol.Origin> o = i < origins.size() ? origins.get(i) : Optional.empty();
            if (o.isPresent() && order.refuses(m.room(), o.get())) {
                o = Optional.empty(); // delivered, but not held for order nor allowed to open a gap
            }
            // a serial already delivered is a duplicate even after the dedup cache forgot its keys
            // (a resume from 0 returns a relay's whole history, which can be older than the cache)
            if (o.isPresent() && order.seen(m.room(), o.get())) {
                duplicates++;
                continue;
            }
            if (!dedup.firstSighting(m)) {
                duplicates++;
                // its first copy may have come without a serial: its place in the order is taken now
                if (o.isPresent()) {
                    List<InboundMessage> freed = order.delivered(m.room(), o.get(), now);
                    delivered += freed.size();
                    ready.addAll(freed);
                }
                continue;
            }
            firstSightings++;
            List<InboundMessage> now2 = o.isPresent() ? order.offer(m.room(), o.get(), m, now) : List.of(m);
            delivered += now2.size();
            ready.addAll(now2);
        }
        armOrderTimer();
        armAskTimer();
        return ready;
    }

    /** While messages are held ahead of gaps, checks every grace time which gaps to ask about. */
    private void armAskTimer() {
        if (order.holding() && askTimer == null && !stopped) {
            askTimer = loop.schedule(asker.grace(), () -> {
                askTimer = null;
                if (stopped) {
                    return;
                }
                List<SenderOrder.Gap> gaps = order.gapsToAsk(scheduler.nanoTime(), asker.grace().toNanos(),
                        asker.every().toNanos(), SenderOrder.MAX_HELD);
                if (!gaps.isEmpty()) {
                    asker.ask(gaps);
                }
                armAskTimer();
            });
        }
    }

    private void armOrderTimer() {
        if (order.holding() && orderTimer == null && !stopped) {
            orderTimer = loop.schedule(holdCheck, () -> {
                orderTimer = null;
                List<InboundMessage> out = order.expire(scheduler.nanoTime());
                delivered += out.size();
                armOrderTimer();
                deliver(out);
            });
        }
    }

    /** Hands messages to the listeners on the application lane (never blocks the loop). */
    void deliver(List<InboundMessage> messages) {
        if (messages.isEmpty()) {
            return;
        }
        appLane.submit(() -> {
            for (InboundMessage m : messages) {
                for (Consumer<InboundMessage> l : listeners) {
                    try {
                        l.accept(m);
                    } catch (RuntimeException e) {
                        log.warn("message listener threw; ignored", e);
                    }
                }
            }
        });
    }

    /** Stops the ordering and asking timers. */
    void stop() {
        stopped = true;
        if (orderTimer != null) {
            orderTimer.cancel();
            orderTimer = null;
        }
        if (askTimer != null) {
            askTimer.cancel();
            askTimer = null;
        }
    }

    /** Messages seen for the first time (not duplicates), ever; grows by one per new message. */
    long firstSightings() {
        return firstSightings;
    }

    long delivered() {
        return delivered;
    }

    long duplicates() {
        return duplicates;
    }

    /** Messages dropped because they were for a room the session never joined. */
    long foreignDropped() {
        return foreignDropped;
    }

    /** Serials refused for ordering ({@link SenderOrder#refuses}). */
    long serialsRefused() {
        return order.refused();
    }
}
