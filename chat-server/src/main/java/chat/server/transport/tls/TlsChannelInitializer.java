package chat.server.transport.tls;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;

/**
 * The TLS listener's pipeline (PROTOCOL.md, "TLS": the same protocol over TLS): TLS first, then the plain
 * TCP listener's own initializer, unchanged, so both listeners share its connection limits and handlers.
 *
 * <pre>
 *   tls (SslHandler) -> tls-errors -> [what {@code chat} adds: line decoder ... ChatHandler]
 * </pre>
 */
public final class TlsChannelInitializer extends ChannelInitializer<SocketChannel> {

    private final TlsContext tls;
    private final ChannelHandler chat;

    /** {@code chat} must be {@code @Sharable}: typically the plain listener's ChannelInitializer. */
    public TlsChannelInitializer(TlsContext tls, ChannelHandler chat) {
        this.tls = tls;
        this.chat = chat;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        tls.addHandlers(ch.pipeline());
        ch.pipeline().addLast("chat-init", chat);
    }
}
