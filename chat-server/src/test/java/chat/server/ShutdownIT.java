package chat.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM with thousands of reading clients (PROTOCOL.md, "Running the server"; "Leaving"):
 * every one gets {@code Disconnected: server shutting down} and then a clean end of stream, not
 * a reset, those that flood control is holding back too; the process exits 0 within 5 s and
 * logs no warning on the way.
 */
class ShutdownIT {

    private static final int READERS = 2500;
    private static final int FLOODERS = 100;
    private static final String GOODBYE = "Disconnected: server shutting down";

    @Test
    void everyReadingClientGetsTheGoodbyeAndACleanCloseAndTheLogStaysQuiet() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try (JarProcess server = JarProcess.start(Map.of(), "--host", "127.0.0.1", "--port", "0",
                "--max-connections-per-ip", "5000")) {
            InetSocketAddress address = server.awaitListening();
            List<Client> clients = new ArrayList<>();
            CountDownLatch joined = new CountDownLatch(READERS + FLOODERS);
            CountDownLatch closed = new CountDownLatch(READERS + FLOODERS);
            for (int i = 0; i < READERS + FLOODERS; i++) {
                clients.add(new Client("s" + i, joined, closed));
            }
            Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class);
            for (Client c : clients) {
                c.connect(b, address);
            }
            assertThat(joined.await(60, TimeUnit.SECONDS)).as("all joined").isTrue();
            for (Client c : clients.subList(READERS, clients.size())) {
                c.flood(); // far over --burst: flood control holds their lines and stops reading them
            }

            long start = System.nanoTime();
            Integer exit = server.signal("TERM", Duration.ofSeconds(5));
            assertThat(exit).as("exit code within 5 s").isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(closed.await(10, TimeUnit.SECONDS)).as("every connection closed").isTrue();

            List<String> wrong = new ArrayList<>();
            for (Client c : clients) {
                if (!GOODBYE.equals(c.lastLine) || c.reset != null) {
                    wrong.add(c.name + ": last line " + c.lastLine + (c.reset == null ? "" : ", " + c.reset));
                }
            }
            assertThat(wrong).as("clients without the goodbye and a clean close").isEmpty();
            assertThat(server.stdoutAfterExit()).as("log lines at WARN or ERROR")
                    .noneMatch(line -> line.contains(" WARN ") || line.contains(" ERROR "));
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** One client that reads every line; its last line and how its connection ended are kept. */
    private static final class Client extends SimpleChannelInboundHandler<String> {
        final String name;
        final CountDownLatch joined;
        final CountDownLatch closed;
        volatile String lastLine;
        volatile String reset;
        Channel channel;

        Client(String name, CountDownLatch joined, CountDownLatch closed) {
            this.name = name;
            this.joined = joined;
            this.closed = closed;
        }

        void connect(Bootstrap b, InetSocketAddress address) {
            Client self = this;
            channel = b.clone().handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new LineBasedFrameDecoder(1 << 20),
                            new StringDecoder(StandardCharsets.UTF_8), self);
                }
            }).connect(address).syncUninterruptibly().channel();
            channel.writeAndFlush(ByteBufUtil.writeUtf8(channel.alloc(), name + "\n"));
        }

        void flood() {
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < 200; i++) {
                lines.append("flood ").append(i).append('\n');
            }
            channel.writeAndFlush(ByteBufUtil.writeUtf8(channel.alloc(), lines));
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, String line) {
            lastLine = line;
            if (line.equals("You are " + name)) {
                joined.countDown();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            reset = cause.toString();
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closed.countDown();
        }
    }
}
