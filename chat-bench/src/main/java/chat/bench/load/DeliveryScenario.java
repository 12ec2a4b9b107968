package chat.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * The scenarios that count deliveries, as in {@code peers/loadgen/bench.go}: {@code fanout}
 * (publishers as fast as possible), {@code latency} (paced, stamped with the scheduled send
 * time) and {@code slow} (fanout with stalled receivers that were filled beyond what the kernel
 * buffers before the healthy receivers joined).
 *
 * <p>Order: stalled receivers, publishers, fill, receivers, barrier (SYNC lines until every
 * receiver has seen one), measured phase, liveness probe when not everything arrived. Missing
 * messages below the highest one a receiver got from a publisher are lost; those above it are
 * lost when the run completed or drained with the server alive, and undelivered otherwise.
 *
 * <p>Threading: runs on the caller's thread, which polls the receivers' shared totals every
 * 20 ms; clients live on the {@link Clients} event loops.
 */
final class DeliveryScenario {

    private static final Duration SETUP = Duration.ofSeconds(120);
    private static final Duration BARRIER = Duration.ofSeconds(10);
    private static final Duration DRAIN = Duration.ofSeconds(3);
    private static final Duration STALL = Duration.ofSeconds(5);
    private static final Duration FILL_TIME = Duration.ofSeconds(10);
    private static final Duration PROBE = Duration.ofSeconds(3);
    private static final int STALLED_RCVBUF = 4096;
    private static final int FILL_SIZE = 400;
    private static final int PROBE_SYNC = 1_000_000;

    private final LoadOptions o;
    private final Protocol protocol;
    private final Clients clients;
    private final Report report;
    private final boolean paced;
    private final long origin = System.nanoTime();
    private final ReceiverHandler.Shared shared = new ReceiverHandler.Shared(origin);
    private final List<Channel> opened = new ArrayList<>();
    private final List<ReceiverHandler> live = new ArrayList<>();
    private PublisherHandler[] publishers;
    private List<Channel> publisherChannels;
    private List<Channel> stalled = List.of();
    private long rssBefore;

    DeliveryScenario(LoadOptions o, Protocol protocol, Clients clients, Report report) {
        this.o = o;
        this.protocol = protocol;
        this.clients = clients;
        this.report = report;
        this.paced = o.scenario().equals("latency");
    }

    void run() throws InterruptedException {
        try {
            measure();
        } finally {
            shared.ending = true;
            Clients.closeAll(opened);
        }
    }

    private void measure() throws InterruptedException {
        int perPublisher = paced ? (int) (o.duration().toNanos() / 1e9 * o.rate() / o.publishers()) : o.messages();
        long interval = paced ? (long) (1e9 * o.publishers() / o.rate()) : 0;
        if (o.ports().size() > 1) {
            report.put("nodes", o.ports().size());
        }
        report.put("receivers", o.receivers());
        report.put("publishers", o.publishers());
        if (paced) {
            report.put("rate_msgs_per_s", o.rate(), 1);
        } else {
            report.put("messages_per_publisher", perPublisher);
        }
        report.put("payload_bytes", o.size());
        Instant setupDeadline = Instant.now().plus(SETUP);

        if (o.stalled() > 0) {
            report.put("stalled", o.stalled());
            stalled = joined(clients.join(o.stalled(), "s", Protocol.Side.RECEIVER, STALLED_RCVBUF, setupDeadline, new Clients.Role() {
                @Override
                public ChannelHandler handler(int index) {
                    return new Clients.Discard();
                }

                @Override
                public void joined(Channel ch, int index) {
                    ch.config().setAutoRead(false); // never reads again
                }
            }));
        }
        publishers = new PublisherHandler[o.publishers()];
        publisherChannels = joined(clients.join(o.publishers(), "p", Protocol.Side.PUBLISHER, 0, setupDeadline,
                role(i -> publishers[i] = new PublisherHandler(i, origin, protocol))));
        if (Clients.count(publisherChannels) < o.publishers()) {
            report.error("publisher could not connect: " + clients.firstFailure());
            return;
        }
        ProcStats rss = ProcStats.watch(o.serverPids());
        try {
            rssBefore = ProcStats.rssKiB(o.serverPids());
            report.put("server_rss_before_kib", rssBefore);
            if (o.stalled() > 0) {
                fill(setupDeadline);
            }
            ReceiverHandler[] receivers = new ReceiverHandler[o.receivers()];
            List<Channel> rc = joined(clients.join(o.receivers(), "r", Protocol.Side.RECEIVER, 0, setupDeadline,
                    role(i -> receivers[i] = new ReceiverHandler(shared, protocol, o.publishers(), perPublisher))));
            for (int i = 0; i < rc.size(); i++) {
                if (rc.get(i) != null) {
                    live.add(receivers[i]);
                }
            }
            if (clients.failures() > 0) {
                report.put("connect_errors", clients.failures());
                report.put("first_connect_error", clients.firstFailure());
            }
            if (live.isEmpty()) {
                report.error("no receiver could connect: " + clients.firstFailure());
                return;
            }
            barrier();
            if (o.stalled() == 0) {
                rssBefore = ProcStats.rssKiB(o.serverPids());
                report.put("server_rss_before_kib", rssBefore);
            }
            publish(perPublisher, interval, rss);
        } finally {
            rss.close();
        }
    }

