package chat.server.transport.web;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses, with HTTP 403, a WebSocket upgrade from a page the {@link OriginPolicy} does not allow, before
 * the WebSocket handler sees it (PROTOCOL.md, "Web"): another site's page must not chat in its visitors'
 * names. Every other request passes on. Stateless, shared by the connections of one listener.
 */
@Sharable
final class OriginCheckHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(OriginCheckHandler.class);

    private final OriginPolicy policy;
    private final boolean tls;

    /** {@code tls}: whether the listener is HTTPS, which makes the page's own origin {@code https://HOST}. */
    OriginCheckHandler(OriginPolicy policy, boolean tls) {
        this.policy = policy;
        this.tls = tls;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest request && WebChannelInitializer.WEBSOCKET_PATH.equals(request.uri())) {
            String origin = request.headers().get(HttpHeaderNames.ORIGIN);
            String host = request.headers().get(HttpHeaderNames.HOST);
            if (!policy.allows(origin, host, tls)) {
                log.debug("[{}] refused WebSocket: Origin {} (Host {}) from {}", ctx.channel().id().asShortText(),
                        origin, host, ctx.channel().remoteAddress());
                request.release();
                HttpReplies.send(ctx, HttpReplies.error(HttpResponseStatus.FORBIDDEN), false);
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }
}
