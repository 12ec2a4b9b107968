package chat.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPipeline;

import java.util.List;

/**
 * What the load generator says to one kind of server, as {@code peers/loadgen}'s adapters do: the layers
 * under the lines (TLS, WebSocket, line splitting, keep-alive answers), the handshake that makes a client a
 * receiver or a publisher of the one channel, how a payload is published and where a received line carries
 * one. Everything else (payloads, timing, counting) is the same for every protocol, so the figures compare.
 *
 * <p>An implementation is immutable and shared by all clients of a run; the handlers it makes belong to
 * one channel each.
 */
public interface Protocol {

    /** The names {@code --proto} accepts, the default first. */
    List<String> NAMES = List.of("line-named", "ws", "tls", "redis", "nats", "irc");

    /** Pipeline name of the line splitter, which raw-byte roles (idle) take out after the handshake. */
    String LINES = "lines";
    /** Pipeline name of the handler that answers keep-alive PINGs, taken out with {@link #LINES}. */
    String KEEPALIVE = "keepalive";
    /** Longest line a client reads; a longer one is skipped. */
    int MAX_LINE = 64 * 1024;
    /** The channel (Redis), subject (NATS) or IRC channel without its {@code #} that every client uses. */
    String CHANNEL = "bench";

    /** Whether a client reads the channel's traffic or publishes to it (and reads whatever it gets). */
    enum Side { RECEIVER, PUBLISHER }

    /**
     * Adds the handlers between the socket and the handshake. Afterwards every inbound message is one
     * ByteBuf line without its line end, and an outbound ByteBuf is sent as this protocol sends bytes.
     */
    void addTransport(ChannelPipeline p);

    /** A new handshake for the client called {@code name}. */
    Handshake handshake(String name, Side side);

    /** Appends one publish command carrying {@code payload} (ASCII, no line end) to {@code out}. */
    void writePublish(ByteBuf out, byte[] payload);

    /** Writes and flushes one publish command carrying {@code payload} on {@code ch}. */
    default ChannelFuture publish(Channel ch, byte[] payload) {
        ByteBuf out = ch.alloc().buffer(2 * payload.length + 64);
        writePublish(out, payload);
        return ch.writeAndFlush(out);
    }

    /**
     * The index in {@code line} where a published payload would start, or -1 if the line cannot carry
     * one. A line that looks like one but does not parse as a payload is ignored by the receiver.
     */
    int payloadAt(ByteBuf line);

    /** The protocol {@code name} for a server on {@code host:port}; one of {@link #NAMES}. */
    public static Protocol named(String name, String host, int port) {
        return switch (name) {
            case "line-named" -> new LineNamedProtocol();
            case "ws" -> new WebSocketProtocol(host, port);
            case "tls" -> new TlsProtocol(host, port);
            case "redis" -> new RedisProtocol();
            case "nats" -> new NatsProtocol();
            case "irc" -> new IrcProtocol();
            default -> throw new IllegalArgumentException("--proto must be one of " + String.join(", ", NAMES)
                    + ", got " + name);
        };
    }

    /** The index just after the first occurrence of {@code mark} in {@code line} at or after {@code from}, or -1. */
    static int after(ByteBuf line, int from, byte[] mark) {
        int end = line.writerIndex() - mark.length;
        outer:
        for (int i = from; i <= end; i++) {
            for (int k = 0; k < mark.length; k++) {
                if (line.getByte(i + k) != mark[k]) {
                    continue outer;
                }
            }
            return i + mark.length;
        }
        return -1;
    }
}
