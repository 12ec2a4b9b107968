package chat.server.history;

import io.netty.buffer.ByteBuf;

/**
 * One room's chat lines in the order they were accepted, each numbered: the first is 1. The
 * newest {@code capacity} are held, encoded once (UTF-8 plus LF) and shared by every member;
 * a member's place in the room is the number of the last line it got (a cursor), so what it
 * missed is {@code head() - cursor}, and what it can still get starts at {@link #oldest()}.
 *
 * <p>Threading: owned by the chat executor, like the room.
 */
public interface RoomLog {

    /** Adds a line; the log takes over the caller's reference to {@code line}. Returns its number. */
    long append(ByteBuf line, long acceptedAtMillis);

    /**
     * Clusters: lines up to {@code seq} were numbered elsewhere and are not held here (missed
     * while this server was away, or before it started); the next line appended is {@code seq + 1}.
     */
    void skipTo(long seq);

    /** The number of the newest line, 0 before the first. */
    long head();

    /** The number of the oldest line still held; {@code head() + 1} when none is. */
    long oldest();

    /** Line {@code seq}, which must be held; the log keeps its reference (retain to keep it longer). */
    ByteBuf line(long seq);

    long acceptedAtMillis(long seq);

    /** Bytes of encoded lines held. */
    long bytesHeld();

    /** Releases every line: the room has ended. */
    void release();
}
