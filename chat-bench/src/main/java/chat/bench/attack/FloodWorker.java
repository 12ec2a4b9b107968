package chat.bench.attack;

import chat.bench.load.Flags;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A child process of {@code metrics-flood} that holds one share of the idle connections, so that
 * no process needs more open files than its {@code ulimit -n}. It opens connections
 * {@code --from} to {@code --to} (exclusive) to 127.0.0.1:{@code --port}, connection i from
 * 127.0.0.(2 + i mod {@code --sources}), sends nothing and throws away whatever comes.
 *
 * <p>Talks to its parent by lines. Once connecting is over it prints
 * {@code connected C failed F skipped S}; then for each {@code status} line on stdin it prints
 * {@code open O closed X} (X: closed by the server). {@code stop} or the end of stdin (the parent
 * is gone) closes everything and exits 0; {@code --life} is a hard limit that exits 1.
 *
 * <p>Threading: the main thread connects and talks; the connections live on one event loop.
 */
public final class FloodWorker {

    private static final int IN_FLIGHT = 256;
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private final AtomicInteger connected = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger closedByServer = new AtomicInteger();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();
    private final ChannelGroup open = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private volatile boolean ending;

    private FloodWorker() {
    }

    public static void main(String[] args) throws Exception {
        int port = 0;
        int from = 0;
        int to = 0;
        int sources = 1;
        Duration connectTime = Duration.ofSeconds(60);
        Duration life = Duration.ofMinutes(5);
        for (Map.Entry<String, String> pair : Flags.pairs(args)) {
            String flag = pair.getKey();
            String value = pair.getValue();
            switch (flag) {
                case "--port" -> port = Flags.integer(flag, value);
                case "--from" -> from = Flags.integer(flag, value);
                case "--to" -> to = Flags.integer(flag, value);
                case "--sources" -> sources = Flags.integer(flag, value);
                case "--connect-time" -> connectTime = Flags.duration(flag, value);
                case "--life" -> life = Flags.duration(flag, value);
                default -> throw new IllegalArgumentException("unknown flag " + flag);
            }
        }
        long lifeMillis = life.toMillis();
        new Timer("watchdog", true).schedule(new TimerTask() {
            @Override
            public void run() {
                System.err.println("FloodWorker: --life " + lifeMillis / 1000 + "s passed; exiting");
                Runtime.getRuntime().halt(1);
            }
        }, lifeMillis);
        new FloodWorker().run(port, from, to, sources, connectTime);
    }

    private void run(int port, int from, int to, int sources, Duration connectTime) throws Exception {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, io);
        Idle idle = new Idle();
        Bootstrap b = new Bootstrap().group(group)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .handler(idle);
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", port);
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        long deadline = System.nanoTime() + connectTime.toNanos();
        int skipped = 0;
        for (int i = from; i < to; i++) {
            if (System.nanoTime() > deadline || !inFlight.tryAcquire(Math.max(0, deadline - System.nanoTime()),
                    TimeUnit.NANOSECONDS)) {
                skipped = to - i;
                break;
            }
            InetSocketAddress source = new InetSocketAddress("127.0.0." + (2 + i % sources), 0);
            b.connect(server, source).addListener((ChannelFuture f) -> {
                if (f.isSuccess()) {
                    connected.incrementAndGet();
                    open.add(f.channel());
                } else {
                    failed.incrementAndGet();
                    firstFailure.compareAndSet(null, String.valueOf(f.cause()));
                }
                inFlight.release(); // last: the count printed once all permits are back is complete
            });
        }
        // Connects still in flight end by their own timeout.
        inFlight.tryAcquire(IN_FLIGHT, CONNECT_TIMEOUT_MILLIS + 2_000, TimeUnit.MILLISECONDS);
        System.out.println("connected " + connected.get() + " failed " + failed.get() + " skipped " + skipped);
        System.out.flush();
        if (firstFailure.get() != null) {
            System.err.println("FloodWorker: first failure: " + firstFailure.get());
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        for (String line; (line = in.readLine()) != null && !line.equals("stop"); ) {
            if (line.equals("status")) {
                System.out.println("open " + open.size() + " closed " + closedByServer.get());
                System.out.flush();
            }
        }
        ending = true;
        open.close().awaitUninterruptibly(10, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        System.out.println("stopped");
        System.exit(0);
    }

    /** Every connection's only handler: discards what it reads, counts closes it did not ask for. */
    @Sharable
    private final class Idle extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!ending) {
                closedByServer.incrementAndGet();
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
