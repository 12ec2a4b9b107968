package chat.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.nio.charset.StandardCharsets;

/**
 * Answers a server's keep-alive line {@code PING[ ARGS]} with {@code PONG[ ARGS]} and CRLF (NATS sends
 * {@code PING}, IRC {@code PING :TOKEN}), so that no client is dropped for silence, in the handshake or
 * after; every other line is passed on. Sits right after the line splitter. One per connection, on its
 * event loop.
 */
final class KeepAlive extends ChannelInboundHandlerAdapter {

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf line = (ByteBuf) msg;
        int i = line.readerIndex();
        if (line.readableBytes() >= 4 && line.getByte(i) == 'P' && line.getByte(i + 1) == 'I'
                && line.getByte(i + 2) == 'N' && line.getByte(i + 3) == 'G') {
            String args = line.toString(i + 4, line.readableBytes() - 4, StandardCharsets.UTF_8);
            line.release();
            byte[] pong = ("PONG" + args + "\r\n").getBytes(StandardCharsets.UTF_8);
            ctx.writeAndFlush(ctx.alloc().buffer(pong.length).writeBytes(pong));
        } else {
            ctx.fireChannelRead(msg);
        }
    }
}
