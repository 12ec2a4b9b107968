package chat.bench.attack;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sends every attacker its lines at a steady rate. Line k of client i is due at
 * {@code start + offset(i) + k / rate}, the offsets spread evenly over one period, so the server
 * sees a smooth stream rather than all clients at once. One task per event loop wakes every
 * 10 ms and writes the lines that are due for its channels: a line may be a tick late, never
 * early, so each client stays within a flood budget of the same rate. Sending ends when every
 * line is out or at {@code duration + }{@link #GRACE}, whichever comes first.
 *
 * <p>Threading: {@link #start} and {@link #await} on the runner's thread; ticks run on the
 * channels' event loops; {@link #sent()} from anywhere.
 */
final class Pacer {

    /** The text of line {@code k} of client {@code client}, without LF. */
    interface Lines {
        String line(int client, int k);
    }

    private static final long TICK_NANOS = 10_000_000L;
    private static final Duration GRACE = Duration.ofSeconds(3);

    private final LongAdder sent = new LongAdder();
    private final List<Channel> channels;
    private final Lines lines;
    private final int perClient;
    private final long periodNanos;
    private final long startNanos;
    private final long stopNanos;
    private final CountDownLatch done;

    private Pacer(List<Channel> channels, double rate, Duration duration, Lines lines, int loops) {
        this.channels = channels;
        this.lines = lines;
        this.perClient = (int) Math.round(rate * duration.toNanos() / 1e9);
        this.periodNanos = (long) (1e9 / rate);
        this.startNanos = System.nanoTime() + 2 * TICK_NANOS;
        this.stopNanos = startNanos + duration.plus(GRACE).toNanos();
        this.done = new CountDownLatch(loops);
    }

    /** Starts sending {@code rate × duration} lines on each channel that is not null. */
    static Pacer start(List<Channel> channels, double rate, Duration duration, Lines lines) {
        Map<EventLoop, List<Integer>> byLoop = new LinkedHashMap<>();
        for (int i = 0; i < channels.size(); i++) {
            if (channels.get(i) != null) {
                byLoop.computeIfAbsent(channels.get(i).eventLoop(), l -> new ArrayList<>()).add(i);
            }
        }
        Pacer pacer = new Pacer(channels, rate, duration, lines, byLoop.size());
        byLoop.forEach((loop, clients) -> pacer.new LoopTask(loop, clients).schedule());
        return pacer;
    }

    /** Lines each client is to send. */
    int perClient() {
        return perClient;
    }

    /** Lines written to open channels so far. */
    long sent() {
        return sent.sum();
    }

    /** Waits until every loop has finished, at most until the stop time plus a second. */
    boolean await() throws InterruptedException {
        long left = stopNanos + 1_000_000_000L - System.nanoTime();
        return done.await(Math.max(0, left), TimeUnit.NANOSECONDS);
    }

    private long due(int client, int k) {
        return startNanos + client * periodNanos / channels.size() + k * periodNanos;
    }

    /** The channels of one event loop; runs on that loop. */
    private final class LoopTask implements Runnable {
        private final EventLoop loop;
        private final int[] clients;
        private final int[] next;
        private volatile ScheduledFuture<?> ticks;
        private boolean finished;

        LoopTask(EventLoop loop, List<Integer> clients) {
            this.loop = loop;
            this.clients = clients.stream().mapToInt(Integer::intValue).toArray();
            this.next = new int[this.clients.length];
        }

        void schedule() {
            ticks = loop.scheduleAtFixedRate(this, Math.max(0, startNanos - System.nanoTime()), TICK_NANOS,
                    TimeUnit.NANOSECONDS);
        }

        @Override
        public void run() {
            if (finished) {
                return;
            }
            long now = System.nanoTime();
            boolean all = true;
            for (int j = 0; j < clients.length; j++) {
                Channel ch = channels.get(clients[j]);
                boolean wrote = false;
                while (next[j] < perClient && due(clients[j], next[j]) <= now) {
                    if (ch.isActive()) {
                        ByteBuf line = ch.alloc().buffer(64);
                        line.writeCharSequence(lines.line(clients[j], next[j]), StandardCharsets.UTF_8);
                        ch.write(line.writeByte('\n'), ch.voidPromise());
                        sent.increment();
                        wrote = true;
                    }
                    next[j]++;
                }
                if (wrote) {
                    ch.flush();
                }
                all &= next[j] >= perClient;
            }
            if (all || now > stopNanos) {
                finished = true;
                if (ticks != null) { // null only if the first tick beat schedule() to it
                    ticks.cancel(false);
                }
                done.countDown();
            }
        }
    }
}
