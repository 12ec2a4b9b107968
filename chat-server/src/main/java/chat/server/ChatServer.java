package chat.server;

import chat.protocol.Names;
import chat.protocol.RoomNames;
import chat.protocol.ServerLines;
import chat.server.chat.Broadcaster;
import chat.server.metrics.DisconnectReason;
import chat.server.cluster.LocalBus;
import chat.server.cluster.RedisCluster;
import chat.server.cluster.RedisCluster.Settings;
import chat.server.config.Listeners;
import chat.server.config.ServerConfig;
import chat.server.delivery.Goodbye;
import chat.server.history.InMemoryHistory;
import chat.server.metrics.ChatMetrics;
import chat.server.metrics.MetricsServer;
import chat.server.transport.ChatServerInitializer;
import chat.server.transport.ConnectionLimits;
import chat.server.transport.OpenFileBudget;
import chat.server.transport.tls.TlsChannelInitializer;
import chat.server.transport.tls.TlsContext;
import chat.server.transport.web.WebChannelInitializer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelHandler;
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
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The chat server: binds its listeners (plain TCP, TLS, web; one set of connection limits for
 * all), runs until stopped, and shuts down gracefully (every connection gets
 * {@code Disconnected: server shutting down}, then closes). {@code chat.server.cli.Main} runs
 * it until SIGTERM or SIGINT and exits 0.
 *
 * <p>Native epoll where available, NIO otherwise. One event loop per core carries the
 * connections; one more thread, the chat executor, owns the chat.
 */
