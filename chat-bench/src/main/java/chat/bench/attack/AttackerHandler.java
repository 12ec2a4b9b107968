package chat.bench.attack;

import chat.bench.load.Clients;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * One attacking chat client after its name was accepted: reads everything it is sent and throws
 * it away, counting the bytes in the attack's {@link Totals}. With a marker it reads lines and
 * counts those that start with the marker (such as {@code Here now (}); without one it takes raw
 * bytes, the cheapest way for this process to keep up.
 *
 * <p>Threading: runs on its channel's event loop; {@link #closedByServer()} may be read from any
 * thread.
 */
final class AttackerHandler extends ChannelInboundHandlerAdapter {

    /** What all attackers of a run add up; any thread. */
    static final class Totals {
        final LongAdder bytes = new LongAdder();
        final LongAdder marked = new LongAdder();
        volatile boolean ending;
    }

    private final Totals totals;
    private final ByteBuf marker;
    private volatile boolean closedByServer;

    private AttackerHandler(Totals totals, ByteBuf marker) {
        this.totals = totals;
        this.marker = marker;
    }

    /** The role for {@link Clients#join}: attackers that count lines starting with {@code marker}, or bytes (null). */
    static Clients.Role role(Totals totals, String marker, AttackerHandler[] handlers) {
        // Unpooled heap bytes, shared read-only by all handlers: nothing to release.
        ByteBuf mark = marker == null ? null : Unpooled.copiedBuffer(marker, StandardCharsets.UTF_8).asReadOnly();
        return new Clients.Role() {
            @Override
            public ChannelHandler handler(int index) {
                return handlers[index] = new AttackerHandler(totals, mark);
            }

            @Override
            public boolean lines() {
                return mark != null;
            }
        };
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        if (marker == null) {
            totals.bytes.add(buf.readableBytes());
        } else {
            totals.bytes.add(buf.readableBytes() + 1L); // the LF the line decoder took off
            if (startsWith(buf, marker)) {
                totals.marked.increment();
            }
        }
        ReferenceCountUtil.release(msg);
    }

    /** Whether {@code line} begins with the bytes of {@code prefix}; reads neither. */
    static boolean startsWith(ByteBuf line, ByteBuf prefix) {
        int n = prefix.readableBytes();
        return line.readableBytes() >= n && ByteBufUtil.equals(line, line.readerIndex(), prefix, prefix.readerIndex(), n);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closedByServer = !totals.ending;
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    boolean closedByServer() {
        return closedByServer;
    }

    /** Attackers that joined and were then closed by the server before the attack ended. */
    static int closedByServer(AttackerHandler[] handlers, List<Channel> joined) {
        int n = 0;
        for (int i = 0; i < handlers.length; i++) {
            if (joined.get(i) != null && handlers[i].closedByServer()) {
                n++;
            }
        }
        return n;
    }
}
