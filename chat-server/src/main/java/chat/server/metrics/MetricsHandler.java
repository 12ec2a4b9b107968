package chat.server.metrics;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@code GET /metrics} (and {@code HEAD}) with the {@link Exposition}; another path gets
 * 404, another method 405. A request the HTTP decoder could not read (an over-long line or
 * header, bad syntax) gets 400 and the connection is closed. Stateless: one instance serves every
 * metrics connection, on the metrics thread.
 */
@Sharable
final class MetricsHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(MetricsHandler.class);
    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Exposition exposition;

    MetricsHandler(Exposition exposition) {
        this.exposition = exposition;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            log.debug("[{}] metrics: bad request: {}", ctx.channel().id().asShortText(),
                    request.decoderResult().cause().toString());
            respond(ctx, HttpResponseStatus.BAD_REQUEST, "bad request\n", false, false);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        boolean head = request.method().equals(HttpMethod.HEAD);
        if (!request.uri().equals("/metrics") && !request.uri().startsWith("/metrics?")) {
            respond(ctx, HttpResponseStatus.NOT_FOUND, "try /metrics\n", head, keepAlive);
        } else if (!request.method().equals(HttpMethod.GET) && !head) {
            respond(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "GET only\n", false, keepAlive);
        } else {
            respond(ctx, HttpResponseStatus.OK, exposition.render(), head, keepAlive);
        }
    }

    // HEAD: the length of what GET would send, and no body.
    private static void respond(ChannelHandlerContext ctx, HttpResponseStatus status, String body, boolean head,
            boolean keepAlive) {
        ByteBuf content = ByteBufUtil.writeUtf8(ctx.alloc(), body);
        int length = content.readableBytes();
        if (head) {
            content.release();
            content = Unpooled.EMPTY_BUFFER;
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, CONTENT_TYPE);
        HttpUtil.setContentLength(response, length);
        HttpUtil.setKeepAlive(response, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("[{}] metrics: {}", ctx.channel().id().asShortText(), cause.toString());
        ctx.close();
    }
}
