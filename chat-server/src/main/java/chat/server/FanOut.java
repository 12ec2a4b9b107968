package chat.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Carries lines from the Broadcaster to channels in batches, one lane per event loop.
 *
 * <p>Threading: everything but {@link Batch#run()} runs on the Broadcaster's executor. A lane has
 * at most one batch in flight on its event loop; lines offered meanwhile gather in the next one,
 * which is handed over when the first is done. So each event loop gets one task per batch (not
 * one per receiver per line), each receiver one write and one flush per batch, and a shared
 * line is encoded once and copied into each receiver's buffer on its own event loop.
 *
 * <p>Bounded: a reader that does not keep up has an unwritable channel and gets nothing (the
 * Broadcaster counts the drop). When the server itself falls behind, what waits here (the
 * backlog) grows; past {@link #MAX_BACKLOG_BYTES} the FanOut reports itself {@link #saturated()}
 * and senders stop being read until it has drained to half of that. So a burst slows the
 * senders down instead of costing readers that keep up their lines.
 */
final class FanOut {

    static final long MAX_BACKLOG_BYTES = 8L << 20;
    /** Room left under the high water mark for the outbound buffer's own bookkeeping per write. */
    private static final int WRITE_SLACK = 256;
    private static final int INITIAL_PAIRS = 1024;
    private static final int MAX_KEPT_PAIRS = 64 * 1024;

    private final EventExecutor executor;
    private final Map<EventLoop, Lane> lanesByLoop = new IdentityHashMap<>();
    private final List<Lane> lanes = new ArrayList<>();
    private final Queue<Channel> paused = new ConcurrentLinkedQueue<>();
    private boolean dispatchQueued;
    private int stamp;
    private boolean stopped;
    private long backlogBytes;
    private volatile boolean saturated;

    FanOut(EventExecutor executor) {
        this.executor = executor;
    }

    /** The lane of the member's event loop; looked up once per member. */
    Lane laneFor(Channel channel) {
        assert executor.inEventLoop();
        return lanesByLoop.computeIfAbsent(channel.eventLoop(), loop -> {
            Lane lane = new Lane(loop);
            lanes.add(lane);
            return lane;
        });
    }

    /**
     * Whether the member can take another line: its channel is writable, below its high water mark.
     * Slow readers: everything else is dropped for it.
     */
    boolean hasRoom(Member m) {
        return m.channel().isWritable();
    }

    /** Whether senders should stop being read; cheap enough to ask for every line. Any thread. */
    boolean saturated() {
        return saturated;
    }

    /**
     * Stops reading from {@code channel} until the backlog has drained. Called on the channel's
     * event loop after {@link #saturated()} said so.
     */
    void pause(Channel channel) {
        channel.config().setAutoRead(false);
        paused.add(channel);
        if (!saturated) {
            resumePaused(); // drained meanwhile: nobody else may be coming to resume it
        }
    }

    /** Queues {@code line} for the member; the caller keeps its own reference to the line. */
    void offer(Member m, ByteBuf line) {
        assert executor.inEventLoop();
        if (stopped) {
            return;
        }
        pendingBatch(m).add(m, line);
    }

    /** Closes the member's channel once everything queued for it so far is written. */
    void closeWhenWritten(Member m) {
        assert executor.inEventLoop();
        if (stopped) {
            return;
        }
        pendingBatch(m).closers.add(m);
    }

    /** Drops whatever has not been handed to an event loop yet; later offers are ignored. */
    void stop() {
        assert executor.inEventLoop();
        stopped = true;
        resumePaused();
        for (Lane lane : lanes) {
            if (lane.pending != null) {
                lane.pending.releaseLines();
                lane.pending = null;
            }
        }
    }

    private void resumePaused() {
        for (Channel ch; (ch = paused.poll()) != null; ) {
            ch.config().setAutoRead(true);
        }
    }

    private void grow(int bytes) {
        backlogBytes += bytes;
        if (!saturated && backlogBytes > MAX_BACKLOG_BYTES) {
            saturated = true;
        }
    }

    private void shrink(long bytes) {
        backlogBytes -= bytes;
        if (saturated && backlogBytes <= MAX_BACKLOG_BYTES / 2) {
            saturated = false;
            resumePaused();
        }
    }

    private Batch pendingBatch(Member m) {
        Lane lane = m.lane;
        if (lane.pending == null) {
            lane.pending = lane.spare != null ? lane.spare : new Batch(lane);
            lane.spare = null;
            lane.pending.open(++stamp);
            if (!lane.inFlight) {
                queueDispatch();
            }
        }
        return lane.pending;
    }

    // Runs after the tasks already queued on the executor, so they all land in the same batch.
    private void queueDispatch() {
        if (!dispatchQueued) {
            dispatchQueued = true;
            executor.execute(this::dispatch);
        }
    }

    private void dispatch() {
        dispatchQueued = false;
        for (Lane lane : lanes) {
            if (lane.pending != null && !lane.inFlight) {
                Batch b = lane.pending;
                lane.pending = null;
                lane.inFlight = true;
                b.seal();
                lane.loop.execute(b);
            }
        }
    }

    private void done(Batch batch) {
        Lane lane = batch.lane;
        shrink(batch.totalBytes);
        batch.clear();
        lane.spare = batch; // two batches per lane, reused: the fan-out allocates no arrays per batch
        lane.inFlight = false;
        if (lane.pending != null && !stopped) {
            queueDispatch();
        }
    }

    /** The batches of one event loop. */
    static final class Lane {
        // Broadcaster's executor only.
        final EventLoop loop;
        Batch pending;
        Batch spare;
        boolean inFlight;

        Lane(EventLoop loop) {
            this.loop = loop;
        }
    }

    /** Lines for the members of one event loop, written there in one task. */
    private final class Batch implements Runnable {
        private final Lane lane;
        private final Runnable finished = () -> done(this);
        private int batchStamp;
        private final List<Member> members = new ArrayList<>();
        private int[] memberBytes = new int[16];
        private long totalBytes;
        private Member[] pairMembers = new Member[INITIAL_PAIRS];
        private ByteBuf[] pairLines = new ByteBuf[INITIAL_PAIRS];
        private int pairs;
        private final List<ByteBuf> lines = new ArrayList<>();
        private final List<Member> closers = new ArrayList<>(0);

        Batch(Lane lane) {
            this.lane = lane;
        }

        void open(int stamp) {
            batchStamp = stamp;
        }

        /** Empties the batch for reuse, keeping its arrays unless a storm made them huge. */
        void clear() {
            if (pairMembers.length > MAX_KEPT_PAIRS) {
                pairMembers = new Member[INITIAL_PAIRS];
                pairLines = new ByteBuf[INITIAL_PAIRS];
            } else {
                Arrays.fill(pairMembers, 0, pairs, null);
                Arrays.fill(pairLines, 0, pairs, null);
            }
            pairs = 0;
            members.clear();
            closers.clear();
            totalBytes = 0;
        }

        void add(Member m, ByteBuf line) {
            if (m.batchStamp != batchStamp) {
                m.batchStamp = batchStamp;
                members.add(m);
            }
            // Lines arrive in runs (one line for many members), so one retain per run.
            if (lines.isEmpty() || lines.get(lines.size() - 1) != line) {
                lines.add(line.retain());
            }
            if (pairs == pairMembers.length) {
                pairMembers = Arrays.copyOf(pairMembers, pairs * 2);
                pairLines = Arrays.copyOf(pairLines, pairs * 2);
            }
            pairMembers[pairs] = m;
            pairLines[pairs] = line;
            pairs++;
            m.pendingBytes += line.readableBytes();
            grow(line.readableBytes());
        }

        /** Moves the members' waiting bytes into this batch, which now leaves the executor. */
        void seal() {
            if (memberBytes.length < members.size()) {
                memberBytes = new int[Math.max(members.size(), memberBytes.length * 2)];
            }
            for (int i = 0; i < members.size(); i++) {
                Member m = members.get(i);
                memberBytes[i] = m.pendingBytes;
                totalBytes += m.pendingBytes;
                m.pendingBytes = 0;
            }
        }

        @Override
        public void run() {
            try {
                for (int i = 0; i < members.size(); i++) {
                    Member m = members.get(i);
                    Channel ch = m.channel();
                    m.outgoing = ch.isActive() ? ch.alloc().directBuffer(memberBytes[i]) : null;
                }
                for (int i = 0; i < pairs; i++) {
                    ByteBuf out = pairMembers[i].outgoing;
                    if (out != null) {
                        ByteBuf line = pairLines[i];
                        out.writeBytes(line, line.readerIndex(), line.readableBytes());
                    }
                }
                for (Member m : members) {
                    ByteBuf out = m.outgoing;
                    if (out != null) {
                        m.outgoing = null;
                        write(m.channel(), out);
                    }
                }
                for (Member m : closers) {
                    Goodbye.closeWhenFlushed(m.channel());
                }
            } finally {
                releaseLines();
                executor.execute(finished);
            }
        }

        /**
         * Writes and flushes, in pieces that each fit under the high water mark while the socket
         * takes them: the channel then turns unwritable only when the reader really falls behind,
         * never for a moment between a large write and its flush.
         */
        private void write(Channel ch, ByteBuf out) {
            long room;
            while (out.readableBytes() > (room = ch.bytesBeforeUnwritable() - WRITE_SLACK) && room > 0) {
                ch.writeAndFlush(out.readRetainedSlice((int) room), ch.voidPromise());
            }
            ch.writeAndFlush(out, ch.voidPromise());
        }

        void releaseLines() {
            for (ByteBuf line : lines) {
                line.release();
            }
            lines.clear();
        }
    }
}
