package io.solconnect.relay.core.internal.events;

import io.solconnect.relay.api.RelayEvent;
import io.solconnect.relay.api.Subscription;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Typed publish/subscribe for {@link RelayEvent}s. {@link #publish(Class, Supplier)} builds the
 * event only when a subscriber for its type exists, and hands it to a {@link SerialLane}, so
 * listeners run one at a time, in publication order, never on the publishing (I/O) thread; a slow
 * listener delays only other listeners. A listener's exception is caught and logged. Thread-safe.
 */
public final class EventBus {

    private final SerialLane lane;
    private final List<Entry<?>> entries = new CopyOnWriteArrayList<>();

    private record Entry<E extends RelayEvent>(Class<E> type, Consumer<? super E> listener) {
        void offer(RelayEvent e) {
            if (type.isInstance(e)) {
                listener.accept(type.cast(e));
            }
        }
    }

    /**
     * Creates a bus.
     *
     * @param lane where listeners run
     */
    public EventBus(SerialLane lane) {
        this.lane = Objects.requireNonNull(lane);
    }

    /**
     * Subscribes to events of a type.
     *
     * @param type     the type, {@code RelayEvent.class} for all
     * @param listener the listener
     * @param <E>      the type
     * @return the subscription; cancelling twice is harmless
     */
    public <E extends RelayEvent> Subscription subscribe(Class<E> type, Consumer<? super E> listener) {
        Entry<E> e = new Entry<>(Objects.requireNonNull(type, "type"), Objects.requireNonNull(listener, "listener"));
        entries.add(e);
        return () -> entries.remove(e);
    }

    /** Whether anybody listens for this type. */
    public boolean listens(Class<? extends RelayEvent> type) {
        for (Entry<?> e : entries) {
            if (e.type.isAssignableFrom(type)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Publishes an event, built by {@code factory} only when someone listens for {@code type}.
     *
     * @param type    the event's class
     * @param factory builds it
     * @param <E>     the type
     */
    public <E extends RelayEvent> void publish(Class<E> type, Supplier<E> factory) {
        if (!listens(type)) {
            return;
        }
        dispatch(factory.get());
    }

    /** Publishes an already built event (e.g. from a plugin's event sink). */
    public void publish(RelayEvent event) {
        if (listens(event.getClass())) {
            dispatch(event);
        }
    }

    private void dispatch(RelayEvent event) {
        List<Entry<?>> snapshot = List.copyOf(entries);
        lane.submit(() -> {
            for (Entry<?> e : snapshot) {
                if (entries.contains(e)) {
                    try {
                        e.offer(event);
                    } catch (RuntimeException ex) {
                        org.slf4j.LoggerFactory.getLogger(EventBus.class)
                                .warn("event listener threw on {}; ignored", event.getClass().getSimpleName(), ex);
                    }
                }
            }
        });
    }
}
