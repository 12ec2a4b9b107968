package chat.bench;

import chat.server.chat.Broadcaster;
import chat.server.chat.Session;
import chat.server.cluster.LocalBus;
import chat.server.config.History;
import chat.server.config.ServerConfig;
import chat.server.history.InMemoryHistory;
import chat.server.metrics.ChatMetrics;
import chat.server.transport.ServerLineEncoder;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * How many chat lines per second does the Broadcaster fan out to N joined members, counted only
 * once every member has received them? Score: lines per second; deliveries per second are that
 * times {@code members} (the publisher is a member and gets its own lines back).
 *
 * <p>Setup: a real {@link Broadcaster} (through its public seams) on its own {@link DefaultEventExecutor}; each member a
 * pair of local channels on two event loops (the server's two cores) whose server end carries
 * the server's outbound encoder, and whose client end counts the chat lines it receives. Members
 * join through the Broadcaster by name, so FanOut, batching and the slow-reader checks are the
 * server's own; no sockets, no decoding of the publisher's input.
 *
 * <p>Threading: the benchmark thread hands a burst of lines to the Broadcaster and waits until
 * every member's event loop has counted all of them. Lines the Broadcaster drops (it should not
 * with local channels) are reported as {@code droppedLines}; a burst that does not arrive within
 * 30 s fails the run rather than be counted.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(FanOutBenchmark.BURST)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FanOutBenchmark {

    static final int BURST = 100;
    private static final int JOIN_STEP = 200;
    // Only the publisher's chat lines start with 'p': members are m1, m2, ... and the publisher
    // joins first, so no one is told "p has arrived".
    private static final String PUBLISHER = "p";
    private static final byte CHAT_LINE_START = 'p';

    // Joining K members costs O(K^2) arrival lines, so 10000 takes long to set up.
    @Param({"10", "1000", "5000"})
    int members;

    /** Lines kept per room: 0 is the version 1 fan-out, 100 the default with history. */
    @Param({"0", "100"})
    int history;

    EventLoopGroup loops;
    EventExecutor chatExecutor;
    ChatMetrics metrics;
    Broadcaster broadcaster;
    Session publisher;
    Channel serverChannel;
    List<Channel> clients;
    String text;
    volatile Round round;

    /** Lines the Broadcaster dropped instead of delivering. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Drops {
        public long droppedLines;

        @Setup(Level.Iteration)
        public void reset() {
            droppedLines = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws InterruptedException {
        loops = new MultiThreadIoEventLoopGroup(2, LocalIoHandler.newFactory());
        chatExecutor = new DefaultEventExecutor();
        metrics = new ChatMetrics();
        ServerConfig config = ServerConfig.DEFAULTS.with(new History(history, 0));
        broadcaster = new Broadcaster(chatExecutor, config, metrics, new InMemoryHistory(history), new LocalBus(),
                System::currentTimeMillis);
        text = "x".repeat(61); // "p: " + 61 + LF = 64 bytes on the wire

        BlockingQueue<Channel> accepted = new LinkedBlockingQueue<>();
        LocalAddress address = new LocalAddress("fanout-bench");
        serverChannel = new ServerBootstrap().group(loops).channel(LocalServerChannel.class)
                .childHandler(new ChannelInitializer<LocalChannel>() {
                    @Override
                    protected void initChannel(LocalChannel ch) {
                        ch.pipeline().addLast(ServerLineEncoder.INSTANCE);
                        accepted.add(ch);
                    }
                })
                .bind(address).sync().channel();
        Bootstrap connector = new Bootstrap().group(loops).channel(LocalChannel.class)
                .handler(new ChannelInitializer<LocalChannel>() {
                    @Override
                    protected void initChannel(LocalChannel ch) {
                        ch.pipeline().addLast(new ChatLineCounter());
                    }
                });
        clients = new ArrayList<>(members);
        try {
            for (int i = 0; i < members; i++) {
                // Explicit client addresses: generated ones can collide among thousands of channels.
                clients.add(connector.connect(address, new LocalAddress("fanout-bench-m" + i)).sync().channel());
                Session m = new Session(accepted.take(), () -> { });
                if (i == 0) {
                    publisher = m;
                }
                broadcaster.received(m, i == 0 ? PUBLISHER : "m" + i);
                // Join in steps, each delivered before the next: all at once, the arrival notices
                // pile up past the high water mark and the Broadcaster drops lines.
                if ((i + 1) % JOIN_STEP == 0 || i + 1 == members) {
                    publish(1, i + 1);
                }
            }
        } catch (InterruptedException | RuntimeException e) {
            tearDown();
            throw e;
        }
    }

    @Benchmark
    public void fanOut(Drops drops) throws InterruptedException {
        long droppedBefore = metrics.linesDropped();
        publish(BURST, members);
        drops.droppedLines += metrics.linesDropped() - droppedBefore;
    }

    /** Publishes {@code lines} and waits until the first {@code joined} members have them all. */
    private void publish(int lines, int joined) throws InterruptedException {
        Round r = new Round(lines, joined);
        round = r;
        for (int i = 0; i < lines; i++) {
            broadcaster.received(publisher, text);
        }
        if (!r.done.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(r.done.getCount() + " of " + joined
                    + " members did not get all " + lines + " lines within 30s; dropped so far: "
                    + metrics.linesDropped());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        // Channels first, then their event loops, then the Broadcaster's executor: the loops
        // report finished batches to it.
        for (Channel c : clients) {
            c.close().awaitUninterruptibly();
        }
        serverChannel.close().awaitUninterruptibly();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        chatExecutor.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** One burst: every member counts down once it has received {@code lines} chat lines. */
    static final class Round {
        final int lines;
        final CountDownLatch done;

        Round(int lines, int members) {
            this.lines = lines;
            this.done = new CountDownLatch(members);
        }
    }

    /** A member's client end: counts chat lines per round. Runs on its channel's event loop. */
    private final class ChatLineCounter extends ChannelInboundHandlerAdapter {
        private Round current;
        private int count;
        private boolean atLineStart = true;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                int lines = countChatLines(buf);
                Round r = round;
                if (lines == 0 || r == null) {
                    return;
                }
                // The previous round had fully arrived before this one began.
                if (r != current) {
                    current = r;
                    count = 0;
                }
                count += lines;
                if (count == r.lines) {
                    r.done.countDown();
                }
            } finally {
                buf.release();
            }
        }

        private int countChatLines(ByteBuf buf) {
            int n = 0;
            int i = buf.readerIndex();
            int end = buf.writerIndex();
            while (i < end) {
                if (atLineStart && buf.getByte(i) == CHAT_LINE_START) {
                    n++;
                }
                int lf = buf.indexOf(i, end, (byte) '\n');
                atLineStart = lf >= 0;
                i = lf < 0 ? end : lf + 1;
            }
            return n;
        }
    }

    // Run: java -jar chat-bench/target/benchmarks.jar FanOut -p members=1000 -p history=0,100
}
