package chat.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

import java.util.concurrent.ScheduledFuture;

/**
 * One connection as the chat sees it, from accept to close, named or not.
 *
 * <p>Threading: the name and the delivery bookkeeping belong to the Broadcaster's executor;
 * {@link #outgoing} belongs to the channel's event loop (FanOut fills it there). The channel
 * itself is safe to use from anywhere.
 */
final class Member {

    private final Channel channel;

    // Broadcaster's executor only.
    private String name;
    private String key;
    private boolean closing;
    private long dropped;
    int joinedIndex = -1;
    FanOut.Lane lane;
    int pendingBytes;
    int batchStamp;

    // The channel's event loop only.
    ByteBuf outgoing;

    /** Set on the event loop, cancelled from the Broadcaster when a name is accepted. */
    volatile ScheduledFuture<?> nameTimer;

    Member(Channel channel) {
        this.channel = channel;
    }

    Channel channel() {
        return channel;
    }

    String id() {
        return channel.id().asShortText();
    }

    String name() {
        return name;
    }

    String key() {
        return key;
    }

    boolean isClosing() {
        return closing;
    }

    void closing() {
        closing = true;
    }

    void name(String displayName, String collisionKey) {
        name = displayName;
        key = collisionKey;
    }

    void countDrop() {
        dropped++;
    }

    /** Returns the drops since the last call, and starts counting again. */
    long takeDrops() {
        long n = dropped;
        dropped = 0;
        return n;
    }

    boolean hasDrops() {
        return dropped > 0;
    }

    void cancelNameTimer() {
        ScheduledFuture<?> t = nameTimer;
        if (t != null) {
            t.cancel(false);
        }
    }

    @Override
    public String toString() {
        return id() + (name == null ? "" : " " + name);
    }
}
