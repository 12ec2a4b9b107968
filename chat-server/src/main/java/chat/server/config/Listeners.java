package chat.server.config;

/**
 * Where the server listens: the chat port and, when set, the metrics port, on one address.
 * {@code port 0} lets the system choose.
 */
public record Listeners(String host, int port, int metricsPort) {

    public static final int METRICS_OFF = -1;
    public static final Listeners DEFAULTS = new Listeners("0.0.0.0", 8000, METRICS_OFF);

    public Listeners {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("--host must not be empty");
        }
        Checks.port("--port", port);
        if (metricsPort != METRICS_OFF) {
            Checks.port("--metrics-port", metricsPort);
        }
    }

    public boolean metricsEnabled() {
        return metricsPort != METRICS_OFF;
    }

    /** The same listeners on another address and chat port (tests bind 127.0.0.1:0). */
    public Listeners at(String h, int p) {
        return new Listeners(h, p, metricsPort);
    }
}
