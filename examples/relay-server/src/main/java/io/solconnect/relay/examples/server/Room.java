package io.solconnect.relay.examples.server;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One room: members, a sequence counter of its own, bounded history and the client ids already
 * accepted. Not thread-safe: {@link SyncRelay} holds the room's monitor while using it, so a
 * room's sequence order is also the order every member receives its broadcasts in.
 */
final class Room {

    /** A stored message: its sequence and the {@code sync_response} entry that replays it. */
    record Stored(long sequence, ObjectNode entry) { }

    final String id;
    private final int historyLimit;
    private final Set<Peer> members = new LinkedHashSet<>();
    private final Set<String> devices = new LinkedHashSet<>();
    private final Deque<Stored> history = new ArrayDeque<>();
    private final Map<String, Long> seenIds;
    private long sequence;
    private boolean freed;

    Room(String id, int historyLimit, int idLimit) {
        this.id = id;
        this.historyLimit = historyLimit;
        this.seenIds = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > idLimit;
            }
        };
    }

    boolean join(Peer p) {
        return members.add(p);
    }

    boolean isMember(Peer p) {
        return members.contains(p);
    }

    boolean hasNoMembers() {
        return members.isEmpty();
    }

    /** Marks the room as dropped from the relay's map; a caller that finds it freed looks again. */
    void free() {
        freed = true;
    }

    boolean freed() {
        return freed;
    }

    void leave(Peer p) {
        members.remove(p);
    }

    /** No members, no history and no devices: nothing worth keeping. */
    boolean isEmpty() {
        return members.isEmpty() && history.isEmpty() && devices.isEmpty();
    }

    /** The sequence a client id was stored under, or null when it is new. */
    Long seen(String clientId) {
        return clientId == null ? null : seenIds.get(clientId);
    }

    long nextSequence() {
        return ++sequence;
    }

    long latestSequence() {
        return sequence;
    }

    void store(long seq, String clientId, ObjectNode entry) {
        if (clientId != null) {
            seenIds.put(clientId, seq);
        }
        history.addLast(new Stored(seq, entry));
        while (history.size() > historyLimit) {
            history.removeFirst();
        }
    }

    List<Stored> after(long lastSynced) {
        List<Stored> out = new ArrayList<>();
        for (Stored s : history) {
            if (s.sequence() > lastSynced) {
                out.add(s);
            }
        }
        return out;
    }

    void broadcast(Peer from, String text) {
        // a copy: a send that fails can close its session at once, and that session leaves the room
        for (Peer m : List.copyOf(members)) {
            if (m != from) {
                m.send(text);
            }
        }
    }

    void broadcastAll(String text) {
        for (Peer m : List.copyOf(members)) {
            m.send(text);
        }
    }

    /** Adds a device unless the list is at {@code cap}; true when the list changed. */
    boolean addDevice(String device, int cap) {
        if (devices.contains(device) || devices.size() >= cap) {
            return false;
        }
        return devices.add(device);
    }

    boolean hasDevice(String device) {
        return devices.contains(device);
    }

    /** The devices announced, in order; a copy. */
    List<String> devices() {
        return List.copyOf(devices);
    }
}
