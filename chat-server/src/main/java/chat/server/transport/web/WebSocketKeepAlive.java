package chat.server.transport.web;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * WebSocket keep-alive: a connection that has sent nothing (no frame, no pong) for one interval gets a
 * ping, which keeps proxies and NAT tables from dropping a quiet chat; silent for a second interval, the
 * peer is gone and the connection is closed. Sits between the frame decoder and the WebSocket handler,
 * so pongs count; its own idle events stay here (the chat's --idle-timeout is a separate handler that
 * counts lines). One per connection, on its event loop.
 */
final class WebSocketKeepAlive extends IdleStateHandler {

    private static final Logger log = LoggerFactory.getLogger(WebSocketKeepAlive.class);

    private final Duration interval;

    WebSocketKeepAlive(Duration interval) {
        super(interval.toNanos(), 0, 0, TimeUnit.NANOSECONDS);
        this.interval = interval;
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        if (evt.isFirst()) {
            ctx.writeAndFlush(new PingWebSocketFrame());
        } else {
            log.debug("[{}] closed: no WebSocket frame or pong for {}s", ctx.channel().id().asShortText(),
                    2 * interval.toSeconds());
            ctx.close();
        }
    }
}
