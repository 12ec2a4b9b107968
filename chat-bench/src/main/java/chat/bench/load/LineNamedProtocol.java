package chat.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LineBasedFrameDecoder;

/**
 * Our line protocol over plain TCP (docs/PROTOCOL.md): read {@code Enter your name:}, send a unique name,
 * wait for {@code You are NAME}; receivers and publishers join alike. A payload is published as a line
 * and comes back as the chat line {@code NAME: PAYLOAD}; every other line ({@code Also here:},
 * {@code has arrived}, {@code Dropped N messages}) carries none. {@link TlsProtocol} and
 * {@link WebSocketProtocol} speak it over other transports.
 */
class LineNamedProtocol implements Protocol {

    private static final byte[] COLON_SPACE = {':', ' '};

    @Override
    public void addTransport(ChannelPipeline p) {
        p.addLast(LINES, new LineBasedFrameDecoder(MAX_LINE, true, false));
    }

    @Override
    public Handshake handshake(String name, Side side) {
        return new NameHandshake(name, side);
    }

    @Override
    public void writePublish(ByteBuf out, byte[] payload) {
        out.writeBytes(payload).writeByte('\n');
    }

    @Override
    public int payloadAt(ByteBuf line) {
        return Protocol.after(line, line.readerIndex(), COLON_SPACE);
    }

    /** Prompt, name, {@code You are NAME}; an {@code Error:} or {@code Disconnected:} line fails it. */
    private static final class NameHandshake extends Handshake {
        private boolean prompted;

        NameHandshake(String name, Side side) {
            super(name, side);
            expect("'Enter your name:'");
        }

        @Override
        protected void line(ChannelHandlerContext ctx, String line) {
            if (!prompted && line.equals("Enter your name:")) {
                prompted = true;
                expect("'You are " + name + "'");
                send(ctx, name + "\n");
            } else if (line.equals("You are " + name)) {
                joined(ctx);
            } else if (line.startsWith("Error: ") || line.startsWith("Disconnected: ")) {
                fail(line);
            }
        }
    }
}
