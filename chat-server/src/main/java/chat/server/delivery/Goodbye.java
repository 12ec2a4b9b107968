package chat.server.delivery;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;

import java.util.concurrent.TimeUnit;

/**
 * Ends a connection the way TCP likes (PROTOCOL.md, "Leaving"): the last line, then a FIN
 * (output shut down), then what the client still sends is read and thrown away until it
 * closes its side too, and only then the socket is closed. Closing a socket with unread input
 * would send a reset instead, and the client could lose the last line. TLS and WebSocket
 * connections are closed instead: their handlers send close_notify or a close frame first.
 * Callable from any thread.
 *
 * <p>Bounded: a client that does not read, or does not close, is closed after
 * {@link #GRACE_MILLIS} whatever happens.
 */
public final class Goodbye {

    public static final long GRACE_MILLIS = 1_000;

    private Goodbye() {
    }

    /** Writes {@code lastLine} (a String for the pipeline's encoder) and ends the connection. */
    public static void send(Channel channel, String lastLine) {
        channel.writeAndFlush(lastLine).addListener(written -> finish(channel));
        closeAfterGrace(channel);
    }

    /** Ends the connection once everything written to it so far has been flushed. */
    static void closeWhenFlushed(Channel channel) {
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(written -> finish(channel));
        closeAfterGrace(channel);
    }

    private static void finish(Channel channel) {
        if (!(channel instanceof DuplexChannel duplex) || !channel.isActive() || duplex.isInputShutdown()
                || duplex.isOutputShutdown() || hasOwnCloseHandshake(channel)) {
            channel.close();
            return;
        }
        if (channel.pipeline().get(DiscardUntilEnd.class) == null) {
            channel.pipeline().addFirst("goodbye", DiscardUntilEnd.INSTANCE);
        }
        channel.config().setAutoRead(true);
        duplex.shutdownOutput().addListener(done -> {
            if (!done.isSuccess()) {
                channel.close();
            }
        });
    }

    /** TLS (close_notify) and WebSocket (a close frame) end their own way when the channel is closed. */
    private static boolean hasOwnCloseHandshake(Channel channel) {
        return channel.pipeline().get(SslHandler.class) != null
                || channel.pipeline().get(WebSocketServerProtocolHandler.class) != null;
    }

    private static void closeAfterGrace(Channel channel) {
        Future<?> deadline = channel.eventLoop().schedule(
                () -> channel.close(), GRACE_MILLIS, TimeUnit.MILLISECONDS);
        channel.closeFuture().addListener(closed -> deadline.cancel(false));
    }

    /** First in a closing connection's pipeline: nothing it still receives reaches the chat. */
    @Sharable
    private static final class DiscardUntilEnd extends ChannelInboundHandlerAdapter {
        static final DiscardUntilEnd INSTANCE = new DiscardUntilEnd();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                ctx.close(); // both sides are done: a clean close
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a reset while saying goodbye is no news
        }
    }
}
