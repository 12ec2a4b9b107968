package chat.server;

import chat.protocol.ServerLines;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.timeout.IdleStateHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Builds each connection's pipeline, or turns the connection away with its last line when a
 * connection limit is reached. The TLS listener puts it behind TLS; the web listener counts its
 * connections with {@link #admitWebConnection} and adds {@link #addWebChatHandlers} once a WebSocket
 * is open, so every listener shares one set of limits.
 *
 * <pre>
 *   in:  LineBasedFrameDecoder -> StringDecoder(UTF-8) -> IdleStateHandler -> FloodControlHandler -> ChatHandler
 *   out: ServerLineEncoder (Strings; the Broadcaster's lines arrive encoded)
 * </pre>
 */
public final class ChatServerInitializer extends ChannelInitializer<SocketChannel> {

    private static final Logger log = LoggerFactory.getLogger(ChatServerInitializer.class);
    private static final StringDecoder UTF8_DECODER = new StringDecoder(StandardCharsets.UTF_8);

    private final ServerConfig config;
    private final Broadcaster broadcaster;
    private final ConnectionLimits limits;
    private final ChatMetrics metrics;
    private final ChannelGroup connections;

    public ChatServerInitializer(ServerConfig config, Broadcaster broadcaster, ChatMetrics metrics,
            ChannelGroup connections) {
        this.config = config;
        this.connections = connections;
        this.broadcaster = broadcaster;
        this.metrics = metrics;
        this.limits = new ConnectionLimits(config.maxConnections(), config.maxConnectionsPerIp());
        metrics.countConnectionsWith(limits::open);
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        connections.add(ch);
        ChannelPipeline p = ch.pipeline();
        p.addLast("line-encoder", ServerLineEncoder.INSTANCE);
        String refused = admit(ch);
        if (refused != null) {
            Goodbye.send(ch, refused);
            return;
        }
        addChatHandlers(p);
    }

    /**
     * Web: counts a new connection to the web port (a page load, or a WebSocket to be) against the
     * connection limits until it closes. Returns null if it may stay, else the last line it is to get.
     */
    public String admitWebConnection(Channel ch) {
        return admit(ch);
    }

    /**
     * Web: the chat handlers of an admitted connection whose WebSocket is open. The WebSocket codec
     * before them already turns messages into lines (Strings), so there is no line decoder.
     */
    public void addWebChatHandlers(ChannelPipeline p) {
        connections.add(p.channel());
        p.addLast("line-encoder", ServerLineEncoder.INSTANCE);
        addSessionHandlers(p);
    }

    private String admit(Channel ch) {
        DisconnectReason refused = limits.admit(ch);
        if (refused == null) {
            return null;
        }
        log.debug("[{}] refused: {} ({})", ch.id().asShortText(), refused, ch.remoteAddress());
        metrics.rejected(refused);
        return refused == DisconnectReason.SERVER_FULL
                ? ServerLines.disconnectedServerFull()
                : ServerLines.disconnectedTooManyFromAddress();
    }

    /** The chat part of the pipeline; tests put it on an EmbeddedChannel. */
    void addChatHandlers(ChannelPipeline p) {
        // Wire: an over-long line is discarded up to its LF and reported at once (fail fast).
        p.addLast("line-decoder", new LineBasedFrameDecoder(config.maxLineBytes(), true, true));
        p.addLast("utf8-decoder", UTF8_DECODER);
        addSessionHandlers(p);
    }

    private void addSessionHandlers(ChannelPipeline p) {
        if (config.idleTimeoutEnabled()) {
            p.addLast("idle", new IdleStateHandler(config.idleTimeout().toNanos(), 0, 0, TimeUnit.NANOSECONDS));
        }
        if (config.floodControlEnabled()) {
            p.addLast("flood", new FloodControlHandler(config.rate(), config.burst(), metrics));
        }
        p.addLast("chat", new ChatHandler(broadcaster, config, metrics));
    }
}
