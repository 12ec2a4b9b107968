package chat.server;

import chat.protocol.Names;
import chat.protocol.ServerLines;
import chat.server.chat.Broadcaster;
import chat.server.chat.DisconnectReason;
import chat.server.cluster.LocalBus;
import chat.server.config.ServerConfig;
import chat.server.history.InMemoryHistory;
import chat.server.metrics.ChatMetrics;
import chat.server.metrics.MetricsServer;
import chat.server.transport.ChatServerInitializer;
import chat.server.transport.ConnectionLimits;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The chat server: binds, runs until stopped, and shuts down gracefully (every connection gets
 * {@code Disconnected: server shutting down}, then closes). {@code chat.server.cli.Main} runs it
 * until SIGTERM or SIGINT and exits 0.
 *
 * <p>Native epoll where available, NIO otherwise. One event loop per core carries the
 * connections; one more thread, the Broadcaster's, owns the chat.
 */
public final class ChatServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChatServer.class);
    private static final long GOODBYE_WAIT_MILLIS = 1_500;

    private final MultiThreadIoEventLoopGroup group;
    private final EventExecutor chatExecutor;
    private final Broadcaster broadcaster;
    private final ChatMetrics metrics;
    private final ChannelGroup connections;
    private final Channel listener;
    private final MetricsServer metricsServer;

    private ChatServer(ServerConfig config) throws InterruptedException {
        // ICU builds its confusable tables on first use (~0.2 s): not while the first client waits.
        Names.isValid("warm-up");
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelType =
                epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        group = new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("chat-io"), io);
        chatExecutor = new DefaultEventExecutor(new DefaultThreadFactory("chat-broadcaster"));
        metrics = new ChatMetrics();
        broadcaster = new Broadcaster(chatExecutor, config, metrics,
                new InMemoryHistory(config.history().lines()), new LocalBus(), System::currentTimeMillis);
        connections = new DefaultChannelGroup("connections", chatExecutor);
        ConnectionLimits limits = new ConnectionLimits(config.limits().maxConnections(),
                config.limits().maxConnectionsPerIp());
        metrics.countConnectionsWith(limits::open);
        ChatServerInitializer initializer = new ChatServerInitializer(config, broadcaster, metrics, limits,
                connections);
        try {
            listener = new ServerBootstrap()
                    .group(group)
                    .channel(channelType)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    // Leaving: EOF ends input only, so replies to a script's last lines still go out.
                    .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                            new WriteBufferWaterMark(config.slowReaders().writeBufferLow(),
                                    config.slowReaders().writeBufferHigh()))
                    .childHandler(initializer)
                    .bind(new InetSocketAddress(config.listeners().host(), config.listeners().port()))
                    .sync()
                    .channel();
            metricsServer = config.listeners().metricsEnabled() ? startMetrics(config) : null;
        } catch (InterruptedException | RuntimeException e) {
            shutDownThreads(); // closes whatever was bound
            throw e;
        }
        log.info("transport: {}, {} event loops", epoll ? "epoll" : "nio", group.executorCount());
    }

    // Running the server: a metrics port that cannot be bound is reported as the metrics port.
    private MetricsServer startMetrics(ServerConfig config) {
        String host = config.listeners().metricsHost();
        int port = config.listeners().metricsPort();
        try {
            return new MetricsServer(new InetSocketAddress(host, port), metrics,
                    MetricsServer.DEFAULT_MAX_CONNECTIONS, MetricsServer.DEFAULT_REQUEST_TIMEOUT);
        } catch (IOException e) {
            throw new CannotListenException(host, port, "metrics", e);
        }
    }

    /**
     * Binds and starts serving; fails if an address cannot be bound (the metrics port's with a
     * {@link CannotListenException}).
     */
    public static ChatServer start(ServerConfig config) throws InterruptedException {
        return new ChatServer(config);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** Where /metrics is served, or null when --metrics-port is not set. */
    public InetSocketAddress metricsAddress() {
        return metricsServer == null ? null : metricsServer.address();
    }

    public ChatMetrics metrics() {
        return metrics;
    }

    /**
     * Stops accepting, stops all chat traffic, says goodbye to every connection and closes it.
     * Blocks for a few seconds at most, however many clients do not read.
     */
    @Override
    public void close() {
        listener.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        if (metricsServer != null) {
            metricsServer.close();
        }
        broadcaster.stop().awaitUninterruptibly(1, TimeUnit.SECONDS);
        log.debug("closing {} connections: {}", connections.size(), DisconnectReason.SHUTDOWN);
        connections.writeAndFlush(ServerLines.disconnectedShuttingDown())
                .awaitUninterruptibly(GOODBYE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        connections.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        shutDownThreads();
    }

    // The event loops first: their last channelInactive events still hand work to the Broadcaster.
    private void shutDownThreads() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
        chatExecutor.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(1, TimeUnit.SECONDS);
    }

    /** An address as the log shows it: IPv6 in brackets. */
    public static String hostForLog(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }
}
