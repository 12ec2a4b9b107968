package chat.server.metrics;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The /metrics listener. It has its own thread: a scrape reads the management beans and walks
 * the process's file descriptors, which is no work for the chat's event loops, and a flood of
 * scrapers reaches no chat connection. At most {@code maxConnections} at once, each with
 * {@code requestTimeout} to send a request. Started and closed from any thread.
 */
public final class MetricsServer implements AutoCloseable {

    public static final int DEFAULT_MAX_CONNECTIONS = 64;
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final MultiThreadIoEventLoopGroup group;
    private final MetricsInitializer initializer;
    private final Channel listener;

    /**
     * Binds {@code address} and serves. Fails with the bind's own exception (a
     * {@link java.net.BindException} for a port in use), after releasing the thread.
     */
    public MetricsServer(InetSocketAddress address, ChatMetrics metrics, int maxConnections,
            Duration requestTimeout) throws IOException {
        Exposition exposition = new Exposition(metrics,
                new RuntimeMetrics(ByteBufAllocator.DEFAULT, RuntimeMetrics.PROC_SELF_STATUS));
        initializer = new MetricsInitializer(metrics, new MetricsHandler(exposition), maxConnections,
                requestTimeout);
        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("chat-metrics"),
                NioIoHandler.newFactory());
        ChannelFuture bound = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(initializer)
                .bind(address)
                .awaitUninterruptibly();
        if (!bound.isSuccess()) {
            stopThread();
            Throwable cause = bound.cause();
            throw cause instanceof IOException io ? io : new IOException(cause.toString(), cause);
        }
        listener = bound.channel();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** Metrics connections open now. */
    public int connectionsOpen() {
        return initializer.open();
    }

    /** Stops listening and closes every metrics connection. */
    @Override
    public void close() {
        listener.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        stopThread();
    }

    private void stopThread() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
}
