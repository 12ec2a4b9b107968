package chat.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.MessageToMessageCodec;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

import java.net.URI;
import java.util.List;

/**
 * Our line protocol through the server's WebSocket gateway (docs/PROTOCOL.md, "Web"), to its
 * {@code --web-port}: an HTTP upgrade of {@code GET /ws} without an {@code Origin} header (a program, not
 * a browser), then each line one text frame without its LF, both ways. The name handshake starts once
 * the prompt arrives as the first message. A refused upgrade (503 over a limit) fails the client.
 */
final class WebSocketProtocol extends LineNamedProtocol {

    private static final int MAX_UPGRADE_RESPONSE = 8192;

    private final WebSocketClientProtocolConfig config;

    WebSocketProtocol(String host, int port) {
        String authority = host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
        config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(URI.create("ws://" + authority + "/ws"))
                .generateOriginHeader(false)
                .maxFramePayloadLength(MAX_LINE)
                // The payload parser checks what it needs; the server's text is not ours to validate.
                .withUTF8Validator(false)
                .build();
    }

    @Override
    public void addTransport(ChannelPipeline p) {
        p.addLast(new HttpClientCodec(),
                new HttpObjectAggregator(MAX_UPGRADE_RESPONSE),
                new WebSocketClientProtocolHandler(config),
                new FrameLines());
    }

    /**
     * In: a text frame's content is one line. Other data frames (the server sends none) are dropped; pings,
     * pongs and closes never get here, Netty's handler answers them. Out: a ByteBuf of LF-ended lines
     * becomes one text frame per line, each a retained slice; bytes after the last LF become a frame too.
     * One per connection, on its event loop.
     */
    private static final class FrameLines extends MessageToMessageCodec<WebSocketFrame, ByteBuf> {

        @Override
        protected void encode(ChannelHandlerContext ctx, ByteBuf lines, List<Object> out) {
            int start = lines.readerIndex();
            int end = lines.writerIndex();
            while (start < end) {
                int lf = lines.indexOf(start, end, (byte) '\n');
                int stop = lf < 0 ? end : lf;
                out.add(new TextWebSocketFrame(lines.retainedSlice(start, stop - start)));
                start = stop + 1;
            }
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) {
            if (frame instanceof TextWebSocketFrame) {
                out.add(frame.content().retain());
            }
        }
    }
}