    private static Clients.Role role(IntFunction<ChannelHandler> handler) {
        return handler::apply;
    }

    private List<Channel> joined(List<Channel> channels) {
        for (Channel ch : channels) {
            if (ch != null) {
                opened.add(ch);
            }
        }
        return channels;
    }

    /** slow: pushes FILL lines until each stalled receiver is owed more than the kernel buffers. */
    private void fill(Instant setupDeadline) throws InterruptedException {
        int target = ProcStats.fillBytes();
        report.put("fill_bytes_per_stalled", target);
        List<Channel> filler = joined(clients.join(1, "f", Protocol.Side.PUBLISHER, 0, setupDeadline,
                role(i -> new Clients.Discard())));
        Channel ch = filler.get(0);
        if (ch == null) {
            report.error("filler could not connect: " + clients.firstFailure());
            return;
        }
        long start = System.nanoTime();
        long deadline = start + FILL_TIME.toNanos();
        int written = 0;
        boolean complete = true;
        for (int k = 0; written < target; ) {
            ByteBuf batch = ch.alloc().buffer(17 * 1024);
            // Counted as payload and line end, whatever the framing: what a stalled receiver is owed.
            while (batch.readableBytes() < 16 * 1024 && written < target) {
                byte[] fill = Payloads.fill(k++, FILL_SIZE);
                protocol.writePublish(batch, fill);
                written += fill.length + 1;
            }
            ChannelFuture f = ch.writeAndFlush(batch);
            long left = deadline - System.nanoTime();
            if (left <= 0 || !f.await(left, TimeUnit.NANOSECONDS) || !f.isSuccess()) {
                complete = false;
                report.note("fill: server took no more after " + written + " of " + target
                        + " bytes per client in " + FILL_TIME.toSeconds() + "s");
                break;
            }
        }
        report.put("fill_s", (System.nanoTime() - start) / 1e9, 2);
        report.put("fill_complete", complete);
        Thread.sleep(500);
    }

    /** Publishes SYNC lines every 50 ms until every receiver has seen one (it is surely joined). */
    private void barrier() throws InterruptedException {
        Channel ch = publisherChannels.get(0);
        long start = System.nanoTime();
        long deadline = start + BARRIER.toNanos();
        int missing;
        for (int k = 0; ; k++) {
            missing = 0;
            for (ReceiverHandler r : live) {
                if (r.syncSeen() < 0) {
                    missing++;
                }
            }
            if (missing == 0 || System.nanoTime() > deadline) {
                break;
            }
            if (k % 5 == 0) {
                protocol.publish(ch, Payloads.sync(k, o.size()));
            }
            Thread.sleep(10);
        }
        report.put("barrier_s", (System.nanoTime() - start) / 1e9, 2);
        if (missing > 0) {
            report.put("barrier_missing", missing);
            report.note(missing + " receivers never saw a barrier message within " + BARRIER.toSeconds() + "s");
        } else {
            Thread.sleep(200); // let barrier traffic settle
        }
    }

