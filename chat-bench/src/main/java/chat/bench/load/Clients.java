package chat.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Promise;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Connects clients and takes each through its {@link Protocol}'s handshake under a unique name; the
 * handshake's error lines, a close or the deadline fail that client. Failures are counted, the first
 * one kept. With several ports (a cluster's nodes) client {@code i} of a {@link #join} goes to port
 * {@code i mod n}: receivers are spread evenly, and so are publishers, so that every node publishes.
 *
 * <p>Threading: the calling thread starts the connects, with at most {@link #IN_FLIGHT}
 * handshakes in flight; each client then lives on one of two event loops (epoll where available).
 * The role handler added after the handshake sees every line that follows it.
 */
public final class Clients implements AutoCloseable {

    static final int IN_FLIGHT = 64;
    private static final long HANDSHAKE_MILLIS = 30_000;

    private final Protocol protocol;
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final String host;
    private final List<Integer> ports;
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();

    /** Clients of the chat server's own line protocol over plain TCP. */
    public static Clients lineNamed(String host, int port) {
        return new Clients(Protocol.named("line-named", host, port), host, List.of(port));
    }

    public Protocol protocol() {
        return protocol;
    }

    public Clients(Protocol protocol, String host, List<Integer> ports) {
        this.protocol = protocol;
        this.host = host;
        this.ports = List.copyOf(ports);
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        group = new MultiThreadIoEventLoopGroup(2, io);
        bootstrap = new Bootstrap().group(group)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
    }

    /** How a joined client is wired: its role handler, and what happens once it has joined. */
    public interface Role {
        ChannelHandler handler(int index);

        /**
         * Whether the role handler gets lines (line end stripped) or whatever the transport reads (the
         * bytes, or a WebSocket message's text).
         */
        default boolean lines() {
            return true;
        }

        /** Runs on the client's event loop right after the handshake. */
        default void joined(Channel ch, int index) {
        }
    }

    /**
     * Connects and joins {@code n} clients named {@code prefix + i} on {@code side}; blocks until all
     * are done or have failed. A positive {@code rcvbuf} sets SO_RCVBUF before connecting. The list
     * holds null for each client that failed; it stops early when the deadline passes.
     */
    public List<Channel> join(int n, String prefix, Protocol.Side side, int rcvbuf, Instant deadline, Role role)
            throws InterruptedException {
        Bootstrap b = rcvbuf > 0 ? bootstrap.clone().option(ChannelOption.SO_RCVBUF, rcvbuf) : bootstrap;
        List<Channel> joined = new ArrayList<>(n);
        List<Promise<Channel>> handshakes = new ArrayList<>(n);
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        for (int i = 0; i < n; i++) {
            if (Instant.now().isAfter(deadline)) {
                fail(prefix + i + ": deadline passed while connecting");
                handshakes.add(null);
                continue;
            }
            inFlight.acquire();
            Promise<Channel> done = group.next().newPromise();
            done.addListener(f -> inFlight.release());
            handshakes.add(done);
            String name = prefix + i;
            int index = i;
            long timeout = Math.min(HANDSHAKE_MILLIS, Math.max(1, deadline.toEpochMilli() - System.currentTimeMillis()));
            ChannelFuture connect = b.clone().handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    Handshake handshake = protocol.handshake(name, side).bind(done, ctx -> {
                        if (!role.lines()) {
                            removeIfPresent(ctx.pipeline(), Protocol.KEEPALIVE);
                            removeIfPresent(ctx.pipeline(), Protocol.LINES);
                        }
                        role.joined(ctx.channel(), index);
                    });
                    protocol.addTransport(ch.pipeline());
                    ch.pipeline().addLast(handshake, role.handler(index));
                    ch.eventLoop().schedule(() -> done.tryFailure(new IllegalStateException(
                            "no " + handshake.awaiting() + " within " + timeout + " ms")), timeout, TimeUnit.MILLISECONDS);
                }
            }).connect(host, ports.get(i % ports.size()));
            connect.addListener((ChannelFuture f) -> {
                if (!f.isSuccess()) {
                    done.tryFailure(f.cause());
                }
            });
            done.addListener(f -> {
                if (!f.isSuccess()) {
                    fail(name + ": " + f.cause().getMessage());
                    connect.channel().close();
                }
            });
        }
        for (Promise<Channel> done : handshakes) {
            joined.add(done != null && done.await().isSuccess() ? done.getNow() : null);
        }
        return joined;
    }

    public int failures() {
        return failures.get();
    }

    public String firstFailure() {
        return firstFailure.get();
    }

    private void fail(String why) {
        failures.incrementAndGet();
        firstFailure.compareAndSet(null, why);
    }

    private static void removeIfPresent(ChannelPipeline p, String name) {
        if (p.get(name) != null) {
            p.remove(name);
        }
    }

    public static void closeAll(List<Channel> channels) {
        for (Channel ch : channels) {
            if (ch != null) {
                ch.close();
            }
        }
        for (Channel ch : channels) {
            if (ch != null) {
                ch.closeFuture().awaitUninterruptibly(2, TimeUnit.SECONDS);
            }
        }
    }

    public static int count(List<Channel> channels) {
        int n = 0;
        for (Channel ch : channels) {
            if (ch != null) {
                n++;
            }
        }
        return n;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }

    /** Releases everything it reads. */
    public static final class Discard extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
