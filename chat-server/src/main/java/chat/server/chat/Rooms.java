package chat.server.chat;

import chat.protocol.Names;
import chat.protocol.RoomNames;
import chat.protocol.ServerLines;
import chat.server.history.HistoryStore;
import chat.server.metrics.ChatMetrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every room that exists (PROTOCOL.md, "Rooms"): {@code #lobby} always, the others from the
 * first {@code /join} until their last member leaves, at most {@code --max-rooms} at once.
 * Chat executor only.
 */
final class Rooms {

    private final HistoryStore history;
    private final ChatMetrics metrics;
    private final int maxRooms;
    private final Map<String, Room> byKey = new HashMap<>();
    private final Map<String, Room> bySkeleton = new HashMap<>();
    private final TreeMap<String, Room> byName = new TreeMap<>(Names.DISPLAY_ORDER);
    final Room lobby;

    Rooms(HistoryStore history, int maxRooms, ChatMetrics metrics) {
        this.history = history;
        this.maxRooms = maxRooms;
        this.metrics = metrics;
        this.lobby = create(RoomNames.LOBBY);
    }

    /** The room {@code display} names, compared the way room names collide; null if none. */
    Room find(String display) {
        Room r = byKey.get(RoomNames.key(display));
        return r != null ? r : bySkeleton.get(RoomNames.skeleton(display));
    }

    Room byKey(String key) {
        return byKey.get(key);
    }

    /** Whether one more room may be made. */
    boolean full() {
        return byKey.size() >= maxRooms;
    }

    Room create(String display) {
        Room r = new Room(display, RoomNames.key(display), RoomNames.skeleton(display), history.open(RoomNames.key(display)));
        byKey.put(r.key, r);
        bySkeleton.put(r.skeleton, r);
        byName.put(r.name, r);
        metrics.roomsOpen(byKey.size());
        return r;
    }

    /** A member left {@code r}: a room other than the lobby ends with its last member, and its history with it. */
    void vacated(Room r) {
        if (r.isEmpty() && r != lobby) {
            forget(r);
        }
    }

    private void forget(Room r) {
        byKey.remove(r.key);
        bySkeleton.remove(r.skeleton);
        byName.remove(r.name);
        r.log.release();
        metrics.roomsOpen(byKey.size());
    }

    /**
     * Clusters: the room {@code key} as the cluster has it now, made here if this server did not
     * hold it yet. What this server holds of an earlier making of the room (it ended and was made
     * again while this server was away) is forgotten, unless members here still hold on to it.
     */
    Room known(String key, String display, String generation) {
        Room r = byKey.get(key);
        if (r != null && !r.generation.equals(generation) && !r.generation.equals("0") && r.isEmpty() && r != lobby) {
            forget(r);
            r = null;
        }
        if (r == null) {
            r = create(display);
        } else if (!r.name.equals(display) && !display.equals(key)) {
            byName.remove(r.name);
            r.name = display;
            byName.put(r.name, r);
        }
        r.generation = generation;
        return r;
    }

    /**
     * Clusters: the room ended in the cluster. This server forgets it, or, while a member here is
     * still on its way out (its command's result comes after the end), once that member has gone.
     */
    void ended(Room r) {
        r.ended = true;
        left(r);
    }

    /** Clusters: a member here left {@code r}; forgotten if it has ended. */
    void left(Room r) {
        if (r.ended && r != lobby && r.isEmpty()) {
            forget(r);
        }
    }

    /** Every room this server holds. */
    Iterable<Room> all() {
        return byKey.values();
    }

    /** The server is stopping: every room's history goes. */
    void releaseAll() {
        for (Room r : byKey.values()) {
            r.log.release();
        }
    }

    /** The {@code /rooms} answer: every room with its member count, sorted as names. */
    String list() {
        List<String> entries = new ArrayList<>(byName.size());
        for (Room r : byName.values()) {
            entries.add(ServerLines.roomEntry(r.name, r.size()));
        }
        return ServerLines.rooms(entries);
    }

    int limit() {
        return maxRooms;
    }
}
