package chat.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LineBasedFrameDecoder;

import java.nio.charset.StandardCharsets;

/**
 * The NATS client protocol: wait for {@code INFO}, send {@code CONNECT} (not verbose, so no {@code +OK}
 * per command), {@code SUB bench 1} for a receiver, and {@code PING}; the {@code PONG} says the server has
 * handled all of it. Payloads go out as {@code PUB bench N} followed by the payload; a delivery is
 * {@code MSG bench 1 N} with the payload on the next line, which is where it is parsed. The server's
 * {@code PING}s are answered by {@link KeepAlive}. {@code -ERR} in the handshake fails the client.
 */
final class NatsProtocol implements Protocol {

    private static final byte[] PUB = ("PUB " + CHANNEL + " ").getBytes(StandardCharsets.US_ASCII);

    @Override
    public void addTransport(ChannelPipeline p) {
        p.addLast(LINES, new LineBasedFrameDecoder(MAX_LINE, true, false));
        p.addLast(KEEPALIVE, new KeepAlive());
    }

    @Override
    public Handshake handshake(String name, Side side) {
        return new Handshake(name, side) {
            private boolean greeted;

            @Override
            protected void connected(ChannelHandlerContext ctx) {
                expect("INFO");
            }

            @Override
            protected void line(ChannelHandlerContext ctx, String line) {
                if (line.startsWith("-ERR")) {
                    fail(line);
                } else if (!greeted && line.startsWith("INFO ")) {
                    greeted = true;
                    expect("PONG");
                    send(ctx, "CONNECT {\"verbose\":false,\"pedantic\":false,\"name\":\"" + name
                            + "\",\"lang\":\"java\",\"version\":\"0\",\"protocol\":1}\r\n"
                            + (side == Side.RECEIVER ? "SUB " + CHANNEL + " 1\r\n" : "")
                            + "PING\r\n");
                } else if (greeted && line.equals("PONG")) {
                    joined(ctx);
                }
            }
        };
    }

    @Override
    public void writePublish(ByteBuf out, byte[] payload) {
        out.writeBytes(PUB);
        out.writeCharSequence(Integer.toString(payload.length), StandardCharsets.US_ASCII);
        out.writeByte('\r').writeByte('\n').writeBytes(payload).writeByte('\r').writeByte('\n');
    }

    @Override
    public int payloadAt(ByteBuf line) {
        return line.readerIndex();
    }
}
