package chat.server;

import chat.server.transport.tls.TlsOptions;
import chat.server.transport.web.WebOptions;

import java.time.Duration;
import java.util.Optional;

/**
 * Every option of the server, checked when built (PROTOCOL.md, "Running the server").
 * Immutable; the exception message of a bad value is the one line the CLI prints.
 */
public record ServerConfig(
        String host,
        int port,
        int maxLineBytes,
        Duration nameTimeout,
        Duration idleTimeout,
        int maxConnections,
        int maxConnectionsPerIp,
        Duration slowConsumerTimeout,
        int writeBufferHigh,
        int writeBufferLow,
        int rate,
        int burst,
        int metricsPort,
        Optional<TlsOptions> tls,
        Optional<WebOptions> web) {

    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final int DEFAULT_PORT = 8000;
    /** {@code --port off}: no plain TCP listener (TLS and web only). */
    public static final int PORT_OFF = -1;
    public static final int DEFAULT_MAX_LINE_BYTES = 2048;
    public static final Duration DEFAULT_NAME_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(300);
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_IP = 64;
    public static final Duration DEFAULT_SLOW_CONSUMER_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_WRITE_BUFFER_HIGH = 65_536;
    public static final int DEFAULT_WRITE_BUFFER_LOW = 32_768;
    public static final int DEFAULT_RATE = 20;
    public static final int DEFAULT_BURST = 40;
    /** No metrics endpoint unless a port is given. */
    public static final int METRICS_OFF = -1;

    public ServerConfig {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("--host must not be empty");
        }
        if (port != PORT_OFF) {
            checkPort("--port", port);
        }
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("--max-line-bytes must be at least 1, got " + maxLineBytes);
        }
        checkPositive("--name-timeout", nameTimeout);
        if (idleTimeout == null || idleTimeout.isNegative()) {
            throw new IllegalArgumentException("--idle-timeout must be 0 (never) or more");
        }
        checkPositive("--slow-consumer-timeout", slowConsumerTimeout);
        if (maxConnections < 1) {
            throw new IllegalArgumentException("--max-connections must be at least 1, got " + maxConnections);
        }
        if (maxConnectionsPerIp < 1) {
            throw new IllegalArgumentException(
                    "--max-connections-per-ip must be at least 1, got " + maxConnectionsPerIp);
        }
        if (writeBufferLow < 1) {
            throw new IllegalArgumentException("--write-buffer-low must be at least 1, got " + writeBufferLow);
        }
        if (writeBufferLow > writeBufferHigh) {
            throw new IllegalArgumentException("--write-buffer-low must not exceed --write-buffer-high");
        }
        if (rate < 0) {
            throw new IllegalArgumentException("--rate must be 0 (no limit) or more, got " + rate);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("--burst must be at least 1, got " + burst);
        }
        if (metricsPort != METRICS_OFF) {
            checkPort("--metrics-port", metricsPort);
        }
        if (tls == null || web == null) {
            throw new IllegalArgumentException("tls and web must not be null (Optional.empty() for none)");
        }
        if (port == PORT_OFF && tls.map(t -> !t.listens()).orElse(true) && web.isEmpty()) {
            throw new IllegalArgumentException("--port off leaves nothing to listen on; add --tls-port or --web-port");
        }
    }

    /** Without TLS or web listeners, as before them. */
    public ServerConfig(String host, int port, int maxLineBytes, Duration nameTimeout, Duration idleTimeout,
            int maxConnections, int maxConnectionsPerIp, Duration slowConsumerTimeout, int writeBufferHigh,
            int writeBufferLow, int rate, int burst, int metricsPort) {
        this(host, port, maxLineBytes, nameTimeout, idleTimeout, maxConnections, maxConnectionsPerIp,
                slowConsumerTimeout, writeBufferHigh, writeBufferLow, rate, burst, metricsPort,
                Optional.empty(), Optional.empty());
    }

    public static ServerConfig defaults() {
        return new ServerConfig(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_MAX_LINE_BYTES, DEFAULT_NAME_TIMEOUT,
                DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS_PER_IP,
                DEFAULT_SLOW_CONSUMER_TIMEOUT, DEFAULT_WRITE_BUFFER_HIGH, DEFAULT_WRITE_BUFFER_LOW,
                DEFAULT_RATE, DEFAULT_BURST, METRICS_OFF);
    }

    /** Whether idle clients are ever disconnected ({@code --idle-timeout 0} means never). */
    public boolean idleTimeoutEnabled() {
        return !idleTimeout.isZero();
    }

    /** Whether flood control is on ({@code --rate 0} turns it off). */
    public boolean floodControlEnabled() {
        return rate > 0;
    }

    public ServerConfig withHost(String h) {
        return new ServerConfig(h, port, maxLineBytes, nameTimeout, idleTimeout, maxConnections,
                maxConnectionsPerIp, slowConsumerTimeout, writeBufferHigh, writeBufferLow, rate, burst, metricsPort,
                tls, web);
    }

    public ServerConfig withPort(int p) {
        return new ServerConfig(host, p, maxLineBytes, nameTimeout, idleTimeout, maxConnections,
                maxConnectionsPerIp, slowConsumerTimeout, writeBufferHigh, writeBufferLow, rate, burst, metricsPort,
                tls, web);
    }

    public ServerConfig withMaxLineBytes(int n) {
        return new ServerConfig(host, port, n, nameTimeout, idleTimeout, maxConnections,
                maxConnectionsPerIp, slowConsumerTimeout, writeBufferHigh, writeBufferLow, rate, burst, metricsPort,
                tls, web);
    }

    public ServerConfig withNameTimeout(Duration d) {
        return new ServerConfig(host, port, maxLineBytes, d, idleTimeout, maxConnections,
                maxConnectionsPerIp, slowConsumerTimeout, writeBufferHigh, writeBufferLow, rate, burst, metricsPort,
                tls, web);
    }

    public ServerConfig withIdleTimeout(Duration d) {
        return new ServerConfig(host, port, maxLineBytes, nameTimeout, d, maxConnections,
                maxConnectionsPerIp, slowConsumerTimeout, writeBufferHigh, writeBufferLow, rate, burst, metricsPort,
                tls, web);
    }

    public ServerConfig withConnectionLimits(int total, int perIp) {
        return new ServerConfig(host, port, maxLineBytes, nameTimeout, idleTimeout, total,
                perIp, slowConsumerTimeout, writeBufferHigh, writeBufferLow, rate, burst, metricsPort, tls, web);
    }

    public ServerConfig withSlowConsumer(Duration timeout, int high, int low) {
        return new ServerConfig(host, port, maxLineBytes, nameTimeout, idleTimeout, maxConnections,
                maxConnectionsPerIp, timeout, high, low, rate, burst, metricsPort, tls, web);
    }

    public ServerConfig withFloodControl(int r, int b) {
        return new ServerConfig(host, port, maxLineBytes, nameTimeout, idleTimeout, maxConnections,
                maxConnectionsPerIp, slowConsumerTimeout, writeBufferHigh, writeBufferLow, r, b, metricsPort, tls, web);
    }

    public ServerConfig withMetricsPort(int p) {
        return new ServerConfig(host, port, maxLineBytes, nameTimeout, idleTimeout, maxConnections,
                maxConnectionsPerIp, slowConsumerTimeout, writeBufferHigh, writeBufferLow, rate, burst, p, tls, web);
    }

    public ServerConfig withTls(Optional<TlsOptions> t) {
        return new ServerConfig(host, port, maxLineBytes, nameTimeout, idleTimeout, maxConnections,
                maxConnectionsPerIp, slowConsumerTimeout, writeBufferHigh, writeBufferLow, rate, burst, metricsPort,
                t, web);
    }

    public ServerConfig withWeb(Optional<WebOptions> w) {
        return new ServerConfig(host, port, maxLineBytes, nameTimeout, idleTimeout, maxConnections,
                maxConnectionsPerIp, slowConsumerTimeout, writeBufferHigh, writeBufferLow, rate, burst, metricsPort,
                tls, w);
    }

    private static void checkPort(String option, int p) {
        if (p < 0 || p > 65_535) {
            throw new IllegalArgumentException(option + " must be 0-65535, got " + p);
        }
    }

    private static void checkPositive(String option, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(option + " must be more than 0");
        }
    }
}
