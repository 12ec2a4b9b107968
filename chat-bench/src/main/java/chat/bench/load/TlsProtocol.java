package chat.bench.load;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

import javax.net.ssl.SSLException;

/**
 * Our line protocol over TLS (docs/PROTOCOL.md, "TLS"), to the server's {@code --tls-port}. Any
 * certificate is trusted and no host name is checked: benchmarks run against self-signed certificates
 * made for the run, on loopback. Netty picks the engine (OpenSSL through tcnative when it loads, else the
 * JDK's). A failed TLS handshake fails the client.
 */
final class TlsProtocol extends LineNamedProtocol {

    private final SslContext context;
    private final String host;
    private final int port;

    TlsProtocol(String host, int port) {
        this.host = host;
        this.port = port;
        try {
            context = SslContextBuilder.forClient()
                    .trustManager(InsecureTrustManagerFactory.INSTANCE)
                    .endpointIdentificationAlgorithm(null)
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot make a TLS client context: " + e.getMessage(), e);
        }
    }

    @Override
    public void addTransport(ChannelPipeline p) {
        p.addLast("tls", context.newHandler(p.channel().alloc(), host, port));
        super.addTransport(p);
    }
}
