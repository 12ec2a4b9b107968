package chat.server.config;

/**
 * Where the server listens: the chat port on {@code host} and, when set, the metrics port on
 * {@code metricsHost}. The metrics address is loopback unless told otherwise, so counters about
 * every client are not served to the world by default. {@code port 0} lets the system choose.
 */
public record Listeners(String host, int port, String metricsHost, int metricsPort) {

    public static final int METRICS_OFF = -1;
    public static final String DEFAULT_METRICS_HOST = "127.0.0.1";
    public static final Listeners DEFAULTS = new Listeners("0.0.0.0", 8000, DEFAULT_METRICS_HOST, METRICS_OFF);

    public Listeners {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("--host must not be empty");
        }
        if (metricsHost == null || metricsHost.isBlank()) {
            throw new IllegalArgumentException("--metrics-host must not be empty");
        }
        Checks.port("--port", port);
        if (metricsPort != METRICS_OFF) {
            Checks.port("--metrics-port", metricsPort);
        }
    }

    /** The chat port on {@code host}, the metrics port (if any) on the default metrics host. */
    public Listeners(String host, int port, int metricsPort) {
        this(host, port, DEFAULT_METRICS_HOST, metricsPort);
    }

    public boolean metricsEnabled() {
        return metricsPort != METRICS_OFF;
    }

    /** The same listeners on another address and chat port (tests bind 127.0.0.1:0). */
    public Listeners at(String h, int p) {
        return new Listeners(h, p, metricsHost, metricsPort);
    }
}
