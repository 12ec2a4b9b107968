package chat.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One publisher: sends numbered data messages, framed by its {@link Protocol}, and throws away
 * whatever it is sent (its own echoes, the other publishers' lines, replies). Unpaced, it writes
 * 16 KiB batches while the channel is writable, each message stamped when built. Paced, message k is due at start + k × interval,
 * is written on its own and stamped with that due time, so a send held back by back-pressure
 * or a late timer counts as latency (the coordinated-omission correction).
 *
 * <p>Threading: sends on its channel's event loop; {@link #sent()} and {@link #finished()} may
 * be read from anywhere.
 */
public final class PublisherHandler extends ChannelInboundHandlerAdapter {

    private static final int BATCH_BYTES = 16 * 1024;

    private final int id;
    private final long origin;
    private final Protocol protocol;
    private final AtomicLong sent = new AtomicLong();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private Channel channel;
    private int messages;
    private int size;
    private long startNanos;
    private long intervalNanos;
    private int seq;
    private volatile String error;

    public PublisherHandler(int id, long origin, Protocol protocol) {
        this.id = id;
        this.origin = origin;
        this.protocol = protocol;
    }

    /** Starts publishing {@code messages}; {@code intervalNanos} 0 means as fast as possible. */
    public void start(Channel ch, int messages, int size, long intervalNanos) {
        ch.eventLoop().execute(() -> {
            channel = ch;
            this.messages = messages;
            this.size = size;
            this.intervalNanos = intervalNanos;
            startNanos = System.nanoTime() - origin;
            if (intervalNanos > 0) {
                sendDue();
            } else {
                sendBatches();
            }
        });
    }

    private void sendBatches() {
        while (seq < messages && channel.isWritable()) {
            ByteBuf batch = channel.alloc().buffer(BATCH_BYTES + 2 * size);
            int first = seq;
            while (seq < messages && batch.readableBytes() < BATCH_BYTES) {
                protocol.writePublish(batch, Payloads.data(id, seq++, System.nanoTime() - origin, size));
            }
            written(channel.writeAndFlush(batch), seq - first, seq == messages);
        }
    }

    private void sendDue() {
        long now = System.nanoTime() - origin;
        while (seq < messages && due(seq) <= now) {
            ByteBuf message = channel.alloc().buffer(2 * size);
            protocol.writePublish(message, Payloads.data(id, seq, due(seq), size));
            seq++;
            written(channel.writeAndFlush(message), 1, seq == messages);
        }
        if (seq < messages) {
            channel.eventLoop().schedule(this::sendDue, due(seq) - now, TimeUnit.NANOSECONDS);
        }
    }

    /** Sends no more messages after those already due; {@link #finished()} completes. */
    public void stop(Channel ch) {
        ch.eventLoop().execute(() -> {
            messages = seq;
            finished.complete(null);
        });
    }

    private long due(int k) {
        return startNanos + k * intervalNanos;
    }

    private void written(ChannelFuture write, int count, boolean last) {
        write.addListener(f -> {
            if (f.isSuccess()) {
                sent.addAndGet(count);
            } else if (error == null) {
                error = String.valueOf(f.cause());
            }
            if (last || !f.isSuccess()) {
                finished.complete(null);
            }
        });
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (channel != null && intervalNanos == 0 && ctx.channel().isWritable()) {
            sendBatches();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        finished.complete(null);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (error == null) {
            error = String.valueOf(cause);
        }
        ctx.close();
    }

    int id() {
        return id;
    }

    /** Messages whose bytes the socket has taken. */
    public long sent() {
        return sent.get();
    }

    public CompletableFuture<Void> finished() {
        return finished;
    }

    /** The first write or channel error, or null. */
    public String error() {
        return error;
    }
}
