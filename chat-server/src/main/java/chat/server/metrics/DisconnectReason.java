package chat.server.metrics;

import java.util.Locale;

/**
 * Why the server closes a connection (PROTOCOL.md, "Leaving"). Every close carries one; it
 * names the close in the log and counts it in the metrics. The last line, where there is one, comes from ServerLines.
 */
public enum DisconnectReason {
    /** The client sent /quit. */
    QUIT,
    /** No line for --idle-timeout. */
    IDLE,
    /** No valid name within --name-timeout. */
    NO_NAME,
    /** Over --max-connections. */
    SERVER_FULL,
    /** Over --max-connections-per-ip. */
    TOO_MANY_FROM_ADDRESS,
    /** SIGTERM or SIGINT. */
    SHUTDOWN,
    /** Unwritable for longer than --slow-consumer-timeout; it is not reading, so no last line. */
    SLOW_CONSUMER,
    /** End of stream, reset or broken pipe: the client went. */
    PEER_CLOSED,
    /** Clusters: the other servers declared this one dead (it was cut off or frozen), so its clients left. */
    CLUSTER,
    /** A bug: an exception the handler did not expect. */
    ERROR;

    /** The metrics label: {@code no_name}, {@code peer_closed}, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
