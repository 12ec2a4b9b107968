package chat.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
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
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Promise;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Connects clients and takes each through the handshake: read {@code Enter your name:}, send a
 * unique name, wait for {@code You are NAME}. An {@code Error:} or {@code Disconnected:} line, a
 * close or the deadline fails that client; failures are counted, the first one kept.
 *
 * <p>Threading: the calling thread starts the connects, with at most {@link #IN_FLIGHT}
 * handshakes in flight; each client then lives on one of two event loops (epoll where available).
 * The role handler added after the handshake sees every line that follows {@code You are}.
 */
public final class Clients implements AutoCloseable {

    static final int IN_FLIGHT = 64;
    private static final int MAX_LINE = 64 * 1024;
    private static final long HANDSHAKE_MILLIS = 30_000;

    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();

    public Clients(String host, int port) {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        group = new MultiThreadIoEventLoopGroup(2, io);
        bootstrap = new Bootstrap().group(group)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .remoteAddress(host, port);
    }

    /** How a joined client is wired: its role handler, and what happens once it has joined. */
    public interface Role {
        ChannelHandler handler(int index);

        /** Whether the role handler gets lines (LF stripped) or the raw bytes. */
        default boolean lines() {
            return true;
        }

        /** Runs on the client's event loop right after {@code You are NAME}. */
        default void joined(Channel ch, int index) {
        }
    }

    /**
     * Connects and joins {@code n} clients named {@code prefix + i}; blocks until all are done or
     * have failed. A positive {@code rcvbuf} sets SO_RCVBUF before connecting. The list holds
     * null for each client that failed; it stops early when the deadline passes.
     */
    public List<Channel> join(int n, String prefix, int rcvbuf, Instant deadline, Role role) throws InterruptedException {
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
                    ch.pipeline().addLast(new LineBasedFrameDecoder(MAX_LINE, true, false),
                            new Handshake(name, done, role, index), role.handler(index));
                    ch.eventLoop().schedule(() -> done.tryFailure(new IllegalStateException(
                            "no 'You are " + name + "' within " + timeout + " ms")), timeout, TimeUnit.MILLISECONDS);
                }
            }).connect();
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

    /** Runs the name handshake, then leaves the pipeline. Runs on the client's event loop. */
    private static final class Handshake extends ChannelInboundHandlerAdapter {
        private final String name;
        private final Promise<Channel> done;
        private final Role role;
        private final int index;
        private boolean prompted;

        Handshake(String name, Promise<Channel> done, Role role, int index) {
            this.name = name;
            this.done = done;
            this.role = role;
            this.index = index;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            String line = ((ByteBuf) msg).toString(StandardCharsets.UTF_8);
            ((ByteBuf) msg).release();
            if (!prompted && line.equals("Enter your name:")) {
                prompted = true;
                ctx.writeAndFlush(ctx.alloc().buffer().writeBytes((name + "\n").getBytes(StandardCharsets.UTF_8)));
            } else if (line.equals("You are " + name)) {
                ctx.pipeline().remove(this);
                if (!role.lines()) {
                    ctx.pipeline().remove(LineBasedFrameDecoder.class);
                }
                role.joined(ctx.channel(), index);
                done.trySuccess(ctx.channel());
            } else if (line.startsWith("Error: ") || line.startsWith("Disconnected: ")) {
                done.tryFailure(new IllegalStateException(line));
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            done.tryFailure(new IllegalStateException("closed by the server during the handshake"));
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            done.tryFailure(cause);
            ctx.close();
        }
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
