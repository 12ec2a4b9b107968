package chat.server.transport.web;

import chat.server.http.RequestDeadline;
import chat.server.transport.tls.TlsContext;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.AttributeKey;

import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The web listener's pipeline (PROTOCOL.md, "Web"): HTTP/1.1, or HTTPS with a {@link TlsContext}, serving
 * the chat page and upgrading {@code GET /ws} to a WebSocket that chats like a TCP connection.
 *
 * <pre>
 *   HTTP:      [tls -> tls-errors ->] http -> http-aggregator -> http-guard -> origin -> page
 *                  -> (Netty's handshaker and UTF-8 check) -> ws -> web-upgrade
 *   WebSocket: [tls -> tls-errors ->] (Netty's frame decoder and encoder) -> ws-keepalive -> ws
 *                  -> ws-lines -> [what addChatHandlers appends: encoder, idle, flood, chat]
 * </pre>
 *
 * Every connection counts against the connection limits from the moment it is accepted, page loads too;
 * one turned away gets its last line as the answer to its request (503, or a WebSocket message before
 * the close). The chat handlers are added only when the handshake is complete, so the prompt goes out as
 * the first WebSocket message. Thread-safe; one per listener.
 */
public final class WebChannelInitializer extends ChannelInitializer<SocketChannel> {

    public static final String WEBSOCKET_PATH = "/ws";
    static final String HTTP_DEADLINE = "http-deadline";
    static final String HTTP_GUARD = "http-guard";
    static final String ORIGIN = "origin";
    static final String PAGE = "page";
    static final String WEBSOCKET = "ws";
    /** The last line of a connection the limits turned away, if they did. */
    static final AttributeKey<String> REFUSED = AttributeKey.valueOf(WebChannelInitializer.class, "refused");

    private final int maxLineBytes;
    private final Function<Channel, String> admit;
    private final Consumer<ChannelPipeline> addChatHandlers;
    private final TlsContext tls;
    private final HttpDecoderConfig httpConfig = new HttpDecoderConfig()
            .setMaxInitialLineLength(WebOptions.MAX_INITIAL_LINE_BYTES)
            .setMaxHeaderSize(WebOptions.MAX_HEADER_BYTES);
    private final WebSocketServerProtocolConfig webSocketConfig;
    private final OriginCheckHandler originCheck;
    private final WebPageHandler page = new WebPageHandler();

    /**
     * @param options         the port's options (its allowed origins)
     * @param maxLineBytes    {@code --max-line-bytes}: longer lines get the error; frames may be larger
     * @param admit           counts a new connection against the connection limits (released when it
     *                        closes) and returns null, or the last line for a connection turned away
     * @param addChatHandlers appends, once the WebSocket of an admitted connection is open, the chat
     *                        handlers that take lines as Strings and write lines as Strings or encoded
     *                        ByteBufs (the TCP pipeline minus its line decoder)
     * @param tls             the certificate for HTTPS, or null for plain HTTP
     */
    public WebChannelInitializer(WebOptions options, int maxLineBytes, Function<Channel, String> admit,
            Consumer<ChannelPipeline> addChatHandlers, TlsContext tls) {
        this.maxLineBytes = maxLineBytes;
        this.admit = admit;
        this.addChatHandlers = addChatHandlers;
        this.tls = tls;
        this.originCheck = new OriginCheckHandler(new OriginPolicy(options.origins()), tls != null);
        this.webSocketConfig = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(WEBSOCKET_PATH)
                .checkStartsWith(false)
                .handshakeTimeoutMillis(WebOptions.REQUEST_TIMEOUT.toMillis())
                .handleCloseFrames(true)
                .sendCloseFrame(WebSocketCloseStatus.NORMAL_CLOSURE)
                // A client that does not read must not keep its connection open waiting for our close frame.
                .forceCloseTimeoutMillis(1_000)
                .dropPongFrames(true)
                .decoderConfig(WebSocketDecoderConfig.newBuilder()
                        .maxFramePayloadLength(WebOptions.maxFrameBytes(maxLineBytes))
                        .expectMaskedFrames(true)
                        .allowExtensions(false)
                        // The line codec sends the close frame: Netty's decoder would send a second one.
                        .closeOnProtocolViolation(false)
                        .withUTF8Validator(true)
                        .build())
                .build();
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        if (tls != null) {
            tls.addHandlers(p);
        }
        p.addLast("http", new HttpServerCodec(httpConfig));
        p.addLast("http-aggregator", new HttpObjectAggregator(WebOptions.MAX_REQUEST_BYTES));
        p.addLast(HTTP_DEADLINE, new RequestDeadline(WebOptions.REQUEST_TIMEOUT));
        p.addLast(HTTP_GUARD, new HttpRequestGuard());
        p.addLast(ORIGIN, originCheck);
        p.addLast(PAGE, page);
        p.addLast(WEBSOCKET, new WebSocketServerProtocolHandler(webSocketConfig));
        p.addLast("web-upgrade", new ChatUpgradeHandler(maxLineBytes, addChatHandlers));
        String refused = admit.apply(ch);
        if (refused != null) {
            ch.attr(REFUSED).set(refused);
        }
    }
}
