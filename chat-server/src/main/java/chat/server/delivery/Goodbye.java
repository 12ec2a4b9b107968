package chat.server.delivery;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.util.concurrent.Future;

import java.util.concurrent.TimeUnit;

/**
 * Sends a connection its last line and closes it. Callable from any thread.
 *
 * <p>The close waits for the line to reach the socket, but never longer than {@link #GRACE_MILLIS}:
 * a client that does not read must not keep its connection open.
 */
public final class Goodbye {

    public static final long GRACE_MILLIS = 1_000;

    private Goodbye() {
    }

    public static void send(Channel channel, String lastLine) {
        channel.writeAndFlush(lastLine).addListener(ChannelFutureListener.CLOSE);
        closeAfterGrace(channel);
    }

    /** Closes the channel once everything written to it so far has been flushed. */
    static void closeWhenFlushed(Channel channel) {
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        closeAfterGrace(channel);
    }

    private static void closeAfterGrace(Channel channel) {
        Future<?> deadline = channel.eventLoop().schedule(
                () -> channel.close(), GRACE_MILLIS, TimeUnit.MILLISECONDS);
        channel.closeFuture().addListener(closed -> deadline.cancel(false));
    }
}
