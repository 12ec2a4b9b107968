package chat.server.metrics;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Answers {@code GET /metrics} with the {@link Exposition} in Prometheus text format (version 0.0.4);
 * anything else gets 404 or 405. Stateless: one instance serves every metrics connection.
 */
@Sharable
public final class MetricsHandler extends SimpleChannelInboundHandler<HttpRequest> {

    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Exposition exposition;

    public MetricsHandler(ChatMetrics metrics) {
        this.exposition = new Exposition(metrics,
                new RuntimeMetrics(ByteBufAllocator.DEFAULT, RuntimeMetrics.PROC_SELF_STATUS));
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpRequest request) {
        HttpResponseStatus status;
        String body;
        if (!request.uri().equals("/metrics") && !request.uri().startsWith("/metrics?")) {
            status = HttpResponseStatus.NOT_FOUND;
            body = "try /metrics\n";
        } else if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
            status = HttpResponseStatus.METHOD_NOT_ALLOWED;
            body = "GET only\n";
        } else {
            status = HttpResponseStatus.OK;
            body = exposition.render();
        }
        ByteBuf content = ByteBufUtil.writeUtf8(ctx.alloc(), body);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, CONTENT_TYPE);
        HttpUtil.setContentLength(response, content.readableBytes());
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpUtil.setKeepAlive(response, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
