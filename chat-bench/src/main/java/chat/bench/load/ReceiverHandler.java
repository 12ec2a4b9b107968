package chat.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * One healthy receiver. Parses the payload of each line that carries one, as its {@link Protocol}
 * says, and ignores every other line ({@code Also here:}, {@code has arrived}, {@code Dropped N
 * messages}, RESP and NATS headers, IRC notices). Per publisher it keeps a bitset of the sequence
 * numbers seen, so loss, duplicates and reordering can be told apart.
 *
 * <p>Threading: runs on its channel's event loop. {@link Shared} totals and {@link #syncSeen()}
 * may be read at any time; every other figure only after the channel has closed.
 */
public final class ReceiverHandler extends ChannelInboundHandlerAdapter {

    /** Totals all receivers of a run add to. */
    public static final class Shared {
        public final long origin;
        public final LongAdder unique = new LongAdder();
        public final Histogram latencyMicros = new ConcurrentHistogram(3);
        public volatile boolean ending;

        public Shared(long origin) {
            this.origin = origin;
        }
    }

    private final Shared shared;
    private final Protocol protocol;
    private final long[][] seen;
    private final int[] maxSeq;
    private final int[] count;
    private final long[] fields = new long[3];
    private volatile long syncSeen = -1;
    private long duplicates;
    private long reorders;
    private long lastReceive;
    private boolean closedByServer;

    public ReceiverHandler(Shared shared, Protocol protocol, int publishers, int perPublisher) {
        this.shared = shared;
        this.protocol = protocol;
        seen = new long[publishers][perPublisher / 64 + 1];
        maxSeq = new int[publishers];
        count = new int[publishers];
        Arrays.fill(maxSeq, -1);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf line = (ByteBuf) msg;
        try {
            int pub = Payloads.parse(line, protocol.payloadAt(line), fields);
            if (pub == Payloads.SYNC) {
                syncSeen = Math.max(syncSeen, fields[1]);
            } else if (pub >= 0 && pub < seen.length && fields[1] < Integer.MAX_VALUE) {
                delivered(pub, (int) fields[1], fields[2]);
            }
        } finally {
            line.release();
        }
    }

    private void delivered(int pub, int seq, long stamp) {
        long now = System.nanoTime() - shared.origin;
        int word = seq >>> 6;
        if (word >= seen[pub].length) {
            seen[pub] = Arrays.copyOf(seen[pub], word + 1);
        }
        long bit = 1L << (seq & 63);
        if ((seen[pub][word] & bit) != 0) {
            duplicates++;
            return;
        }
        seen[pub][word] |= bit;
        count[pub]++;
        if (seq < maxSeq[pub]) {
            reorders++;
        } else {
            maxSeq[pub] = seq;
        }
        shared.latencyMicros.recordValue(Math.max(0, (now - stamp) / 1000));
        lastReceive = now;
        shared.unique.increment();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closedByServer = !shared.ending;
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    long syncSeen() {
        return syncSeen;
    }

    public long duplicates() {
        return duplicates;
    }

    public long reorders() {
        return reorders;
    }

    /** Nanoseconds after the run's origin of the latest new message; 0 if none came. */
    long lastReceive() {
        return lastReceive;
    }

    public boolean closedByServer() {
        return closedByServer;
    }

    /** Messages of {@code pub} missing below the highest sequence number seen from it. */
    public long gaps(int pub) {
        return maxSeq[pub] + 1L - count[pub];
    }

    /** Messages of {@code pub} above the highest seen, out of {@code sent}. */
    public long tail(int pub, long sent) {
        return Math.max(0, sent - (maxSeq[pub] + 1L));
    }
}
