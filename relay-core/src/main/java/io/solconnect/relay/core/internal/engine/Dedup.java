package io.solconnect.relay.core.internal.engine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.solconnect.relay.api.InboundMessage;
import io.solconnect.relay.api.OutboundMessage;
import io.solconnect.relay.api.Scheduler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Remembers inbound messages already handed to the application, so each reaches it once across
 * relays, standby links and resumes. Two keys per message: the client message id (when the relay
 * kept it) and a content key, a SHA-256 of (room, sender, sender timestamp, payload), for relays
 * that rewrite or drop ids. A message is a duplicate when either key was seen.
 *
 * <p>Time expiry ({@code dedupWindow} after the last sighting) is a Caffeine cache driven by the
 * injected clock. The count bound ({@code dedupMaxEntries} keys) is kept here, oldest first, and
 * not with Caffeine's {@code maximumSize}: its Window-TinyLFU admission keeps frequently used
 * entries, and when every key was seen once it may drop a new key instead of an old one, which let
 * copies arriving a second later through as new messages under load. Thread-safe.
 */
final class Dedup {

    private final Cache<String, Boolean> seen;
    private final ArrayDeque<String> order = new ArrayDeque<>();
    private final int maxEntries;

    Dedup(Duration window, int maxEntries, Scheduler clock) {
        this.maxEntries = maxEntries;
        this.seen = Caffeine.newBuilder()
                .expireAfterAccess(window)
                .ticker(clock::nanoTime)
                .executor(Runnable::run)
                .build();
    }

    /** Returns true the first time a message is seen, false for a duplicate; remembers it either way. */
    synchronized boolean firstSighting(InboundMessage m) {
        String content = contentKey(m.room(), m.sender(), m.sentAt(), m.payload());
        String id = m.messageId().map(i -> "i:" + m.room() + "\u0000" + i).orElse(null);
        boolean dup = seen.getIfPresent(content) != null || (id != null && seen.getIfPresent(id) != null);
        remember(content);
        if (id != null) {
            remember(id);
        }
        return !dup;
    }

    /** Remembers a message this client sent, so that a resume returning it is not delivered back. */
    synchronized void rememberOwn(OutboundMessage m) {
        remember(contentKey(m.room(), m.sender(), Optional.of(m.createdAt()), m.payload()));
        remember("i:" + m.room() + "\u0000" + m.id());
    }

    private void remember(String key) {
        if (seen.asMap().putIfAbsent(key, Boolean.TRUE) == null) {
            order.addLast(key);
            while (order.size() > maxEntries) {
                seen.invalidate(order.pollFirst());
            }
        }
    }

    static String contentKey(String room, String sender, Optional<Instant> sentAt, String payload) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {room, sender, sentAt.map(Instant::toString).orElse("")}) {
                d.update(part.getBytes(StandardCharsets.UTF_8));
                d.update((byte) 0);
            }
            d.update(payload.getBytes(StandardCharsets.UTF_8));
            return "c:" + HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