    private void publish(int perPublisher, long interval, ProcStats rss) throws InterruptedException {
        double cpu0 = ProcStats.cpuSeconds(o.serverPids());
        double redis0 = ProcStats.cpuSeconds(o.redisPid());
        double self0 = ProcStats.selfCpuSeconds();
        long start = System.nanoTime() - origin;
        long hard = System.nanoTime() + o.timeout().toNanos();
        long[] lastPublisherDone = {0};
        for (int i = 0; i < publishers.length; i++) {
            publishers[i].finished().thenRun(() -> lastPublisherDone[0] = System.nanoTime() - origin);
            publishers[i].start(publisherChannels.get(i), perPublisher, o.size(), interval);
        }
        Outcome outcome = watch(hard);
        boolean alive = outcome == Outcome.COMPLETE || probe();
        if (!alive) {
            report.put("server_stalled", true);
            report.note("server stalled: a fresh client's message reached no receiver within " + PROBE.toSeconds() + "s");
        }
        report.put("server_cpu_s", ProcStats.cpuSeconds(o.serverPids()) - cpu0, 2);
        if (o.redisPid() > 0) {
            report.put("redis_cpu_s", ProcStats.cpuSeconds(o.redisPid()) - redis0, 2);
        }
        report.put("loadgen_cpu_s", ProcStats.selfCpuSeconds() - self0, 2);
        long peak = rss.peakKiB();
        report.put("server_rss_peak_kib", peak);
        report.put("server_rss_after_kib", ProcStats.rssKiB(o.serverPids()));
        if (peak >= 0) {
            report.put("server_rss_growth_kib", peak - rssBefore);
        }
        if (!stalled.isEmpty()) {
            report.put("stalled_disconnected_by_server", cutOff(stalled));
        }
        shared.ending = true;
        Clients.closeAll(opened);
        collect(outcome, alive, start, lastPublisherDone[0]);
    }

    private enum Outcome { COMPLETE, DRAINED, STALLED, TIMED_OUT }

    private Outcome watch(long hard) throws InterruptedException {
        long last = 0;
        long lastProgress = System.nanoTime();
        long nextReport = lastProgress + 2_000_000_000L;
        while (true) {
            Thread.sleep(20);
            long now = System.nanoTime();
            long total = shared.unique.sum();
            if (total > last) {
                last = total;
                lastProgress = now;
            }
            boolean allDone = true;
            long sent = 0;
            for (PublisherHandler p : publishers) {
                allDone &= p.finished().isDone();
                sent += p.sent();
            }
            if (now > nextReport) {
                nextReport = now + 2_000_000_000L;
                Report.progress("%s: %d published, %d of %d deliveries", o.scenario(), sent, total, sent * live.size());
            }
            if (allDone) {
                if (total >= sent * live.size()) {
                    report.put("complete", true);
                    return Outcome.COMPLETE;
                }
                if (now - lastProgress > DRAIN.toNanos()) {
                    report.note("nothing new for " + DRAIN.toSeconds() + "s after publishing");
                    return Outcome.DRAINED;
                }
            } else if (now - lastProgress > STALL.toNanos()) {
                report.note("no delivery for " + STALL.toSeconds() + "s while publishing");
                return Outcome.STALLED;
            }
            if (now > hard) {
                report.put("timed_out", true);
                report.note("hard timeout " + o.timeout().toSeconds() + "s reached");
                return Outcome.TIMED_OUT;
            }
        }
    }

