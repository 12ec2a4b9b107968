package chat.server.session;

import io.netty.channel.Channel;
import io.netty.channel.socket.DuplexChannel;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one owner of a connection's {@code autoRead}: flood control and back-pressure each hold
 * the gate for their own reason, and the channel reads again only when nobody holds it.
 *
 * <p>Threading: hold and release from any thread. The flag is set on the channel's event loop,
 * from the holds as they are then, so the last change wins whatever order threads race in.
 */
public final class ReadGate {

    /** Why reading stops. */
    public enum Hold {
        /** Flood control: the sender is over its budget. */
        FLOOD,
        /** Back-pressure: the server is behind with delivering. */
        BACKLOG
    }

    private final Channel channel;
    private final AtomicInteger holds = new AtomicInteger();
    private final Runnable apply = this::apply;

    public ReadGate(Channel channel) {
        this.channel = channel;
    }

    public void hold(Hold why) {
        int bit = 1 << why.ordinal();
        if ((holds.getAndUpdate(h -> h | bit) & bit) == 0) {
            applySoon();
        }
    }

    public void release(Hold why) {
        int bit = 1 << why.ordinal();
        if ((holds.getAndUpdate(h -> h & ~bit) & bit) != 0) {
            applySoon();
        }
    }

    public boolean isHeld(Hold why) {
        return (holds.get() & (1 << why.ordinal())) != 0;
    }

    private void applySoon() {
        if (channel.eventLoop().inEventLoop()) {
            apply();
        } else {
            channel.eventLoop().execute(apply);
        }
    }

    private void apply() {
        // A closed channel, or one whose input has ended, has left epoll's read interest: changing
        // it would fail (epoll_ctl: ENOENT) and close the connection before its replies are written.
        if (channel.isOpen() && !(channel instanceof DuplexChannel duplex && duplex.isInputShutdown())) {
            channel.config().setAutoRead(holds.get() == 0);
        }
    }
}
