package chat.server.transport.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Holds the server's current TLS context, built from the PEM files of {@link TlsOptions}, and makes each
 * connection's {@link SslHandler} (PROTOCOL.md, "TLS"). OpenSSL (BoringSSL, from netty-tcnative) when it
 * loads here, the JDK's provider otherwise; TLS 1.2 and 1.3 only; a handshake not done within 10 s closes.
 *
 * <p>Thread-safe: handlers are made on the event loops from the context of the moment; {@link #reload}
 * (SIGHUP) builds a new context on its caller's thread and swaps it in for new connections only. Bad files
 * at start are an IllegalArgumentException whose message is the one line the CLI prints; bad files at
 * reload keep the old context.
 */
public final class TlsContext {

    private static final Logger log = LoggerFactory.getLogger(TlsContext.class);

    public static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final TlsOptions options;
    private final SslProvider provider;
    private volatile SslContext current;

    private TlsContext(TlsOptions options, SslProvider provider, SslContext context) {
        this.options = options;
        this.provider = provider;
        this.current = context;
    }

    /** Reads the files and builds the first context; logs, once, which provider serves TLS. */
    public static TlsContext load(TlsOptions options) {
        SslProvider provider = OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
        if (provider == SslProvider.JDK) {
            log.debug("tls: OpenSSL not available: {}", String.valueOf(OpenSsl.unavailabilityCause()));
        }
        PemCredentials credentials = PemCredentials.read(options);
        TlsContext tls = new TlsContext(options, provider, build(options, provider, credentials));
        log.info("tls: {}, TLSv1.3 and TLSv1.2; certificate {}", tls.providerName(), credentials.describe());
        return tls;
    }

    /** "OpenSSL (BoringSSL)" or "JDK (17.0.15)": what carries TLS in this process. */
    public String providerName() {
        return provider == SslProvider.OPENSSL
                ? "OpenSSL (" + OpenSsl.versionString() + ")"
                : "JDK (" + System.getProperty("java.version") + ")";
    }

    /** Whether OpenSSL, rather than the JDK, carries TLS. */
    public boolean openSsl() {
        return provider == SslProvider.OPENSSL;
    }

    /** A new connection's TLS handler, from the current certificate, closing if the handshake takes over 10 s. */
    public SslHandler newHandler(ByteBufAllocator alloc) {
        SslHandler handler = current.newHandler(alloc);
        handler.setHandshakeTimeout(HANDSHAKE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return handler;
    }

    /**
     * Puts TLS at the head of a new connection's pipeline: {@code tls} (the SslHandler) and {@code tls-errors},
     * which closes connections whose TLS fails without bothering the handlers behind it.
     */
    public void addHandlers(ChannelPipeline p) {
        p.addLast("tls", newHandler(p.channel().alloc()));
        p.addLast("tls-errors", TlsErrorHandler.INSTANCE);
    }

    /**
     * SIGHUP: reads the files again and serves new connections from them. Returns why not, if they are bad;
     * the old certificate then stays, and the log says why.
     */
    public synchronized Optional<String> reload() {
        try {
            PemCredentials credentials = PemCredentials.read(options);
            current = build(options, provider, credentials);
            log.info("tls: reloaded; certificate {}", credentials.describe());
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            log.warn("tls: reload failed, keeping the old certificate: {}", e.getMessage());
            return Optional.of(e.getMessage());
        }
    }

    private static SslContext build(TlsOptions options, SslProvider provider, PemCredentials credentials) {
        try {
            return SslContextBuilder.forServer(new ByteArrayInputStream(credentials.certChainPem()),
                            new ByteArrayInputStream(credentials.keyPem()))
                    .sslProvider(provider)
                    .protocols(PROTOCOLS)
                    .build();
        } catch (Exception e) { // SSLException, or IllegalArgumentException from the PEM reader
            throw new IllegalArgumentException("cannot use --tls-cert " + options.certChain() + " and --tls-key "
                    + options.key() + ": " + String.valueOf(e.getMessage()).strip().replaceAll("\\s*\\R\\s*", " "));
        }
    }
}
