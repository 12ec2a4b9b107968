package chat.server.metrics;

import java.util.Locale;

/**
 * Why a connection closed, as {@code chat_disconnects_total{reason}} counts it. The constants
 * have the names of {@code chat.server.chat.DisconnectReason}, so the core maps one to the other
 * with {@code Reason.valueOf(reason.name())}; the metrics package stays a leaf that imports no
 * chat code.
 */
public enum Reason {
    QUIT,
    IDLE,
    NO_NAME,
    SERVER_FULL,
    TOO_MANY_FROM_ADDRESS,
    SHUTDOWN,
    SLOW_CONSUMER,
    PEER_CLOSED,
    ERROR;

    /** The label value: {@code no_name}, {@code peer_closed}, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
