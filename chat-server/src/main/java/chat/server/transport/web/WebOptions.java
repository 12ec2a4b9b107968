package chat.server.transport.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The web options (PROTOCOL.md, "Web"): the HTTP port of the page and {@code /ws}, and the extra origins
 * allowed to open {@code /ws} ({@code *} = any). Checked when built; the exception's message is the one
 * line the CLI prints before exiting 2. The limits below are fixed, not options.
 */
public record WebOptions(int port, List<String> origins) {

    /** Longest HTTP request line and header block: a 1 MB header is refused with 431. */
    public static final int MAX_INITIAL_LINE_BYTES = 4096;
    public static final int MAX_HEADER_BYTES = 8192;
    /** Largest request body (the page takes none). */
    public static final int MAX_REQUEST_BYTES = 8192;
    /** Time to send a complete request, from the connection or the last response: against slowloris. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** A WebSocket silent this long is pinged; silent twice as long, it is closed. */
    public static final Duration PING_INTERVAL = Duration.ofSeconds(30);
    /** A frame may carry several lines (a paste): at least 64 KiB, and at least four of the longest lines. */
    public static final int MIN_MAX_FRAME_BYTES = 65_536;

    public WebOptions {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--web-port must be 0-65535, got " + port);
        }
        origins = List.copyOf(origins);
        for (String origin : origins) {
            if (!origin.equals(OriginPolicy.ANY) && OriginPolicy.normalize(origin) == null) {
                throw new IllegalArgumentException("--web-origins: '" + origin
                        + "' is not an origin like https://chat.example.com (or * for any)");
            }
        }
    }

    /**
     * From the options as typed, each possibly absent (null): no {@code --web-port} means no web listener;
     * {@code --web-origins} is a comma-separated list and needs {@code --web-port}.
     */
    public static Optional<WebOptions> of(Integer port, String origins) {
        if (port == null) {
            if (origins != null && !origins.isBlank()) {
                throw new IllegalArgumentException("--web-origins needs --web-port");
            }
            return Optional.empty();
        }
        List<String> list = new ArrayList<>();
        if (origins != null) {
            for (String origin : origins.split(",")) {
                if (!origin.isBlank()) {
                    list.add(origin.strip());
                }
            }
        }
        return Optional.of(new WebOptions(port, list));
    }

    /** Largest WebSocket frame and message: above {@code --max-line-bytes}, so an over-long line gets its error. */
    public static int maxFrameBytes(int maxLineBytes) {
        return (int) Math.min(Integer.MAX_VALUE - 8, Math.max(MIN_MAX_FRAME_BYTES, 4L * maxLineBytes + 8));
    }
}
