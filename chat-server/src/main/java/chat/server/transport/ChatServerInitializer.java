package chat.server.transport;

import chat.protocol.ServerLines;
import chat.server.chat.Broadcaster;
import chat.server.metrics.DisconnectReason;
import chat.server.config.ServerConfig;
import chat.server.delivery.Goodbye;
import chat.server.metrics.ChatMetrics;
import chat.server.session.ChatHandler;
import chat.server.session.FloodControlHandler;
import chat.server.session.ReadGate;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.timeout.IdleStateHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Builds each plain TCP connection's pipeline, or turns the connection away with its last line
 * when a connection limit is reached.
 *
 * <pre>
 *   in:  framer (LineBasedFrameDecoder) -> decoder (StringDecoder, UTF-8) -> idle (IdleStateHandler)
 *        -> flood (FloodControlHandler) -> chat (ChatHandler)
 *   out: encoder (ServerLineEncoder: Strings; the fan-out's lines arrive encoded)
 * </pre>
 *
 * The part from {@code idle} on is the session, the same for every transport. The TLS listener
 * puts this initializer behind TLS; the web listener counts its connections with
 * {@link #admitWebConnection} and adds {@link #addWebChatHandlers} once a WebSocket is open, so
 * every listener shares one set of limits.
 */
public final class ChatServerInitializer extends ChannelInitializer<Channel> {

    private static final Logger log = LoggerFactory.getLogger(ChatServerInitializer.class);
    private static final StringDecoder UTF8_DECODER = new StringDecoder(StandardCharsets.UTF_8);

    private final ServerConfig config;
    private final Broadcaster broadcaster;
    private final ConnectionLimits limits;
    private final ChatMetrics metrics;
    private final ChannelGroup connections;

    /** {@code connections}, if not null, gets every accepted channel (for the goodbye at shutdown). */
    public ChatServerInitializer(ServerConfig config, Broadcaster broadcaster, ChatMetrics metrics,
            ConnectionLimits limits, ChannelGroup connections) {
        this.config = config;
        this.broadcaster = broadcaster;
        this.metrics = metrics;
        this.limits = limits;
        this.connections = connections;
    }

    @Override
    protected void initChannel(Channel ch) {
        if (connections != null) {
            connections.add(ch);
        }
        ChannelPipeline p = ch.pipeline();
        p.addLast("encoder", ServerLineEncoder.INSTANCE);
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
        if (connections != null) {
            connections.add(p.channel());
        }
        p.addLast("encoder", ServerLineEncoder.INSTANCE);
        addSessionHandlers(p);
    }

    private String admit(Channel ch) {
        DisconnectReason refused = limits.admit(ch);
        if (refused == null) {
            return null;
        }
        log.debug("[{}] refused: {} ({})", ch.id().asShortText(), refused, ch.remoteAddress());
        metrics.disconnect(refused);
        if (refused == DisconnectReason.SERVER_FULL) {
            metrics.rejectedServerFull();
            return ServerLines.disconnectedServerFull();
        }
        metrics.rejectedPerAddress();
        return ServerLines.disconnectedTooManyFromAddress();
    }

    /** The line framing and the session; tests put it on an EmbeddedChannel after the encoder. */
    public void addChatHandlers(ChannelPipeline p) {
        // Wire: an over-long line is discarded up to its LF and reported at once (fail fast).
        p.addLast("framer", new LineBasedFrameDecoder(config.limits().maxLineBytes(), true, true));
        p.addLast("decoder", UTF8_DECODER);
        addSessionHandlers(p);
    }

    /** The session part, for a pipeline that already turns its input into Strings, one per line. */
    public void addSessionHandlers(ChannelPipeline p) {
        if (config.timeouts().idleEnabled()) {
            p.addLast("idle", new IdleStateHandler(config.timeouts().idle().toNanos(), 0, 0, TimeUnit.NANOSECONDS));
        }
        ReadGate gate = new ReadGate(p.channel());
        if (config.flood().enabled()) {
            p.addLast("flood", new FloodControlHandler(config.flood().rate(), config.flood().burst(), gate, metrics));
        }
        Channel ch = p.channel();
        p.addLast("chat", new ChatHandler(broadcaster, config, metrics, gate, () -> limits.named(ch)));
    }
}
