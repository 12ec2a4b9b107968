package chat.server.history;

/**
 * Makes each room's {@link RoomLog}. The in-memory store keeps {@code --history} lines per room
 * in the process; a clustered store keeps them where every server can read them.
 */
public interface HistoryStore {

    RoomLog open(String roomKey);

    /** Bytes of encoded lines held by every open log. Any thread. */
    long bytesHeld();
}
