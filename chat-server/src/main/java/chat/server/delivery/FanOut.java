package chat.server.delivery;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
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
 * Carries encoded lines from the chat executor to channels in batches, one lane per event loop.
 *
 * <p>Threading: everything but {@link Batch#run()} runs on the chat executor. A lane has at most
 * one batch in flight on its event loop; lines offered meanwhile gather in the next one, which
 * is handed over when the first is done. So each event loop gets one task per batch (not one
 * per receiver per line), each receiver one write and one flush per batch, and a shared line is
 * encoded once. A receiver with one line in the batch gets a view of that buffer (no buffer or
 * copy of its own); one with several gets them copied into one buffer on its own event loop, so
 * they still take one write (framed there as WebSocket text frames for a WebSocket receiver).
 *
 * <p>Bounded: when the server itself falls behind, what waits here (the backlog) grows; past
 * {@link #MAX_BACKLOG_BYTES} the FanOut reports itself {@link #saturated()}, senders stop being
 * read, and the resume actions they left run once it has drained to half of that. So a burst
 * slows the senders down instead of costing readers that keep up their lines.
 */
public final class FanOut {

    static final long MAX_BACKLOG_BYTES = 8L << 20;
    /** Room left under the high water mark for the outbound buffer's own bookkeeping per write. */
    static final int WRITE_SLACK = 256;
    private static final int INITIAL_PAIRS = 1024;
    private static final int MAX_KEPT_PAIRS = 64 * 1024;

    private final EventExecutor executor;
    private final Map<EventLoop, Lane> lanesByLoop = new IdentityHashMap<>();
    private final List<Lane> lanes = new ArrayList<>();
    private final Queue<Runnable> resumeWhenDrained = new ConcurrentLinkedQueue<>();
    private boolean dispatchQueued;
    private int stamp;
    private boolean stopped;
    private long backlogBytes;
    private volatile boolean saturated;

    public FanOut(EventExecutor executor) {
        this.executor = executor;
    }

    /** Whether senders should stop being read; cheap enough to ask for every line. Any thread. */
    public boolean saturated() {
        return saturated;
    }

    /**
     * Runs {@code resume} once the backlog has drained (at once if it already has). Any thread;
     * {@code resume} may run on the chat executor.
     */
    public void whenDrained(Runnable resume) {
        resumeWhenDrained.add(resume);
        if (!saturated) {
            runResumes(); // drained meanwhile: nobody else may be coming to run it
        }
    }

    /** Queues {@code line} for the outbox; the caller keeps its own reference to the line. */
    void offer(Outbox o, ByteBuf line) {
        assert executor.inEventLoop();
        if (stopped) {
            return;
        }
        pendingBatch(o).add(o, line);
    }

    /** Closes the outbox's channel once everything queued for it so far is written. */
    void closeWhenWritten(Outbox o) {
        assert executor.inEventLoop();
        if (!stopped) {
            pendingBatch(o).closers.add(o);
        }
    }

    /** Runs {@code then} on the chat executor once everything queued for the outbox so far has reached its socket. */
    void afterWritten(Outbox o, Runnable then) {
        assert executor.inEventLoop();
        if (!stopped) {
            Batch b = pendingBatch(o);
            b.waiters.add(o);
            b.thens.add(then);
        }
    }

    /** Bytes queued for the outbox that its channel does not count yet. Chat executor. */
    int queuedBytes(Outbox o) {
        return o.pendingBytes + o.inFlightBytes;
    }

    /** Drops whatever has not been handed to an event loop yet; later offers are ignored. */
    public void stop() {
        assert executor.inEventLoop();
        stopped = true;
        runResumes();
        for (Lane lane : lanes) {
            if (lane.pending != null) {
                lane.pending.releaseLines();
                lane.pending = null;
            }
        }
    }

    private void runUnlessStopped(Runnable then) {
        if (!stopped) {
            then.run();
        }
    }

    private void runResumes() {
        for (Runnable r; (r = resumeWhenDrained.poll()) != null; ) {
            r.run();
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
            runResumes();
        }
    }

    private Lane laneOf(Outbox o) {
        if (o.lane == null) {
            o.lane = lanesByLoop.computeIfAbsent(o.channel.eventLoop(), loop -> {
                Lane lane = new Lane(loop);
                lanes.add(lane);
                return lane;
            });
        }
        return o.lane;
    }

    private Batch pendingBatch(Outbox o) {
        Lane lane = laneOf(o);
        if (lane.pending == null) {
            lane.pending = lane.spare != null ? lane.spare : new Batch(lane);
            lane.spare = null;
            lane.pending.stamp = ++stamp;
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
        for (int i = 0; i < batch.members.size(); i++) {
            batch.members.get(i).inFlightBytes = 0;
        }
        batch.clear();
        lane.spare = batch; // two batches per lane, reused: the fan-out allocates no arrays per batch
        lane.inFlight = false;
        if (lane.pending != null && !stopped) {
            queueDispatch();
        }
    }

    /** The batches of one event loop. Chat executor only. */
    static final class Lane {
        final EventLoop loop;
        Batch pending;
        Batch spare;
        boolean inFlight;

        Lane(EventLoop loop) {
            this.loop = loop;
        }
    }

    /** Lines for the outboxes of one event loop, written there in one task. */
    private final class Batch implements Runnable {
        private final Lane lane;
        private final Runnable finished = () -> done(this);
        private int stamp;
        private final List<Outbox> members = new ArrayList<>();
        private int[] memberBytes = new int[16];
        private int[] memberLines = new int[16];
        private long totalBytes;
        private Outbox[] pairOutboxes = new Outbox[INITIAL_PAIRS];
        private ByteBuf[] pairLines = new ByteBuf[INITIAL_PAIRS];
        private int pairs;
        private final List<ByteBuf> lines = new ArrayList<>();
        private final List<Outbox> closers = new ArrayList<>(0);
        private final List<Outbox> waiters = new ArrayList<>(0);
        private final List<Runnable> thens = new ArrayList<>(0);

        Batch(Lane lane) {
            this.lane = lane;
        }

        /** Empties the batch for reuse, keeping its arrays unless a storm made them huge. */
        void clear() {
            if (pairOutboxes.length > MAX_KEPT_PAIRS) {
                pairOutboxes = new Outbox[INITIAL_PAIRS];
                pairLines = new ByteBuf[INITIAL_PAIRS];
            } else {
                Arrays.fill(pairOutboxes, 0, pairs, null);
                Arrays.fill(pairLines, 0, pairs, null);
            }
            pairs = 0;
            members.clear();
            closers.clear();
            waiters.clear();
            thens.clear();
            totalBytes = 0;
        }

        void add(Outbox o, ByteBuf line) {
            if (o.batchStamp != stamp) {
                o.batchStamp = stamp;
                members.add(o);
            }
            // Lines arrive in runs (one line for many members), so one retain per run.
            if (lines.isEmpty() || lines.get(lines.size() - 1) != line) {
                lines.add(line.retain());
            }
            if (pairs == pairOutboxes.length) {
                pairOutboxes = Arrays.copyOf(pairOutboxes, pairs * 2);
                pairLines = Arrays.copyOf(pairLines, pairs * 2);
            }
            pairOutboxes[pairs] = o;
            pairLines[pairs] = line;
            pairs++;
            int bytes = o.wireBytes(line);
            o.pendingBytes += bytes;
            o.pendingLines++;
            grow(bytes);
        }

        /** Moves the outboxes' waiting bytes into this batch, which now leaves the executor. */
        void seal() {
            if (memberBytes.length < members.size()) {
                memberBytes = new int[Math.max(members.size(), memberBytes.length * 2)];
                memberLines = new int[memberBytes.length];
            }
            for (int i = 0; i < members.size(); i++) {
                Outbox o = members.get(i);
                memberBytes[i] = o.pendingBytes;
                memberLines[i] = o.pendingLines;
                o.pendingLines = 0;
                totalBytes += o.pendingBytes;
                o.inFlightBytes = o.pendingBytes;
                o.pendingBytes = 0;
            }
        }

        @Override
        public void run() {
            try {
                for (int i = 0; i < members.size(); i++) {
                    Outbox o = members.get(i);
                    Channel ch = o.channel;
                    boolean active = ch.isActive();
                    o.shareLine = active && memberLines[i] == 1 && o.frameWriter == null;
                    o.outgoing = active && !o.shareLine ? ch.alloc().directBuffer(memberBytes[i]) : null;
                }
                for (int i = 0; i < pairs; i++) {
                    Outbox o = pairOutboxes[i];
                    ByteBuf line = pairLines[i];
                    if (o.shareLine) {
                        o.shareLine = false;
                        // Its own indices over the shared bytes: a partial write moves only these.
                        write(o, line.retainedDuplicate());
                        continue;
                    }
                    ByteBuf out = o.outgoing;
                    if (out == null) {
                        continue;
                    }
                    if (o.frameWriter == null) {
                        out.writeBytes(line, line.readerIndex(), line.readableBytes());
                    } else {
                        WebSocketFraming.writeText(out, line);
                    }
                }
                for (Outbox o : members) {
                    ByteBuf out = o.outgoing;
                    if (out != null) {
                        o.outgoing = null;
                        write(o, out);
                    }
                }
                for (int i = 0; i < waiters.size(); i++) {
                    Runnable then = thens.get(i);
                    // An empty write completes once every write before it has reached the socket.
                    waiters.get(i).channel.writeAndFlush(Unpooled.EMPTY_BUFFER)
                            .addListener(written -> executor.execute(() -> runUnlessStopped(then)));
                }
                for (Outbox o : closers) {
                    Goodbye.closeWhenFlushed(o.channel);
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
        private void write(Outbox o, ByteBuf out) {
            Channel ch = o.channel;
            long room;
            while (out.readableBytes() > (room = ch.bytesBeforeUnwritable() - WRITE_SLACK) && room > 0) {
                writeAndFlush(o, out.readRetainedSlice((int) room));
            }
            writeAndFlush(o, out);
        }

        /** Encoded (and framed) already: from past the encoder on, which would only pass them by. */
        private void writeAndFlush(Outbox o, ByteBuf bytes) {
            if (o.writer == null) {
                o.channel.writeAndFlush(bytes, o.channel.voidPromise());
            } else {
                o.writer.writeAndFlush(bytes, o.writer.voidPromise());
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
