package chat.server;

import chat.protocol.ServerLines;
import chat.server.cli.ServerCommand;
import chat.server.transport.tls.TlsChannelInitializer;
import chat.server.transport.tls.TlsContext;
import chat.server.transport.web.WebChannelInitializer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
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
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The chat server: binds, runs until stopped, and shuts down gracefully (every connection gets
 * {@code Disconnected: server shutting down}, then closes). {@link #main} runs it until SIGTERM
 * or SIGINT and exits 0.
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
    private final Channel metricsListener;
    // TLS and web (null when off)
    private final TlsContext tls;
    private final Channel tlsListener;
    private final Channel webListener;

    private ChatServer(ServerConfig config) throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelType =
                epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        group = new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("chat-io"), io);
        chatExecutor = new DefaultEventExecutor(new DefaultThreadFactory("chat-broadcaster"));
        metrics = new ChatMetrics();
        broadcaster = new Broadcaster(chatExecutor, metrics, config.nameTimeout());
        connections = new DefaultChannelGroup("connections", chatExecutor);
        ChatServerInitializer initializer = new ChatServerInitializer(config, broadcaster, metrics, connections);
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
                            new WriteBufferWaterMark(config.writeBufferLow(), config.writeBufferHigh()));
            // TLS and web: every listener shares the initializer, so connection limits count them together.
            tls = config.tls().map(TlsContext::load).orElse(null);
            listener = config.port() == ServerConfig.PORT_OFF ? null
                    : bind(bootstrap, initializer, config.host(), config.port());
            tlsListener = tls == null || !config.tls().get().listens() ? null
                    : bind(bootstrap, new TlsChannelInitializer(tls, initializer), config.host(),
                            config.tls().get().port());
            webListener = config.web().isEmpty() ? null
                    : bind(bootstrap, new WebChannelInitializer(config.web().get(), config.maxLineBytes(),
                            initializer::admitWebConnection, initializer::addWebChatHandlers, tls),
                            config.host(), config.web().get().port());
            metricsListener = config.metricsPort() == ServerConfig.METRICS_OFF ? null
                    : bindMetrics(config, channelType);
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

    private Channel bindMetrics(ServerConfig config, Class<? extends ServerChannel> channelType)
            throws InterruptedException {
        MetricsHandler handler = new MetricsHandler(metrics);
        return new ServerBootstrap()
                .group(group)
                .channel(channelType)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192), handler);
                    }
                })
                .bind(new InetSocketAddress(config.host(), config.metricsPort()))
                .sync()
                .channel();
    }

    /** Binds and starts serving; fails if the address cannot be bound. */
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

    /** SIGHUP: new connections get the certificate and key as the files now hold them; why not, if not. */
    public Optional<String> reloadTls() {
        if (tls == null) {
            log.info("SIGHUP: nothing to reload (no --tls-cert)");
            return Optional.of("no --tls-cert to reload");
        }
        return tls.reload();
    }

    /** Where /metrics is served, or null when --metrics-port is not set. */
    public InetSocketAddress metricsAddress() {
        return metricsListener == null ? null : (InetSocketAddress) metricsListener.localAddress();
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
        if (metricsListener != null) {
            metricsListener.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
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

    public static void main(String[] args) throws InterruptedException {
        ServerCommand.Outcome parsed = ServerCommand.parse(args, System.getenv(), System.out, System.err);
        if (parsed.config() == null) {
            System.exit(parsed.exitCode());
        }
        ServerConfig config = parsed.config();
        ChatServer server;
        try {
            server = start(config);
        } catch (IllegalArgumentException e) { // TLS: a missing or unreadable certificate or key
            System.err.println("chat-server: " + e.getMessage());
            System.exit(2);
            return;
        } catch (Exception e) {
            System.err.println("chat-server: " + (e instanceof ChannelException ? e.getMessage()
                    : "cannot listen on " + hostForLog(config.host()) + ":" + config.port() + ": " + e));
            System.exit(1);
            return;
        }
        if (server.address() != null) {
            log.info("listening on {}:{}", hostForLog(config.host()), server.address().getPort());
        }
        if (server.tlsAddress() != null) {
            log.info("listening on {}:{} (tls)", hostForLog(config.host()), server.tlsAddress().getPort());
        }
        if (server.webAddress() != null) {
            log.info("listening on {}:{} (web)", hostForLog(config.host()), server.webAddress().getPort());
        }
        if (server.metricsAddress() != null) {
            log.info("metrics on http://{}:{}/metrics", hostForLog(config.host()), server.metricsAddress().getPort());
        }
        CountDownLatch stopSignal = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), s -> stopSignal.countDown());
        Signal.handle(new Signal("INT"), s -> stopSignal.countDown());
        Signal.handle(new Signal("HUP"), s -> server.reloadTls()); // TLS: it logs what came of it
        stopSignal.await();
        log.info("shutting down: {} connections open", server.metrics().connectionsOpen());
        server.close();
        log.info("stopped");
        System.exit(0);
    }

    private static String hostForLog(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }
}
