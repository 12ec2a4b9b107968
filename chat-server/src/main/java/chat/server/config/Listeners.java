package chat.server.config;

import chat.server.transport.tls.TlsOptions;
import chat.server.transport.web.WebOptions;

import java.util.Optional;

/**
 * Where the server listens: the plain TCP chat port on {@code host} ({@link #PORT_OFF} for none),
 * the TLS and web listeners on the same address when set, and, when set, the metrics port on
 * {@code metricsHost}. The metrics address is loopback unless told otherwise, so counters about
 * every client are not served to the world by default. {@code 0} lets the system choose a port.
 */
public record Listeners(String host, int port, String metricsHost, int metricsPort, Optional<TlsOptions> tls,
        Optional<WebOptions> web) {

    /** {@code --port off}: no plain TCP listener (TLS and web only). */
    public static final int PORT_OFF = -1;
    public static final int METRICS_OFF = -1;
    public static final String DEFAULT_METRICS_HOST = "127.0.0.1";
    public static final Listeners DEFAULTS = new Listeners("0.0.0.0", 8000, METRICS_OFF);

    public Listeners {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("--host must not be empty");
        }
        if (metricsHost == null || metricsHost.isBlank()) {
            throw new IllegalArgumentException("--metrics-host must not be empty");
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

    /** The chat port on {@code host}, the metrics port (if any) on the default metrics host; no TLS, no web. */
    public Listeners(String host, int port, int metricsPort) {
        this(host, port, DEFAULT_METRICS_HOST, metricsPort, Optional.empty(), Optional.empty());
    }

    public boolean metricsEnabled() {
        return metricsPort != METRICS_OFF;
    }

    /** The same listeners on another address and chat port (tests bind 127.0.0.1:0). */
    public Listeners at(String h, int p) {
        return new Listeners(h, p, metricsHost, metricsPort, tls, web);
    }

    public Listeners withTls(TlsOptions t) {
        return new Listeners(host, port, metricsHost, metricsPort, Optional.of(t), web);
    }

    public Listeners withWeb(WebOptions w) {
        return new Listeners(host, port, metricsHost, metricsPort, tls, Optional.of(w));
    }
}
