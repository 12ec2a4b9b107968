package chat.server.chat;

import chat.server.delivery.Outbox;
import io.netty.channel.Channel;

import java.util.concurrent.Future;

/**
 * One connection as the chat sees it, from accept to close, named or not.
 *
 * <p>Threading: the name, the room and the closing flag belong to the chat executor; the
 * outbox to delivery (also on the chat executor). The name timer is set on the channel's event
 * loop and cancelled from the chat executor, hence volatile.
 */
public final class Session {

    private final Outbox outbox;

    // Chat executor only.
    String name;
    String key;
    String skeleton;
    Room room;
    int roomIndex = -1;
    boolean closing;

    volatile Future<?> nameTimer;

    public Session(Channel channel) {
        this.outbox = new Outbox(channel);
    }

    public Channel channel() {
        return outbox.channel();
    }

    Outbox outbox() {
        return outbox;
    }

    /** The channel's short id, first in every log line about this connection. */
    public String id() {
        return channel().id().asShortText();
    }

    /** The timer that closes the connection if no name is given; cancelled once one is. */
    public void nameTimer(Future<?> timer) {
        nameTimer = timer;
    }

    void cancelNameTimer() {
        Future<?> t = nameTimer;
        if (t != null) {
            t.cancel(false);
        }
    }

    boolean joined() {
        return room != null;
    }

    @Override
    public String toString() {
        return id() + (name == null ? "" : " " + name);
    }
}
