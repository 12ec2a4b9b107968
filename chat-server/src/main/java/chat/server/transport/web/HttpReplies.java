package chat.server.transport.web;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;

/**
 * HTTP responses of the web port, each with the same security headers: the page may load only its own
 * files ({@code Content-Security-Policy: default-src 'self'}), types are never sniffed, the page is never
 * framed. Stateless.
 */
final class HttpReplies {

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'";

    private HttpReplies() {
    }

    /** A response with a body, its type and length set; {@code head} keeps the length and drops the body. */
    static FullHttpResponse response(HttpResponseStatus status, ByteBuf body, CharSequence contentType, boolean head) {
        int length = body.readableBytes();
        if (head) {
            body.release();
            body = Unpooled.EMPTY_BUFFER;
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        // Spelled as in the RFCs, for people reading curl -i; HTTP compares them case-insensitively.
        response.headers()
                .set("Content-Type", contentType)
                .setInt("Content-Length", length)
                .set("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .set("X-Content-Type-Options", "nosniff")
                .set("X-Frame-Options", "DENY")
                .set("Referrer-Policy", "no-referrer")
                .set("Cache-Control", "no-cache");
        return response;
    }

    /** A short plain-text error ("403 Forbidden"). */
    static FullHttpResponse error(HttpResponseStatus status) {
        ByteBuf body = Unpooled.copiedBuffer(status + "\n", StandardCharsets.US_ASCII);
        return response(status, body, "text/plain; charset=utf-8", false);
    }

    /**
     * Sends the response; with {@code keepAlive} false, says so and closes once it is written. The close
     * goes from {@code ctx} towards the socket, so handlers behind it (the WebSocket one) are not involved.
     */
    static void send(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
        if (keepAlive) {
            response.headers().set("Connection", "keep-alive");
            ctx.writeAndFlush(response);
        } else {
            response.headers().set("Connection", "close");
            ctx.writeAndFlush(response).addListener(written -> ctx.close());
        }
    }
}
