package chat.server.transport.web;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Turns a web connection into a chat connection once its WebSocket handshake is complete: removes the
 * HTTP handlers, adds the keep-alive and the {@link WebSocketLineCodec} in its own place, then lets the
 * chat append its handlers ({@code addChatHandlers}: line encoder, idle, flood control, ChatHandler),
 * which greet the client with the name prompt. A connection over a connection limit gets its last line
 * instead, and is closed. Until then it is the last handler of the HTTP pipeline:
 * what reaches it is logged and dropped. One per connection, on its event loop.
 */
final class ChatUpgradeHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ChatUpgradeHandler.class);
    /** Frames that could arrive between the switch of decoders and the handshake event; never more than a few. */
    private static final int MAX_EARLY_FRAMES = 16;
    private static final Duration GOODBYE_GRACE = Duration.ofSeconds(1);

    private final int maxLineBytes;
    private final Consumer<ChannelPipeline> addChatHandlers;
    private final ArrayDeque<WebSocketFrame> early = new ArrayDeque<>();

    ChatUpgradeHandler(int maxLineBytes, Consumer<ChannelPipeline> addChatHandlers) {
        this.maxLineBytes = maxLineBytes;
        this.addChatHandlers = addChatHandlers;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            startChat(ctx);
        } else if (evt == WebSocketServerProtocolHandler.ServerHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            log.debug("[{}] closed: WebSocket handshake timed out", ctx.channel().id().asShortText());
        } else if (!(evt instanceof WebSocketServerProtocolHandler.ServerHandshakeStateEvent)) {
            ctx.fireUserEventTriggered(evt);
        }
    }

    private void startChat(ChannelHandlerContext ctx) {
        ChannelPipeline p = ctx.pipeline();
        ArrayDeque<WebSocketFrame> frames = new ArrayDeque<>(early);
        early.clear();
        p.remove(WebChannelInitializer.HTTP_DEADLINE);
        p.remove(WebChannelInitializer.HTTP_GUARD);
        p.remove(WebChannelInitializer.ORIGIN);
        p.remove(WebChannelInitializer.PAGE);
        p.addBefore(WebChannelInitializer.WEBSOCKET, "ws-keepalive", new WebSocketKeepAlive(WebOptions.PING_INTERVAL));
        p.replace(this, "ws-lines", new WebSocketLineCodec(maxLineBytes));
        log.debug("[{}] WebSocket open from {}", ctx.channel().id().asShortText(), ctx.channel().remoteAddress());
        String refused = ctx.channel().attr(WebChannelInitializer.REFUSED).get();
        if (refused != null) {
            sayGoodbye(ctx.channel(), refused);
            frames.forEach(ReferenceCountUtil::safeRelease);
            return;
        }
        addChatHandlers.accept(p);
        ChannelHandlerContext beforeCodec = p.context(WebChannelInitializer.WEBSOCKET);
        while (!frames.isEmpty()) {
            beforeCodec.fireChannelRead(frames.poll());
        }
    }

    /** Over a connection limit: the last line as a TCP client would get it, then close, however slow the reader. */
    private static void sayGoodbye(Channel ch, String lastLine) {
        ch.writeAndFlush(lastLine).addListener(ChannelFutureListener.CLOSE);
        ScheduledFuture<?> deadline = ch.eventLoop().schedule(() -> ch.close(), GOODBYE_GRACE.toMillis(),
                TimeUnit.MILLISECONDS);
        ch.closeFuture().addListener(closed -> deadline.cancel(false));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof WebSocketFrame frame && early.size() < MAX_EARLY_FRAMES) {
            early.add(frame);
            return;
        }
        log.debug("[{}] dropped before the WebSocket opened: {}", ctx.channel().id().asShortText(), msg);
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // The WebSocket handler has closed the connection already. A client gone during the handshake is
        // a normal departure; anything else (a bug in the page handler) is worth a stack trace.
        if (cause instanceof IOException) {
            log.debug("[{}] closed during the WebSocket handshake: {}", ctx.channel().id().asShortText(),
                    cause.toString());
        } else {
            log.warn("[{}] web connection from {} failed", ctx.channel().id().asShortText(),
                    ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        early.forEach(ReferenceCountUtil::safeRelease);
        early.clear();
    }
}
