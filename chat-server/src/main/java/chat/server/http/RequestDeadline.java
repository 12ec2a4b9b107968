package chat.server.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.LastHttpContent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Closes an HTTP connection (the metrics port, the web port before the WebSocket upgrade) that has
 * not sent a whole request within the timeout: counted from the connection, and again from each
 * response on a kept-alive one. A client that sends nothing, or a header a byte at a time
 * (slowloris), cannot hold a connection for long. It goes after the aggregator, so anything it
 * reads is a whole request (or one the decoder refused). One per connection; runs on its event
 * loop (plain fields).
 */
public final class RequestDeadline extends ChannelDuplexHandler {

    private static final Logger log = LoggerFactory.getLogger(RequestDeadline.class);

    private final long timeoutNanos;
    private Future<?> timer;

    public RequestDeadline(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            arm(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        arm(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        cancel();
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof LastHttpContent) {
            // Kept alive: the next request has as long as the first had, from the response on.
            promise = promise.unvoid();
            promise.addListener(written -> {
                if (written.isSuccess() && ctx.channel().isActive() && !ctx.isRemoved()) {
                    arm(ctx);
                }
            });
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    private void arm(ChannelHandlerContext ctx) {
        if (timer == null) {
            timer = ctx.executor().schedule(() -> {
                log.debug("[{}] closed: no complete request within {} ms", ctx.channel().id().asShortText(),
                        TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
                ctx.close();
            }, timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
