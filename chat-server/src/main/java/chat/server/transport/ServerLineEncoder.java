package chat.server.transport;

import chat.protocol.codec.LineEncoding;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;

import java.util.List;

/**
 * Encodes a line written as a String into UTF-8 plus LF. The fan-out writes its lines, encoded
 * already, from just past this handler; a ByteBuf written to the channel passes by untouched.
 * Stateless, so one instance serves all channels.
 */
@Sharable
public final class ServerLineEncoder extends MessageToMessageEncoder<CharSequence> {

    public static final ServerLineEncoder INSTANCE = new ServerLineEncoder();

    private ServerLineEncoder() {
        super(CharSequence.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, CharSequence line, List<Object> out) {
        out.add(LineEncoding.encode(ctx.alloc(), line));
    }
}
