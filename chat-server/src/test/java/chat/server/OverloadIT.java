package chat.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Demand far past capacity (PROTOCOL.md, "Overload and big rooms"): 1,000 clients in one room,
 * each chatting at the default --rate (20 lines/s), ask for 20 M deliveries a second from a
 * server with a 96 MB heap and 64 MB of direct memory. The server must slow the senders down
 * rather than run out of memory, honest readers must get every honest line in order, and
 * SIGTERM must still end it with exit code 0 within 5 s.
 *
 * <p>The honest sender's lines are late (it sends 10 a second, above its fair share of what the
 * server can deliver under this load), but none is lost; the worst delay is printed, not asserted.
 */
class OverloadIT {

    private static final int CHATTERS = 1000;
    private static final Duration LOAD = Duration.ofSeconds(10);
    private static final int HONEST_LINES = 100; // 10 a second during the load

    @Test
    void demandPastCapacitySlowsSendersAndNeitherLosesHonestLinesNorRunsOutOfMemory() throws Exception {
        List<String> jvm = List.of("-Xmx96m", "-XX:MaxDirectMemorySize=64m", "-XX:+ExitOnOutOfMemoryError");
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (JarProcess server = JarProcess.start(jvm, Map.of(), "--host", "127.0.0.1", "--port", "0",
                "--max-connections-per-ip", "5000", "--announce-limit", "0", "--idle-timeout", "0")) {
            InetSocketAddress address = server.awaitListening();
            LineClient sender = LineClient.joined(address, "honest");
            List<LineClient> readers = List.of(LineClient.joined(address, "reader1"),
                    LineClient.joined(address, "reader2"));
            List<Channel> chatters = connectChatters(group, address);
            AtomicLong worstDelayNanos = new AtomicLong();
            ExecutorService readerThreads = Executors.newFixedThreadPool(readers.size() + 1);
            List<CompletableFuture<Void>> honestSeen = new ArrayList<>();
            for (LineClient r : readers) {
                honestSeen.add(CompletableFuture.runAsync(() -> readHonestLines(r, worstDelayNanos), readerThreads));
            }
            // The sender reads too (and throws it away): one that does not read is a slow reader.
            honestSeen.add(CompletableFuture.runAsync(() -> readHonestLines(sender, new AtomicLong()), readerThreads));
            readerThreads.shutdown();
            List<ScheduledFuture<?>> chatting = new ArrayList<>();
            for (Channel c : chatters) {
                chatting.add(c.eventLoop().scheduleAtFixedRate(() -> c.writeAndFlush(ByteBufUtil.writeUtf8(c.alloc(),
                        "x".repeat(80) + "\n")), 0, 50, TimeUnit.MILLISECONDS));
            }
            long period = LOAD.toNanos() / HONEST_LINES;
            long start = System.nanoTime();
            for (int i = 0; i < HONEST_LINES; i++) {
                long due = start + i * period;
                while (System.nanoTime() < due) {
                    Thread.onSpinWait();
                }
                sender.send("h " + i + " " + System.nanoTime());
            }
            chatting.forEach(f -> f.cancel(false));
            for (CompletableFuture<Void> seen : honestSeen) {
                seen.get(60, TimeUnit.SECONDS);
            }
            System.out.printf("overload: worst delay of an honest line %d ms%n", worstDelayNanos.get() / 1_000_000);

            Integer exit = server.signal("TERM", Duration.ofSeconds(5));
            assertThat(exit).as("exit code after SIGTERM within 5 s (3 would be an OutOfMemoryError)").isZero();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static List<Channel> connectChatters(EventLoopGroup group, InetSocketAddress server) {
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ReferenceCountUtil.release(msg); // reads everything, keeps nothing
                            }
                        });
                    }
                });
        List<Channel> chatters = new ArrayList<>(CHATTERS);
        for (int i = 0; i < CHATTERS; i++) {
            Channel c = b.connect(server).syncUninterruptibly().channel();
            c.writeAndFlush(ByteBufUtil.writeUtf8(c.alloc(), "c" + i + "\n"));
            chatters.add(c);
        }
        return chatters;
    }

    /** Reads until every honest line has come, in order, noting how late each was. */
    private static void readHonestLines(LineClient reader, AtomicLong worstDelayNanos) {
        try {
            int next = 0;
            while (next < HONEST_LINES) {
                String line = reader.readLine();
                if (line.startsWith("honest: h ")) {
                    String[] parts = line.split(" ");
                    assertThat(Integer.parseInt(parts[2])).as("honest lines in order, none lost").isEqualTo(next);
                    long delay = System.nanoTime() - Long.parseLong(parts[3]);
                    worstDelayNanos.accumulateAndGet(delay, Math::max);
                    next++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
