package chat.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.Promise;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Takes one client from connected to joined in its protocol, then leaves the pipeline. A subclass sends
 * what the protocol asks for and reads the server's lines until it may call {@link #joined}; an error line,
 * a close or an exception fails the client. {@link Clients} sets the deadline and says what happens once
 * joined.
 *
 * <p>One per connection, on its event loop; lines after the outcome are ignored.
 */
abstract class Handshake extends ChannelInboundHandlerAdapter {

    protected final String name;
    protected final Protocol.Side side;
    private Promise<Channel> done;
    private Consumer<ChannelHandlerContext> onJoined;
    private String awaiting = "connection";

    protected Handshake(String name, Protocol.Side side) {
        this.name = name;
        this.side = side;
    }

    /** Called once by {@link Clients} before the handler is added. */
    final Handshake bind(Promise<Channel> done, Consumer<ChannelHandlerContext> onJoined) {
        this.done = done;
        this.onJoined = onJoined;
        return this;
    }

    /** What the handshake waits for now, for the timeout's message. */
    final String awaiting() {
        return awaiting;
    }

    /** Notes what comes next, for messages. */
    protected final void expect(String what) {
        awaiting = what;
    }

    /** The connection is open; the layers under the handshake (TLS, WebSocket) may still be starting. */
    protected void connected(ChannelHandlerContext ctx) {
    }

    /** One line from the server, without its line end. */
    protected abstract void line(ChannelHandlerContext ctx, String line);

    protected final void send(ChannelHandlerContext ctx, String text) {
        ctx.writeAndFlush(ctx.alloc().buffer(text.length()).writeBytes(text.getBytes(StandardCharsets.UTF_8)));
    }

    protected final void joined(ChannelHandlerContext ctx) {
        ctx.pipeline().remove(this);
        onJoined.accept(ctx);
        done.trySuccess(ctx.channel());
    }

    protected final void fail(String why) {
        done.tryFailure(new IllegalStateException(why));
    }

    @Override
    public final void channelActive(ChannelHandlerContext ctx) {
        connected(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public final void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        String line = buf.toString(StandardCharsets.UTF_8);
        buf.release();
        if (!done.isDone()) {
            line(ctx, line);
        }
    }

    @Override
    public final void channelInactive(ChannelHandlerContext ctx) {
        fail("closed by the server during the handshake, waiting for " + awaiting);
        ctx.fireChannelInactive();
    }

    @Override
    public final void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        done.tryFailure(cause);
        ctx.close();
    }
}