public final class ChatServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChatServer.class);
    private static final long GOODBYE_WAIT_MILLIS = Goodbye.GRACE_MILLIS + 500;

    private final MultiThreadIoEventLoopGroup group;
    private final EventExecutor chatExecutor;
    private final Broadcaster broadcaster;
    private final ChatMetrics metrics;
    private final ChannelGroup connections;
    private final TlsContext tls;
    private final Channel listener;
    private final Channel tlsListener;
    private final Channel webListener;
    private final MetricsServer metricsServer;
    private final RedisCluster cluster;

    private ChatServer(ServerConfig config) throws InterruptedException {
        // ICU builds its confusable tables on first use (~0.2 s): not while the first client waits.
        Names.isValid("warm-up");
        Listeners at = config.listeners();
        // TLS: a bad certificate or key is one line and exit 2, before anything is bound.
        tls = at.tls().map(TlsContext::load).orElse(null);
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelType =
                epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        group = new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("chat-io"), io);
        chatExecutor = new DefaultEventExecutor(new DefaultThreadFactory("chat-broadcaster"));
        metrics = new ChatMetrics();
        cluster = config.cluster().enabled() ? connect(config) : null;
        broadcaster = new Broadcaster(chatExecutor, config, metrics,
                new InMemoryHistory(config.history().lines()), new LocalBus(), System::currentTimeMillis, cluster);
        if (cluster != null) {
            joinCluster(config);
        }
        connections = new DefaultChannelGroup("connections", chatExecutor);
        ConnectionLimits limits = new ConnectionLimits(OpenFileBudget.fit(config.limits(), OpenFileBudget.processLimit()));
        metrics.countConnectionsWith(limits::open);
        // Every listener shares the initializer, so the connection limits count them together.
        ChatServerInitializer initializer = new ChatServerInitializer(config, broadcaster, metrics, limits,
                connections);
        try {
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(group)
                    .channel(channelType)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    // Leaving: EOF ends input only, so replies to a script's last lines still go out.
                    .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                            new WriteBufferWaterMark(config.slowReaders().writeBufferLow(),
                                    config.slowReaders().writeBufferHigh()));
            listener = at.port() == Listeners.PORT_OFF ? null
                    : bind(bootstrap, initializer, at.host(), at.port());
            tlsListener = tls == null || !at.tls().get().listens() ? null
                    : bind(bootstrap, new TlsChannelInitializer(tls, initializer), at.host(), at.tls().get().port());
            webListener = at.web().isEmpty() ? null
                    : bind(bootstrap, new WebChannelInitializer(at.web().get(), config.limits().maxLineBytes(),
                            initializer::admitWebConnection, initializer::addWebChatHandlers, tls),
                            at.host(), at.web().get().port());
            metricsServer = at.metricsEnabled() ? startMetrics(at) : null;
        } catch (InterruptedException | RuntimeException e) {
            shutDownThreads(); // closes whatever was bound
            throw e;
        }
        log.info("transport: {}, {} event loops", epoll ? "epoll" : "nio", group.executorCount());
    }

    private static Channel bind(ServerBootstrap bootstrap, ChannelHandler childHandler, String host, int port)
            throws InterruptedException {
        try {
            return bootstrap.clone().childHandler(childHandler)
                    .bind(new InetSocketAddress(host, port)).sync().channel();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) { // Running the server: a port in use is one line naming the port
            throw new ChannelException("cannot listen on " + hostForLog(host) + ":" + port + ": "
                    + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
        }
    }

    // Running the server: a metrics port that cannot be bound is reported as the metrics port.
    private MetricsServer startMetrics(Listeners at) {
        try {
            return new MetricsServer(new InetSocketAddress(at.metricsHost(), at.metricsPort()), metrics,
                    MetricsServer.DEFAULT_MAX_CONNECTIONS, MetricsServer.DEFAULT_REQUEST_TIMEOUT);
        } catch (IOException e) {
            throw new CannotListenException(at.metricsHost(), at.metricsPort(), "metrics", e);
        }
    }

    /** Clusters: connects to Redis; this server's chat is not up in the cluster until {@link #joinCluster}. */
    private RedisCluster connect(ServerConfig config) {
        String uri = config.cluster().redis().orElseThrow();
        Settings settings = new Settings(config.cluster().nodeTimeout(), config.limits().announceLimit(),
                RoomNames.key(RoomNames.LOBBY), RoomNames.LOBBY, RoomNames.skeleton(RoomNames.LOBBY));
        try {
            return new RedisCluster(uri, settings, chatExecutor, metrics::clusterUp);
        } catch (RuntimeException e) {
            shutDownThreads();
            throw new CannotJoinClusterException(uri, e);
        }
    }

    /** Joins the cluster (catches up on its rooms) before anyone can connect. */
    private void joinCluster(ServerConfig config) throws InterruptedException {
        try {
            cluster.start(broadcaster.clusterNode());
        } catch (RuntimeException e) {
            shutDownThreads();
            throw new CannotJoinClusterException(config.cluster().redis().orElseThrow(), e);
        }
    }

    /**
     * Binds and starts serving; fails if an address cannot be bound (the metrics port's with a
     * {@link CannotListenException}).
     */
    public static ChatServer start(ServerConfig config) throws InterruptedException {
        return new ChatServer(config);
    }

    /** Where plain TCP is served, or null with {@code --port off}. */
    public InetSocketAddress address() {
        return listener == null ? null : (InetSocketAddress) listener.localAddress();
    }

    /** Where TLS is served, or null without {@code --tls-port}. */
    public InetSocketAddress tlsAddress() {
        return tlsListener == null ? null : (InetSocketAddress) tlsListener.localAddress();
    }

    /** Where the web page and {@code /ws} are served, or null without {@code --web-port}. */
    public InetSocketAddress webAddress() {
        return webListener == null ? null : (InetSocketAddress) webListener.localAddress();
    }

    /** Where /metrics is served, or null when --metrics-port is not set. */
    public InetSocketAddress metricsAddress() {
        return metricsServer == null ? null : metricsServer.address();
    }

    /** SIGHUP: new connections get the certificate and key as the files now hold them; why not, if not. */
    public Optional<String> reloadTls() {
        if (tls == null) {
            log.info("SIGHUP: nothing to reload (no --tls-cert)");
            return Optional.of("no --tls-cert to reload");
        }
        return tls.reload();
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
        for (Channel l : new Channel[] {listener, tlsListener, webListener}) {
            if (l != null) {
                l.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
            }
        }
        if (metricsServer != null) {
            metricsServer.close();
        }
        broadcaster.stop().awaitUninterruptibly(1, TimeUnit.SECONDS);
        if (cluster != null) {
            cluster.goodbye(); // the other servers announce this one's clients as left now
        }
        log.debug("closing {} connections: {}", connections.size(), DisconnectReason.SHUTDOWN);
        String goodbye = ServerLines.disconnectedShuttingDown();
        for (Channel ch : connections) {
            Goodbye.send(ch, goodbye);
        }
        // Each connection closes once its client has the line and has closed too, or after the grace.
        connections.newCloseFuture().awaitUninterruptibly(GOODBYE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        connections.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        if (cluster != null) {
            cluster.close();
        }
        shutDownThreads();
    }

    // The event loops first: their last channelInactive events still hand work to the chat executor.
    private void shutDownThreads() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
        chatExecutor.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(1, TimeUnit.SECONDS);
    }

    /** An address as the log shows it: IPv6 in brackets. */
    public static String hostForLog(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }
}
