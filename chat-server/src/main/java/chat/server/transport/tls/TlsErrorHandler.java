package chat.server.transport.tls;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;

/**
 * Sits right behind the SslHandler and closes, quietly, a connection whose TLS fails: a client speaking
 * plaintext to a TLS port, a failed handshake, a broken record. Scanners and browsers pointed at the wrong
 * scheme do this all day and it is no bug of ours, so it is logged at DEBUG without a stack trace; a
 * handshake that never finishes is closed by the SslHandler's own timeout and logged here the same way.
 * Every other exception passes on. Stateless, shared by all connections.
 */
@Sharable
public final class TlsErrorHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(TlsErrorHandler.class);
    static final TlsErrorHandler INSTANCE = new TlsErrorHandler();

    private TlsErrorHandler() {
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        SSLException tls = tlsCause(cause);
        if (tls == null) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        log.debug("[{}] tls failed from {}: {}", ctx.channel().id().asShortText(), ctx.channel().remoteAddress(),
                tls.toString());
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent done && !done.isSuccess()) {
            log.debug("[{}] tls handshake failed from {}: {}", ctx.channel().id().asShortText(),
                    ctx.channel().remoteAddress(), String.valueOf(done.cause()));
        }
        ctx.fireUserEventTriggered(evt);
    }

    /** The SSLException behind a decoder's wrapper, if that is what this is. */
    private static SSLException tlsCause(Throwable cause) {
        for (int depth = 0; cause != null && depth < 4; depth++, cause = cause.getCause()) {
            if (cause instanceof SSLException tls) {
                return tls;
            }
        }
        return null;
    }
}
