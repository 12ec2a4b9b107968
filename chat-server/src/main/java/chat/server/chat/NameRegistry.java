package chat.server.chat;

import chat.protocol.Names;
import chat.protocol.ServerLines;

import java.util.HashMap;
import java.util.Map;

/**
 * The names in use, server-wide (PROTOCOL.md, "Names"): two names are the same when their keys
 * (NFKC, lower case) or their confusable skeletons are equal, and the server's own words are
 * reserved. Chat executor only.
 */
final class NameRegistry {

    private final Map<String, Session> byKey = new HashMap<>();
    private final Map<String, Session> bySkeleton = new HashMap<>();

    /** The error line for a name {@code s} may not take, or null if it may. */
    String problem(Session s, String name) {
        if (!Names.isValid(name)) {
            return ServerLines.invalidName();
        }
        if (Names.isReserved(name)) {
            return ServerLines.nameTaken(name);
        }
        // Both relations, each on its own: a rename to your own key may still look like someone else.
        Session byKeyHolder = byKey.get(Names.key(name));
        Session bySkeletonHolder = bySkeleton.get(Names.skeleton(name));
        if ((byKeyHolder != null && byKeyHolder != s) || (bySkeletonHolder != null && bySkeletonHolder != s)) {
            return ServerLines.nameTaken(name);
        }
        return null;
    }

    /** Gives {@code s} the name, which {@link #problem} allowed; its old name, if any, is free again. */
    void claim(Session s, String name) {
        release(s);
        s.name = name;
        s.key = Names.key(name);
        s.skeleton = Names.skeleton(name);
        byKey.put(s.key, s);
        bySkeleton.put(s.skeleton, s);
    }

    void release(Session s) {
        if (s.key != null) {
            byKey.remove(s.key, s);
            bySkeleton.remove(s.skeleton, s);
        }
    }

    /** Who goes by {@code typed}, compared the way names collide; null if no one. */
    Session find(String typed) {
        String name = Names.display(typed);
        Session holder = byKey.get(Names.key(name));
        return holder != null ? holder : bySkeleton.get(Names.skeleton(name));
    }

    int size() {
        return byKey.size();
    }
}
