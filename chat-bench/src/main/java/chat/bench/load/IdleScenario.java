package chat.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ByteProcessor;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The {@code idle} scenario: K joined connections that send nothing and read everything. Its
 * figure is the server's RSS growth per connection, measured once a probe's SYNC line has reached
 * every connection (so each is joined and the arrival notices before it were delivered) and the
 * server has then been quiet for 1 s, both within {@link #SETTLE}.
 *
 * <p>Threading: runs on the caller's thread; the idle clients count bytes on their event loops,
 * and a timer thread prints progress while connecting.
 */
final class IdleScenario {

    private static final Duration SETTLE = Duration.ofSeconds(15);
    private static final byte[] SYNC_MARK = {'S', 'Y', 'N', 'C', ' '};

    private final LoadOptions o;
    private final Protocol protocol;
    private final Clients clients;
    private final Report report;
    private final LongAdder bytesIn = new LongAdder();
    private volatile boolean ending;

    IdleScenario(LoadOptions o, Protocol protocol, Clients clients, Report report) {
        this.o = o;
        this.protocol = protocol;
        this.clients = clients;
        this.report = report;
    }

    void run() throws InterruptedException {
        int k = o.conns();
        report.put("idle_target", k);
        Thread.sleep(300);
        long before = ProcStats.rssKiB(o.serverPids());
        report.put("server_rss_before_kib", before);
        double cpu0 = ProcStats.cpuSeconds(o.serverPids());
        double self0 = ProcStats.selfCpuSeconds();
        ProcStats rss = ProcStats.watch(o.serverPids());
        IdleClient[] idle = new IdleClient[k];
        AtomicInteger joined = new AtomicInteger();
        List<Channel> channels = new ArrayList<>();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "progress");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(() -> Report.progress("idle: %d of %d joined, %d failed, %.1f MiB received",
                joined.get(), k, clients.failures(), bytesIn.sum() / 1048576.0), 3, 3, TimeUnit.SECONDS);
        try {
            long start = System.nanoTime();
            channels.addAll(clients.join(k, "i", Protocol.Side.RECEIVER, 0, Instant.now().plus(o.timeout()), new Clients.Role() {
                @Override
                public ChannelHandler handler(int index) {
                    return idle[index] = new IdleClient();
                }

                @Override
                public boolean lines() {
                    return false;
                }

                @Override
                public void joined(Channel ch, int index) {
                    joined.incrementAndGet();
                }
            }));
            report.put("connect_s", (System.nanoTime() - start) / 1e9, 2);
            List<IdleClient> live = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                if (channels.get(i) != null) {
                    live.add(idle[i]);
                }
            }
            report.put("idle_connected", live.size());
            if (clients.failures() > 0) {
                report.put("connect_errors", clients.failures());
                report.put("first_connect_error", clients.firstFailure());
            }
            if (live.isEmpty()) {
                report.error("no connection: " + clients.firstFailure());
                return;
            }
            Instant settleDeadline = Instant.now().plus(SETTLE);
            confirm(live, settleDeadline, channels);
            settle(settleDeadline);
            report.put("idle_bytes_received", bytesIn.sum());
            long after = ProcStats.rssKiB(o.serverPids());
            report.put("server_rss_after_kib", after);
            report.put("server_rss_peak_kib", rss.peakKiB());
            report.put("server_cpu_s", ProcStats.cpuSeconds(o.serverPids()) - cpu0, 2);
            report.put("loadgen_cpu_s", ProcStats.selfCpuSeconds() - self0, 2);
            if (before >= 0 && after >= 0) {
                report.put("server_rss_growth_kib", after - before);
                report.put("kib_per_conn", (after - before) / (double) live.size(), 2);
            }
            if (live.size() < k) {
                report.note("only " + live.size() + " of " + k + " connections made within " + o.timeout().toSeconds() + "s");
            }
            int dropped = 0;
            for (IdleClient c : live) {
                dropped += c.closedByServer ? 1 : 0;
            }
            if (dropped > 0) {
                report.put("receivers_disconnected", dropped);
                report.note(dropped + " idle connections were closed by the server");
            }
        } finally {
            ticker.shutdownNow();
            rss.close();
            ending = true;
            Clients.closeAll(channels);
        }
    }

    /** A probe publishes SYNC lines until every idle client has seen one. */
    private void confirm(List<IdleClient> live, Instant deadline, List<Channel> opened) throws InterruptedException {
        Channel probe = clients.join(1, "probe", Protocol.Side.PUBLISHER, 0, deadline, i -> new Clients.Discard()).get(0);
        if (probe == null) {
            report.note("probe could not connect: " + clients.firstFailure());
            return;
        }
        opened.add(probe);
        int confirmed = 0;
        for (int k = 0; ; k++) {
            confirmed = 0;
            for (IdleClient c : live) {
                confirmed += c.synced ? 1 : 0;
            }
            if (confirmed == live.size() || Instant.now().isAfter(deadline)) {
                break;
            }
            if (k % 25 == 0) {
                protocol.publish(probe, Payloads.sync(k, o.size()));
            }
            Thread.sleep(20);
        }
        report.put("idle_joined_confirmed", confirmed);
        if (confirmed < live.size()) {
            report.note("only " + confirmed + " of " + live.size() + " connections confirmed joined within "
                    + SETTLE.toSeconds() + "s");
        }
    }

    /** Waits until no byte has arrived for 1 s, or the deadline. */
    private void settle(Instant deadline) throws InterruptedException {
        long last = -1;
        long quietSince = System.nanoTime();
        while (true) {
            long total = bytesIn.sum();
            if (total != last) {
                last = total;
                quietSince = System.nanoTime();
            }
            if (System.nanoTime() - quietSince >= 1_000_000_000L) {
                report.put("settled", true);
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                report.put("settled", false);
                report.note("server still sending when measured (" + SETTLE.toSeconds() + "s settle time)");
                return;
            }
            Thread.sleep(100);
        }
    }

    /**
     * One idle connection: counts what it reads (bytes; through the WebSocket gateway, the text of
     * each message) and looks for {@code SYNC } in it, across reads too. Runs on its channel's event loop; {@link #synced} is read by the scenario.
     */
    private final class IdleClient extends ChannelInboundHandlerAdapter implements ByteProcessor {
        volatile boolean synced;
        volatile boolean closedByServer;
        private int matched;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            bytesIn.add(buf.readableBytes());
            if (!synced) {
                buf.forEachByte(this);
            }
            buf.release();
        }

        @Override
        public boolean process(byte b) {
            matched = b == SYNC_MARK[matched] ? matched + 1 : (b == 'S' ? 1 : 0);
            if (matched == SYNC_MARK.length) {
                synced = true;
                return false;
            }
            return true;
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closedByServer = !ending;
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
