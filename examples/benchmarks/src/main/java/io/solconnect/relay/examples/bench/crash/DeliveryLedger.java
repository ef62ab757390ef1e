package io.solconnect.relay.examples.bench.crash;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The crash benchmark's books: which messages the sender confirmed (its {@code send} returned with
 * the message in the durable outbox) and which the receiver got, and how often and in what order.
 *
 * <p>Lost: confirmed but never delivered. Duplicate: a message (same incarnation and number)
 * delivered more than once; every extra copy counts. Out of order: a first delivery whose
 * {@link CrashPayload#orderKey()} is below that of an earlier first delivery (one sender, so all
 * its messages must arrive in send order). Delivered but unconfirmed messages (the one in flight
 * when the sender was killed) are counted apart; they are neither lost nor wrong.
 *
 * <p>Thread-safe: the receiver's listener thread and the harness thread both call it.
 */
final class DeliveryLedger {

    private final Set<CrashPayload> confirmed = new HashSet<>();
    private final Map<CrashPayload, Integer> delivered = new HashMap<>();
    private long duplicates;
    private long outOfOrder;
    private long foreign;
    private long lastKey = -1;
    private final List<String> orderExamples = new ArrayList<>();

    /**
     * Records that the sender confirmed a message.
     *
     * @param m the message
     */
    synchronized void confirmed(CrashPayload m) {
        confirmed.add(m);
    }

    /**
     * Records one delivery to the receiver.
     *
     * @param payload the payload delivered
     */
    synchronized void delivered(String payload) {
        var parsed = CrashPayload.parse(payload);
        if (parsed.isEmpty()) {
            foreign++;
            return;
        }
        CrashPayload m = parsed.get();
        int copies = delivered.merge(m, 1, Integer::sum);
        if (copies > 1) {
            duplicates++;
            return;
        }
        if (m.orderKey() < lastKey) {
            outOfOrder++;
            if (orderExamples.size() < 10) {
                orderExamples.add("inc=" + m.incarnation() + ",seq=" + m.seq() + " after inc=" + (lastKey >>> 40)
                        + ",seq=" + (lastKey & CrashPayload.MAX_SEQ));
            }
        } else {
            lastKey = m.orderKey();
        }
    }

    /** @return messages the sender confirmed */
    synchronized long confirmedCount() {
        return confirmed.size();
    }

    /** @return distinct messages delivered, confirmed or not */
    synchronized long deliveredCount() {
        return delivered.size();
    }

    /** @return confirmed messages not delivered (yet) */
    synchronized long lost() {
        return confirmed.stream().filter(m -> !delivered.containsKey(m)).count();
    }

    /** @return delivered messages the sender never confirmed */
    synchronized long unconfirmedDelivered() {
        return delivered.keySet().stream().filter(m -> !confirmed.contains(m)).count();
    }

    /**
     * Up to {@code max} delivered messages the sender never confirmed, lowest first.
     *
     * @param max how many at most
     * @return {@code inc=K,seq=N} strings
     */
    synchronized List<String> unconfirmedExamples(int max) {
        return delivered.keySet().stream().filter(m -> !confirmed.contains(m))
                .sorted((a, b) -> Long.compare(a.orderKey(), b.orderKey())).limit(max)
                .map(m -> "inc=" + m.incarnation() + ",seq=" + m.seq()).toList();
    }

    /** @return extra copies delivered */
    synchronized long duplicates() {
        return duplicates;
    }

    /** @return first deliveries that came after a later-sent message */
    synchronized long outOfOrder() {
        return outOfOrder;
    }

    /** @return deliveries that were not the benchmark's payloads */
    synchronized long foreign() {
        return foreign;
    }

    /**
     * Up to {@code max} lost messages, lowest first.
     *
     * @param max how many at most
     * @return {@code inc=K,seq=N} strings
     */
    synchronized List<String> lostExamples(int max) {
        return confirmed.stream().filter(m -> !delivered.containsKey(m))
                .sorted((a, b) -> Long.compare(a.orderKey(), b.orderKey())).limit(max)
                .map(m -> "inc=" + m.incarnation() + ",seq=" + m.seq()).toList();
    }

    /** @return up to ten out-of-order deliveries, as first seen */
    synchronized List<String> outOfOrderExamples() {
        return List.copyOf(orderExamples);
    }
}
