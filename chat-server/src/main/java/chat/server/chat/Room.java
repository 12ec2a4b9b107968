package chat.server.chat;

import chat.protocol.Names;
import chat.server.delivery.Outbox;
import chat.server.history.RoomLog;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A room: its members, their names in who-list order, and its log of kept lines.
 *
 * <p>Threading: chat executor only. Members are held in an array list (swap-remove, O(1)) for
 * the fan-out, their outboxes in a parallel list that delivery walks; the names in a sorted set,
 * so an arrival costs O(log n), not a sort.
 */
final class Room {

    /** As shown; clusters: as first made, learnt when a member here joins (see {@link Rooms#known}). */
    String name;
    final String key;
    final String skeleton;
    final RoomLog log;
    /** Clusters: the room ended in the cluster while a member here was still on its way out. */
    boolean ended;
    /** Clusters: which making of the room this is (0: not known yet); one made again after it ended has another. */
    String generation = "0";
    private final List<Session> members = new ArrayList<>();
    private final List<Outbox> outboxes = new ArrayList<>();
    private final TreeSet<String> names = new TreeSet<>(Names.DISPLAY_ORDER);

    Room(String name, String key, String skeleton, RoomLog log) {
        this.name = name;
        this.key = key;
        this.skeleton = skeleton;
        this.log = log;
    }

    void add(Session s) {
        s.room = this;
        s.roomIndex = members.size();
        members.add(s);
        outboxes.add(s.outbox());
        names.add(s.name);
    }

    void remove(Session s) {
        int i = s.roomIndex;
        int last = members.size() - 1;
        Session moved = members.remove(last);
        Outbox movedOutbox = outboxes.remove(last);
        if (moved != s) {
            members.set(i, moved);
            outboxes.set(i, movedOutbox);
            moved.roomIndex = i;
        }
        names.remove(s.name);
        s.room = null;
        s.roomIndex = -1;
    }

    void renamed(String oldName, String newName) {
        names.remove(oldName);
        names.add(newName);
    }

    int size() {
        return members.size();
    }

    boolean isEmpty() {
        return members.isEmpty();
    }

    /** The members' outboxes, for delivery; not to be changed. */
    List<Outbox> outboxes() {
        return outboxes;
    }


    /** The members' names in who-list order. */
    Iterable<String> names() {
        return names;
    }
}
