package chat.server.transport.web;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * Guards the HTTP side of the web port until a connection becomes a WebSocket (then it is removed;
 * the request deadline in front of it goes too):
 *
 * <ul>
 *   <li>a request the decoder refused (a request line or header block over the limit, bad syntax) gets
 *       414, 431 or 400 and the connection closes;
 *   <li>a client that ends its input, a reset, any error before the upgrade: closed, logged at DEBUG
 *       (a bug of ours, at WARN).
 * </ul>
 *
 * One per connection, on its event loop. It sits in front of the WebSocket handler, so its closes do not
 * send WebSocket close frames into an HTTP connection.
 */
final class HttpRequestGuard extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(HttpRequestGuard.class);

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        DecoderResult result = msg instanceof HttpObject http ? http.decoderResult() : DecoderResult.SUCCESS;
        if (result.isFailure()) {
            ReferenceCountUtil.release(msg);
            Throwable cause = result.cause();
            HttpResponseStatus status = cause instanceof TooLongHttpHeaderException
                    ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                    : cause instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                    : HttpResponseStatus.BAD_REQUEST;
            log.debug("[{}] refused request: {} ({})", id(ctx), status, cause.toString());
            HttpReplies.send(ctx, HttpReplies.error(status), false);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            // No more requests can come; let what is written reach the client, then close.
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(flushed -> ctx.close());
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("[{}] closed: {} from {}", id(ctx), cause.toString(), ctx.channel().remoteAddress());
        } else {
            log.warn("[{}] closing web connection from {}", id(ctx), ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }

    private static String id(ChannelHandlerContext ctx) {
        return ctx.channel().id().asShortText();
    }
}