    /** Whether a SYNC line from a fresh client still reaches any receiver within {@link #PROBE}. */
    private boolean probe() throws InterruptedException {
        Instant deadline = Instant.now().plus(PROBE);
        Channel ch = joined(clients.join(1, "q", Protocol.Side.PUBLISHER, 0, deadline,
                role(i -> new Clients.Discard()))).get(0);
        if (ch == null) {
            return false;
        }
        for (int k = 0; Instant.now().isBefore(deadline); k++) {
            for (ReceiverHandler r : live) {
                if (r.syncSeen() >= PROBE_SYNC) {
                    return true;
                }
            }
            if (k % 10 == 0) {
                protocol.publish(ch, Payloads.sync(PROBE_SYNC + k, o.size()));
            }
            Thread.sleep(20);
        }
        return false;
    }

    /** Lets the stalled receivers read for up to 2 s: the ones that end were cut off by the server. */
    private static int cutOff(List<Channel> stalled) {
        long deadline = System.nanoTime() + 2_000_000_000L;
        for (Channel ch : stalled) {
            if (ch != null) {
                ch.config().setAutoRead(true);
            }
        }
        int cut = 0;
        for (Channel ch : stalled) {
            if (ch != null && ch.closeFuture().awaitUninterruptibly(
                    Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                cut++;
            }
        }
        return cut;
    }

    private void collect(Outcome outcome, boolean alive, long start, long lastPublisherDone) {
        long sent = 0;
        for (PublisherHandler p : publishers) {
            sent += p.sent();
            if (p.error() != null && outcome != Outcome.TIMED_OUT && alive) {
                report.note("publisher " + p.id() + ": " + p.error());
            }
            if (!p.finished().isDone()) {
                report.note("publisher " + p.id() + " did not finish");
            }
        }
        long expected = sent * live.size();
        long received = shared.unique.sum();
        long gaps = 0;
        long tail = 0;
        long duplicates = 0;
        long reorders = 0;
        long lastReceive = 0;
        int dropped = 0;
        for (ReceiverHandler r : live) {
            duplicates += r.duplicates();
            reorders += r.reorders();
            lastReceive = Math.max(lastReceive, r.lastReceive());
            dropped += r.closedByServer() ? 1 : 0;
            for (PublisherHandler p : publishers) {
                gaps += r.gaps(p.id());
                tail += r.tail(p.id(), p.sent());
            }
        }
        boolean tailLost = outcome == Outcome.COMPLETE || (outcome == Outcome.DRAINED && alive);
        long lost = gaps + (tailLost ? tail : 0);
        long undelivered = tailLost ? 0 : tail;
        report.put("sent", sent);
        report.put("expected_deliveries", expected);
        report.put("received", received);
        report.put("lost", lost);
        report.put("loss_pct", expected == 0 ? 0 : 100.0 * lost / expected, 3);
        report.put("undelivered", undelivered);
        report.put("undelivered_pct", expected == 0 ? 0 : 100.0 * undelivered / expected, 3);
        report.put("duplicates", duplicates);
        report.put("reorders", reorders);
        if (dropped > 0) {
            report.put("receivers_disconnected", dropped);
            report.note(dropped + " receivers were disconnected by the server");
        }
        if (lastPublisherDone > start) {
            report.put("publish_s", (lastPublisherDone - start) / 1e9, 3);
        }
        if (lastReceive > start) {
            double elapsed = (lastReceive - start) / 1e9;
            report.put("elapsed_s", elapsed, 3);
            report.put("deliveries_per_s", Math.round(received / elapsed));
        }
        Histogram lat = shared.latencyMicros;
        if (lat.getTotalCount() > 0) {
            report.put("lat_p50_ms", lat.getValueAtPercentile(50) / 1000.0, 3);
            report.put("lat_p99_ms", lat.getValueAtPercentile(99) / 1000.0, 3);
            report.put("lat_p999_ms", lat.getValueAtPercentile(99.9) / 1000.0, 3);
            report.put("lat_max_ms", lat.getMaxValue() / 1000.0, 3);
        }
    }
}
