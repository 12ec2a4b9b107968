package chat.server.session;

import chat.protocol.ServerLines;
import chat.protocol.TextHygiene;
import chat.server.chat.Broadcaster;
import chat.server.metrics.DisconnectReason;
import chat.server.chat.Session;
import chat.server.config.ServerConfig;
import chat.server.metrics.ChatMetrics;
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
 * One per connection, whatever the transport: it receives cleaned-up lines as Strings and
 * translates the connection's events into calls on the {@link Broadcaster}. Runs on the
 * channel's event loop; reaches chat state only through the Broadcaster, to which it hands
 * every cleaned line in order. An over-long line gets an error line and the connection stays;
 * a reset is a normal departure; anything else is a bug, logged once with its stack trace, and
 * the connection closes.
 *
 * <p>The session starts when the handler is in the pipeline of an active channel: at
 * {@code channelActive} for a TCP connection, when it is added for a WebSocket whose handshake
 * is done.
 */
public final class ChatHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ChatHandler.class);

    private final Broadcaster broadcaster;
    private final ServerConfig config;
    private final ChatMetrics metrics;
    private final ReadGate gate;
    private final Runnable resumeReading;
    private Session session;
    private ScheduledFuture<?> slowConsumerTimer;

    private final Runnable onNamed;

    /** {@code onNamed} runs, on the chat executor, when the client's name is accepted. */
    public ChatHandler(Broadcaster broadcaster, ServerConfig config, ChatMetrics metrics, ReadGate gate,
            Runnable onNamed) {
        this.onNamed = onNamed;
        this.broadcaster = broadcaster;
        this.config = config;
        this.metrics = metrics;
        this.gate = gate;
        this.resumeReading = () -> gate.release(ReadGate.Hold.BACKLOG);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (session == null) {
            start(ctx);
        }
        ctx.fireChannelActive();
    }

    private void start(ChannelHandlerContext ctx) {
        session = new Session(ctx.channel(), onNamed);
        log.info("[{}] connected from {}", session.id(), ctx.channel().remoteAddress());
        ctx.writeAndFlush(ServerLines.enterName());
        // Joining: the name timeout counts from the connection; invalid names do not restart it.
        Session s = session;
        session.nameTimer(ctx.executor().schedule(() -> broadcaster.nameTimedOut(s),
                config.timeouts().name().toNanos(), TimeUnit.NANOSECONDS));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        broadcaster.received(session, TextHygiene.clean((String) msg));
        if (!gate.isHeld(ReadGate.Hold.BACKLOG) && broadcaster.shouldPause(session)) {
            // Overload: delivery is behind, or this sender is ahead of the chat; read no more until both caught up.
            gate.hold(ReadGate.Hold.BACKLOG);
            session.whenHandled(() -> broadcaster.whenDrained(resumeReading));
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            broadcaster.idle(session, ServerLines.disconnectedIdle(config.timeouts().idle()));
        } else if (evt instanceof ChannelInputShutdownEvent) {
            // Leaving: a half-closed client has left; its replies still go out, then we close.
            broadcaster.endOfInput(session);
        } else if (evt == FloodControlHandler.HOLDING) {
            broadcaster.tell(session, ServerLines.slowDown(config.flood().rate()));
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
            broadcaster.drained(session);
        } else if (slowConsumerTimer == null) {
            slowConsumerTimer = ctx.executor().schedule(() -> closeSlowConsumer(ctx),
                    config.slowReaders().timeout().toNanos(), TimeUnit.NANOSECONDS);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (slowConsumerTimer != null) {
            slowConsumerTimer.cancel(false);
        }
        if (session != null) {
            session.cancelNameTimer(); // or the timer keeps the closed channel reachable for --name-timeout
            if (broadcaster.stopping()) {
                session.closing(DisconnectReason.SHUTDOWN);
            }
            broadcaster.left(session);
            metrics.disconnect(session.closeReason());
            log.info("[{}] closed: {}", session.id(), session.closeReason());
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        String id = ctx.channel().id().asShortText();
        if (cause instanceof TooLongFrameException && session != null) {
            broadcaster.tell(session, ServerLines.lineTooLong(config.limits().maxLineBytes()));
        } else if (cause instanceof IOException) {
            log.debug("[{}] {} from {}: {}", id, DisconnectReason.PEER_CLOSED, ctx.channel().remoteAddress(),
                    cause.toString());
            ctx.close();
        } else {
            if (session != null) {
                session.closing(DisconnectReason.ERROR);
            }
            log.warn("[{}] {} from {}", id, DisconnectReason.ERROR, ctx.channel().remoteAddress(), cause);
            ctx.close();
        }
    }

    // Slow readers: a connection that stays unwritable is not reading; it gets no last line.
    private void closeSlowConsumer(ChannelHandlerContext ctx) {
        session.closing(DisconnectReason.SLOW_CONSUMER);
        log.info("[{}] closing: {} (unwritable for {}s, {})", session.id(), DisconnectReason.SLOW_CONSUMER,
                config.slowReaders().timeout().toSeconds(), ctx.channel().remoteAddress());
        metrics.slowConsumerDisconnect();
        ctx.close();
    }
}
