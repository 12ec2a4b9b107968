package chat.bench.attack;

import chat.bench.load.Clients;
import chat.bench.load.Protocol;
import chat.bench.load.PublisherHandler;
import chat.bench.load.ReceiverHandler;
import chat.bench.load.Report;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.HdrHistogram.Histogram;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The three honest clients beside every attack. Each joins {@code #lobby} as {@code honestK},
 * sends 10 numbered lines a second, each stamped with the time it was due ({@link PublisherHandler},
 * paced, so a send held back counts as delay), and reads everything ({@link ReceiverHandler});
 * its own echoes are left out. Delay is the due time to receipt by each of the other two. Phases
 * split the delays by when the lines were received; a line lost never counts as a delay but as
 * lost.
 *
 * <p>Threading: the runner's thread calls every method. The clients live on event loops of their
 * own, apart from the attackers', so that attack traffic in this process does not hold them up
 * (the CPU is still shared: the attack's own CPU time is reported beside the server's).
 */
final class HonestClients implements AutoCloseable {

    static final int COUNT = 3;
    private static final long INTERVAL_NANOS = 100_000_000L; // 10 lines a second
    private static final int MAX_LINES = 10 * 3600; // an hour's worth; stop() ends them sooner
    private static final Duration JOIN = Duration.ofSeconds(10);
    private static final Duration DRAIN = Duration.ofSeconds(10);

    private final Clients clients;
    private final Report report;
    private final int size;
    private final long origin = System.nanoTime();
    private final ReceiverHandler.Shared shared = new ReceiverHandler.Shared(origin);
    private final PublisherHandler[] publishers = new PublisherHandler[COUNT];
    private final ReceiverHandler[] receivers = new ReceiverHandler[COUNT];
    private List<Channel> channels = List.of();
    private Histogram phaseStart;

    HonestClients(String host, int port, int size, Report report) {
        this.clients = Clients.lineNamed(host, port);
        this.report = report;
        this.size = size;
        this.phaseStart = shared.latencyMicros.copy();
    }

    /** Joins the three and starts their lines; false (and the report's error) if one could not join. */
    boolean start() throws InterruptedException {
        channels = clients.join(COUNT, "honest", Protocol.Side.PUBLISHER, 0, Instant.now().plus(JOIN), new Clients.Role() {
            @Override
            public ChannelHandler handler(int index) {
                return new OthersOnly("honest" + index);
            }

            @Override
            public void joined(Channel ch, int index) {
                receivers[index] = new ReceiverHandler(shared, clients.protocol(), COUNT, MAX_LINES);
                publishers[index] = new PublisherHandler(index, origin, clients.protocol());
                ch.pipeline().addLast(receivers[index], publishers[index]);
            }
        });
        if (Clients.count(channels) < COUNT) {
            report.error("honest client could not join: " + clients.firstFailure());
            return false;
        }
        for (int i = 0; i < COUNT; i++) {
            publishers[i].start(channels.get(i), MAX_LINES, size, INTERVAL_NANOS);
        }
        return true;
    }

    /**
     * Puts how many lines the others received since the last phase ended ({@code honest_received_NAME})
     * and, if any, their worst delay ({@code honest_worst_ms_NAME}).
     */
    void endPhase(String name) {
        Histogram now = shared.latencyMicros.copy();
        Histogram phase = now.copy();
        phase.subtract(phaseStart);
        phaseStart = now;
        report.put("honest_received_" + name, phase.getTotalCount());
        if (phase.getTotalCount() > 0) {
            report.put("honest_worst_ms_" + name, phase.getMaxValue() / 1000.0, 1);
        }
    }

    /** Stops sending, waits until every line sent has arrived (or {@link #DRAIN}), and reports. */
    void finish() throws InterruptedException {
        for (int i = 0; i < COUNT; i++) {
            publishers[i].stop(channels.get(i));
        }
        Thread.sleep(200); // the last writes complete and count as sent
        long deadline = System.nanoTime() + DRAIN.toNanos();
        while (shared.unique.sum() < expected() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        endPhase("drain");
        collect();
    }

    private long expected() {
        long sent = 0;
        for (PublisherHandler p : publishers) {
            sent += p.sent();
        }
        return sent * (COUNT - 1);
    }

    private void collect() {
        long sent = 0;
        long lost = 0;
        long outOfOrder = 0;
        long duplicates = 0;
        int disconnected = 0;
        for (int r = 0; r < COUNT; r++) {
            sent += publishers[r].sent();
            outOfOrder += receivers[r].reorders();
            duplicates += receivers[r].duplicates();
            disconnected += receivers[r].closedByServer() ? 1 : 0;
            for (int p = 0; p < COUNT; p++) {
                if (p != r) {
                    lost += receivers[r].gaps(p) + receivers[r].tail(p, publishers[p].sent());
                }
            }
        }
        Histogram all = shared.latencyMicros;
        report.put("honest_lines_sent", sent);
        report.put("honest_deliveries_expected", expected());
        report.put("honest_deliveries_received", shared.unique.sum());
        report.put("honest_lost", lost);
        report.put("honest_out_of_order", outOfOrder);
        report.put("honest_duplicates", duplicates);
        report.put("honest_disconnected", disconnected);
        report.put("honest_p99_ms", all.getValueAtPercentile(99) / 1000.0, 1);
        report.put("honest_worst_ms", all.getMaxValue() / 1000.0, 1);
    }

    @Override
    public void close() {
        shared.ending = true;
        Clients.closeAll(channels);
        clients.close();
    }

    /** Drops the client's own echoes ({@code NAME: ...}); passes every other line on. Channel's event loop. */
    private static final class OthersOnly extends ChannelInboundHandlerAdapter {
        private final ByteBuf own;

        OthersOnly(String name) {
            own = Unpooled.copiedBuffer(name + ": ", StandardCharsets.US_ASCII);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf line = (ByteBuf) msg;
            if (AttackerHandler.startsWith(line, own)) {
                line.release();
            } else {
                ctx.fireChannelRead(msg);
            }
        }
    }
}
