package chat.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Carries lines from the Broadcaster to channels in batches, one lane per event loop.
 *
 * <p>Threading: everything but {@link Batch#run()} runs on the Broadcaster's executor. A lane has
 * at most one batch in flight on its event loop; lines offered meanwhile gather in the next one,
 * which is handed over when the first is done. So each event loop gets one task per batch (not
 * one per receiver per line), each receiver one write and one flush per batch, and a shared
 * line is encoded once and copied into each receiver's buffer on its own event loop.
 *
 * <p>Bounded: what waits for a member here counts against its high water mark, so a member
 * whose event loop is behind cannot make lines pile up without limit ({@link #hasRoom}).
 */
final class FanOut {

    private final EventExecutor executor;
    private final Map<EventLoop, Lane> lanesByLoop = new IdentityHashMap<>();
    private final List<Lane> lanes = new ArrayList<>();
    private boolean dispatchQueued;
    private int stamp;
    private boolean stopped;

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
     * Whether {@code bytes} more fit under the member's high water mark, counting what its channel
     * holds and what waits for it here. One line always fits a writable channel with nothing
     * waiting, however long (a long who-list must still arrive).
     */
    boolean hasRoom(Member m, int bytes) {
        Channel ch = m.channel();
        if (!ch.isWritable()) {
            return false;
        }
        return m.pendingBytes == 0 || m.pendingBytes + bytes <= ch.bytesBeforeUnwritable();
    }

    /** Queues {@code line} for the member; the caller keeps its own reference to the line. */
    void offer(Member m, ByteBuf line) {
        assert executor.inEventLoop();
        if (stopped) {
            return;
        }
        pendingBatch(m).add(m, line);
    }

    /** Queues the member's last line; its channel closes once the line is written. */
    void offerLast(Member m, ByteBuf line) {
        assert executor.inEventLoop();
        if (stopped) {
            return;
        }
        Batch b = pendingBatch(m);
        b.add(m, line);
        b.closers.add(m);
    }

    /** Drops whatever has not been handed to an event loop yet; later offers are ignored. */
    void stop() {
        assert executor.inEventLoop();
        stopped = true;
        for (Lane lane : lanes) {
            if (lane.pending != null) {
                lane.pending.releaseLines();
                lane.pending = null;
            }
        }
    }

    private Batch pendingBatch(Member m) {
        Lane lane = m.lane;
        if (lane.pending == null) {
            lane.pending = new Batch(lane, ++stamp);
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

    private void done(Lane lane) {
        lane.inFlight = false;
        if (lane.pending != null && !stopped) {
            queueDispatch();
        }
    }

    /** The batches of one event loop. */
    static final class Lane {
        final EventLoop loop;
        Batch pending;
        boolean inFlight;

        Lane(EventLoop loop) {
            this.loop = loop;
        }
    }

    /** Lines for the members of one event loop, written there in one task. */
    private final class Batch implements Runnable {
        private final Lane lane;
        private final int batchStamp;
        private final List<Member> members = new ArrayList<>();
        private int[] memberBytes;
        private Member[] pairMembers = new Member[64];
        private ByteBuf[] pairLines = new ByteBuf[64];
        private int pairs;
        private final List<ByteBuf> lines = new ArrayList<>();
        private final List<Member> closers = new ArrayList<>(0);

        Batch(Lane lane, int batchStamp) {
            this.lane = lane;
            this.batchStamp = batchStamp;
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
                pairMembers = java.util.Arrays.copyOf(pairMembers, pairs * 2);
                pairLines = java.util.Arrays.copyOf(pairLines, pairs * 2);
            }
            pairMembers[pairs] = m;
            pairLines[pairs] = line;
            pairs++;
            m.pendingBytes += line.readableBytes();
        }

        /** Moves the members' waiting bytes into this batch, which now leaves the executor. */
        void seal() {
            memberBytes = new int[members.size()];
            for (int i = 0; i < memberBytes.length; i++) {
                Member m = members.get(i);
                memberBytes[i] = m.pendingBytes;
                m.pendingBytes = 0;
            }
        }

        @Override
        public void run() {
            try {
                for (int i = 0; i < memberBytes.length; i++) {
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
                        m.channel().writeAndFlush(out, m.channel().voidPromise());
                    }
                }
                for (Member m : closers) {
                    Goodbye.closeWhenFlushed(m.channel());
                }
            } finally {
                releaseLines();
                executor.execute(() -> done(lane));
            }
        }

        void releaseLines() {
            for (ByteBuf line : lines) {
                line.release();
            }
            lines.clear();
        }
    }
}
