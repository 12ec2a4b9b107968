package chat.server;

import chat.protocol.ServerLines;
import chat.protocol.TextHygiene;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One per connection. Runs on the channel's event loop; reaches chat state only through the
 * Broadcaster, to which it hands every cleaned line in order. An over-long line gets an error
 * line and the connection stays; a reset is a normal departure; anything else is a bug, logged
 * once with its stack trace, and the connection closes.
 */
final class ChatHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ChatHandler.class);

    private final Broadcaster broadcaster;
    private final ServerConfig config;
    private final ChatMetrics metrics;
    private Member member;
    private ScheduledFuture<?> slowConsumerTimer;

    ChatHandler(Broadcaster broadcaster, ServerConfig config, ChatMetrics metrics) {
        this.broadcaster = broadcaster;
        this.config = config;
        this.metrics = metrics;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        // Web: added once the WebSocket handshake is done, long after channelActive.
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (member == null) {
            start(ctx);
        }
        ctx.fireChannelActive();
    }

    private void start(ChannelHandlerContext ctx) {
        member = new Member(ctx.channel());
        log.debug("[{}] connected from {}", member.id(), ctx.channel().remoteAddress());
        ctx.writeAndFlush(ServerLines.enterName());
        // Joining: the name timeout counts from the connection; invalid names do not restart it.
        member.nameTimer = ctx.executor().schedule(() -> broadcaster.nameTimedOut(member),
                config.nameTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        broadcaster.received(member, TextHygiene.clean((String) msg));
        if (broadcaster.saturated() && ctx.channel().config().isAutoRead()) {
            broadcaster.pauseUntilDrained(member); // the server is behind: slow the senders down
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            broadcaster.idle(member, ServerLines.disconnectedIdle(config.idleTimeout()));
        } else if (evt instanceof ChannelInputShutdownEvent) {
            // Leaving: a half-closed client has left; its replies still go out, then we close.
            broadcaster.endOfInput(member);
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            if (slowConsumerTimer != null) {
                slowConsumerTimer.cancel(false);
                slowConsumerTimer = null;
            }
            broadcaster.drained(member);
        } else if (slowConsumerTimer == null) {
            slowConsumerTimer = ctx.executor().schedule(() -> closeSlowConsumer(ctx),
                    config.slowConsumerTimeout().toNanos(), TimeUnit.NANOSECONDS);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (slowConsumerTimer != null) {
            slowConsumerTimer.cancel(false);
        }
        member.cancelNameTimer();
        broadcaster.left(member);
        log.debug("[{}] closed", member.id());
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            broadcaster.tell(member, ServerLines.lineTooLong(config.maxLineBytes()));
        } else if (cause instanceof IOException) {
            log.debug("[{}] {} from {}: {}", member.id(), DisconnectReason.PEER_CLOSED,
                    ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        } else {
            log.warn("[{}] {} from {}", member.id(), DisconnectReason.ERROR, ctx.channel().remoteAddress(), cause);
            ctx.close();
        }
    }

    // Slow readers: a connection that stays unwritable is not reading; it gets no last line.
    private void closeSlowConsumer(ChannelHandlerContext ctx) {
        log.info("[{}] closing: {} (unwritable for {}s, {})", member.id(), DisconnectReason.SLOW_CONSUMER,
                config.slowConsumerTimeout().toSeconds(), ctx.channel().remoteAddress());
        metrics.slowConsumerDisconnect();
        ctx.close();
    }
}
