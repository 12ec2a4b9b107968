package chat.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LineBasedFrameDecoder;

import java.nio.charset.StandardCharsets;

/**
 * Redis pub/sub in RESP: a receiver sends {@code SUBSCRIBE bench} and is joined at the subscription count
 * ({@code :1}); a publisher sends {@code PING} and waits for {@code +PONG} (a subscribed connection may
 * not publish). Payloads go out as {@code PUBLISH bench PAYLOAD}. A pushed message is the array
 * {@code *3 $7 message $5 bench $N PAYLOAD}, one element per line, so the payload is a line of its own;
 * the other lines fail payload parsing and are ignored, and so are the publishers' {@code :N} replies.
 * An error reply ({@code -ERR ...}) in the handshake fails the client.
 */
final class RedisProtocol implements Protocol {

    private static final byte[] PUBLISH = ("*3\r\n$7\r\nPUBLISH\r\n$" + CHANNEL.length() + "\r\n" + CHANNEL + "\r\n$")
            .getBytes(StandardCharsets.US_ASCII);

    @Override
    public void addTransport(ChannelPipeline p) {
        p.addLast(LINES, new LineBasedFrameDecoder(MAX_LINE, true, false));
    }

    @Override
    public Handshake handshake(String name, Side side) {
        return new Handshake(name, side) {
            @Override
            protected void connected(ChannelHandlerContext ctx) {
                if (side == Side.RECEIVER) {
                    expect("the SUBSCRIBE count");
                    send(ctx, command("SUBSCRIBE", CHANNEL));
                } else {
                    expect("+PONG");
                    send(ctx, command("PING"));
                }
            }

            @Override
            protected void line(ChannelHandlerContext ctx, String line) {
                if (line.startsWith("-")) {
                    fail(line);
                } else if (side == Side.RECEIVER ? line.startsWith(":") : line.equals("+PONG")) {
                    joined(ctx);
                }
            }
        };
    }

    /** A command as a RESP array of bulk strings. */
    private static String command(String... words) {
        StringBuilder b = new StringBuilder().append('*').append(words.length).append("\r\n");
        for (String w : words) {
            b.append('$').append(w.length()).append("\r\n").append(w).append("\r\n");
        }
        return b.toString();
    }

    @Override
    public void writePublish(ByteBuf out, byte[] payload) {
        out.writeBytes(PUBLISH);
        out.writeCharSequence(Integer.toString(payload.length), StandardCharsets.US_ASCII);
        out.writeByte('\r').writeByte('\n').writeBytes(payload).writeByte('\r').writeByte('\n');
    }

    @Override
    public int payloadAt(ByteBuf line) {
        return line.readerIndex();
    }
}
