package chat.server.transport.tls;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The TLS options (PROTOCOL.md, "TLS"): the port of the TLS listener, or {@link #PORT_OFF} when only the web
 * port uses the certificate, and the two PEM files (the certificate chain and its PKCS#8 key). Checked when
 * built; the exception's message is the one line the CLI prints before exiting 2.
 */
public record TlsOptions(int port, Path certChain, Path key) {

    /** No TLS listener: {@code --tls-cert} and {@code --tls-key} serve the web port only. */
    public static final int PORT_OFF = -1;

    public TlsOptions {
        if (port != PORT_OFF && (port < 0 || port > 65_535)) {
            throw new IllegalArgumentException("--tls-port must be 0-65535, got " + port);
        }
        if (certChain == null) {
            throw new IllegalArgumentException("--tls-key needs --tls-cert");
        }
        if (key == null) {
            throw new IllegalArgumentException("--tls-cert needs --tls-key");
        }
    }

    /**
     * From the options as typed, each of them possibly absent (null): none of them means no TLS at all;
     * {@code --tls-port} needs both files, and each file needs the other.
     */
    public static Optional<TlsOptions> of(Integer port, Path certChain, Path key) {
        if (certChain == null && key == null) {
            if (port != null) {
                throw new IllegalArgumentException("--tls-port needs --tls-cert and --tls-key");
            }
            return Optional.empty();
        }
        return Optional.of(new TlsOptions(port == null ? PORT_OFF : port, certChain, key));
    }

    /** Whether there is a TLS listener (and not only an HTTPS web port). */
    public boolean listens() {
        return port != PORT_OFF;
    }
}
