package chat.server.transport.web;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Serves the chat page from the jar (PROTOCOL.md, "Web": {@code GET /} is a page that needs nothing
 * else): {@code index.html}, {@code chat.css}, {@code chat.js} and {@code favicon.svg} from
 * {@code /web/}, each with its Content-Type and the security headers of {@link HttpReplies}. GET and
 * HEAD only (405 otherwise), 404 for anything else, 503 with its last line for a connection over a
 * connection limit; a request for the WebSocket path passes on to the WebSocket handler. The files are
 * read once, at start; shared by the connections of one listener.
 */
@Sharable
final class WebPageHandler extends ChannelInboundHandlerAdapter {

    private record Asset(byte[] bytes, String contentType) {
    }

    private final Map<String, Asset> assets;

    WebPageHandler() {
        Asset index = load("index.html", "text/html; charset=utf-8");
        assets = Map.of(
                "/", index,
                "/index.html", index,
                "/chat.css", load("chat.css", "text/css; charset=utf-8"),
                "/chat.js", load("chat.js", "text/javascript; charset=utf-8"),
                "/favicon.svg", load("favicon.svg", "image/svg+xml"));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request) || WebChannelInitializer.WEBSOCKET_PATH.equals(request.uri())) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            String lastLine = ctx.channel().attr(WebChannelInitializer.REFUSED).get();
            if (lastLine != null) { // over a connection limit: the line a TCP client would get, then close
                HttpReplies.send(ctx, HttpReplies.response(HttpResponseStatus.SERVICE_UNAVAILABLE,
                        Unpooled.copiedBuffer(lastLine + "\n", StandardCharsets.UTF_8), "text/plain; charset=utf-8",
                        request.method().equals(HttpMethod.HEAD)), false);
                return;
            }
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            HttpMethod method = request.method();
            if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
                FullHttpResponse notAllowed = HttpReplies.error(HttpResponseStatus.METHOD_NOT_ALLOWED);
                notAllowed.headers().set("Allow", "GET, HEAD");
                HttpReplies.send(ctx, notAllowed, keepAlive);
                return;
            }
            Asset asset = assets.get(new QueryStringDecoder(request.uri()).path());
            if (asset == null) {
                HttpReplies.send(ctx, HttpReplies.error(HttpResponseStatus.NOT_FOUND), keepAlive);
                return;
            }
            HttpReplies.send(ctx, HttpReplies.response(HttpResponseStatus.OK, Unpooled.wrappedBuffer(asset.bytes()),
                    asset.contentType(), method.equals(HttpMethod.HEAD)), keepAlive);
        } finally {
            request.release();
        }
    }

    private static Asset load(String name, String contentType) {
        try (InputStream in = WebPageHandler.class.getResourceAsStream("/web/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing from the jar: /web/" + name);
            }
            return new Asset(in.readAllBytes(), contentType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
