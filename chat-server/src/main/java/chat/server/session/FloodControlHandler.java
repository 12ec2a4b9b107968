package chat.server.session;

import chat.server.metrics.ChatMetrics;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.Ticker;

import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Flood control (PROTOCOL.md): a token bucket of {@code burst} lines refilled at {@code rate}
 * lines per second. A line over budget is held, and the channel stops reading until the budget
 * has refilled; held lines then pass on in order. Nothing is lost, the sender is only slowed.
 * When it starts holding, it fires {@link #HOLDING} down the pipeline, once per episode; the
 * episode ends when the budget is full again.
 *
 * <p>One per connection, on the channel's event loop. What it holds is bounded by one read:
 * reading stops as soon as a line is held. A sender that ends its input while lines are held
 * gets them handled at its pace all the same; the end of input follows the last of them.
 */
public final class FloodControlHandler extends ChannelInboundHandlerAdapter {

    /** The user event that says this connection's lines are now being held. */
    public static final Object HOLDING = new Object() {
        @Override
        public String toString() {
            return "FloodControlHandler.HOLDING";
        }
    };

    private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

    private final int burst;
    private final long nanosPerToken;
    private final ReadGate gate;
    private final ChatMetrics metrics;
    private final ArrayDeque<Object> held = new ArrayDeque<>();
    private Ticker ticker;
    private double tokens;
    private long refilledAt;
    private boolean episode;
    private ScheduledFuture<?> resume;
    /** The end of the sender's input, passed on once its held lines have gone; null until then. */
    private Object endOfInput;

    public FloodControlHandler(double rate, int burst, ReadGate gate, ChatMetrics metrics) {
        this.burst = burst;
        this.nanosPerToken = Math.max(1, (long) (NANOS_PER_SECOND / rate));
        this.gate = gate;
        this.metrics = metrics;
        this.tokens = burst;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ticker = ctx.executor().ticker();
        refilledAt = ticker.nanoTime();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object line) {
        if (held.isEmpty() && takeToken()) {
            ctx.fireChannelRead(line);
            return;
        }
        held.add(line);
        if (resume == null) {
            gate.hold(ReadGate.Hold.FLOOD);
            metrics.floodPause();
            if (!episode) {
                episode = true;
                ctx.fireUserEventTriggered(HOLDING);
            }
            scheduleResume(ctx);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException && !held.isEmpty()) {
            held.add(cause); // Wire: its error comes after the replies to the lines before it
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && !held.isEmpty()) {
            return; // the server holds its lines, not the client idling: no idle timeout meanwhile
        }
        if (evt instanceof ChannelInputShutdownEvent && !held.isEmpty()) {
            // Leaving: the sender is done, but its held lines still go at its pace, none lost, and
            // the end of its input is passed on after the last of them.
            endOfInput = evt;
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (resume != null) {
            resume.cancel(false);
        }
        held.clear();
        ctx.fireChannelInactive();
    }

    private void release(ChannelHandlerContext ctx) {
        resume = null;
        while (!held.isEmpty() && (held.peek() instanceof Throwable || takeToken())) {
            pass(ctx, held.poll());
        }
        if (!held.isEmpty()) {
            scheduleResume(ctx);
        } else if (endOfInput != null) {
            ctx.fireUserEventTriggered(endOfInput);
        } else {
            gate.release(ReadGate.Hold.FLOOD);
        }
    }

    /** Passes on a held line, or a held over-long-line error in its place in the stream. */
    private static void pass(ChannelHandlerContext ctx, Object heldItem) {
        if (heldItem instanceof Throwable error) {
            ctx.fireExceptionCaught(error);
        } else {
            ctx.fireChannelRead(heldItem);
        }
    }

    private void scheduleResume(ChannelHandlerContext ctx) {
        resume = ctx.executor().schedule(() -> release(ctx), nanosUntilNextToken(), TimeUnit.NANOSECONDS);
    }

    private boolean takeToken() {
        long now = ticker.nanoTime();
        tokens = Math.min(burst, tokens + (double) (now - refilledAt) / nanosPerToken);
        refilledAt = now;
        if (tokens >= burst) {
            episode = false; // Flood control: a full budget ends the episode; the next hold is told again
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    private long nanosUntilNextToken() {
        return Math.max(1, (long) Math.ceil((1 - tokens) * nanosPerToken));
    }
}
