package chat.server.config;

import chat.server.transport.tls.TlsOptions;
import chat.server.transport.web.WebOptions;

import java.util.Optional;

/**
 * Where the server listens, all on one address: the plain TCP chat port ({@link #PORT_OFF} for
 * none), the TLS and web listeners when set, and the metrics port when set. {@code 0} lets the
 * system choose a port.
 */
public record Listeners(String host, int port, int metricsPort, Optional<TlsOptions> tls, Optional<WebOptions> web) {

    /** {@code --port off}: no plain TCP listener (TLS and web only). */
    public static final int PORT_OFF = -1;
    public static final int METRICS_OFF = -1;
    public static final Listeners DEFAULTS =
            new Listeners("0.0.0.0", 8000, METRICS_OFF, Optional.empty(), Optional.empty());

    public Listeners {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("--host must not be empty");
        }
        if (port != PORT_OFF) {
            Checks.port("--port", port);
        }
        if (metricsPort != METRICS_OFF) {
            Checks.port("--metrics-port", metricsPort);
        }
        if (tls == null || web == null) {
            throw new IllegalArgumentException("tls and web must not be null (Optional.empty() for none)");
        }
        if (port == PORT_OFF && tls.map(t -> !t.listens()).orElse(true) && web.isEmpty()) {
            throw new IllegalArgumentException("--port off leaves nothing to listen on; add --tls-port or --web-port");
        }
    }

    public boolean metricsEnabled() {
        return metricsPort != METRICS_OFF;
    }

    /** The same listeners on another address and chat port (tests bind 127.0.0.1:0). */
    public Listeners at(String h, int p) {
        return new Listeners(h, p, metricsPort, tls, web);
    }

    public Listeners withMetricsPort(int p) {
        return new Listeners(host, port, p, tls, web);
    }

    public Listeners withTls(TlsOptions t) {
        return new Listeners(host, port, metricsPort, Optional.of(t), web);
    }

    public Listeners withWeb(WebOptions w) {
        return new Listeners(host, port, metricsPort, tls, Optional.of(w));
    }
}
