package chat.server.delivery;

import chat.protocol.ServerLines;
import chat.protocol.codec.LineEncoding;
import chat.server.history.RoomLog;
import chat.server.metrics.ChatMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Who gets a line now, who catches up later, and what is counted as dropped (PROTOCOL.md,
 * "Slow readers"). A room's kept lines live once in its {@link RoomLog}; each outbox is a cursor
 * in it. Fan-out moves the cursors of the outboxes that keep up. One whose channel is above its
 * high mark just stops moving, and nothing is queued or copied for it; once it drains, it gets
 * {@code Dropped N} for what it cannot get back (lines that left the log, notices, private
 * lines), then the kept lines it missed, in chunks that fit under its high mark, each chunk sent
 * when the one before has reached the socket, before any newer line.
 *
 * <p>Lines that are not kept (arrivals, departures, renames, private lines from others) go only
 * to outboxes that are writable and not catching up; the others count them. Replies to a
 * connection's own commands go whenever its channel is writable, catching up or not.
 *
 * <p>Threading: the chat executor only.
 */
public final class Delivery {

    private final FanOut fanOut;
    private final ChatMetrics metrics;
    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;

    public Delivery(FanOut fanOut, ChatMetrics metrics) {
        this.fanOut = fanOut;
        this.metrics = metrics;
    }

    /** A reply to the connection's own command (or prompt): sent if its channel is writable. */
    public void reply(Outbox o, String text) {
        ByteBuf line = LineEncoding.encode(alloc, text);
        if (isGone(o) || !hasRoom(o)) {
            drop(o, 1);
        } else {
            send(o, line);
        }
        line.release();
    }

    /** A private line from someone else: news to the connection, lost to it if it is not keeping up. */
    public void notice(Outbox o, String text) {
        ByteBuf line = LineEncoding.encode(alloc, text);
        notice(o, line);
        line.release();
    }

    /** A line that is news to the connection but not kept: lost to it if it is not keeping up. */
    private void notice(Outbox o, ByteBuf line) {
        if (isGone(o)) {
            return;
        }
        if (hasRoom(o) && o.behind() && !o.replayWaiting) {
            drained(o); // writable again, and this line got here before the drain event
        }
        if (!hasRoom(o) || o.behind()) {
            drop(o, 1);
        } else {
            send(o, line);
        }
    }

    /** A notice to every outbox in {@code members}, encoded once. */
    public void notice(List<Outbox> members, String text) {
        notice(members, text, null);
    }

    /** A notice to every outbox in {@code members} but {@code except} (null: none), encoded once. */
    public void notice(List<Outbox> members, String text, Outbox except) {
        long start = System.nanoTime();
        ByteBuf line = LineEncoding.encode(alloc, text);
        for (int i = 0; i < members.size(); i++) {
            Outbox o = members.get(i);
            if (o != except) {
                notice(o, line);
            }
        }
        line.release();
        metrics.fanOutTook(System.nanoTime() - start);
    }

    /** Kept line {@code seq} of {@code log}, already appended, to the room's {@code members}. */
    public void kept(List<Outbox> members, RoomLog log, long seq, ByteBuf line) {
        long start = System.nanoTime();
        for (int i = 0; i < members.size(); i++) {
            Outbox o = members.get(i);
            if (o.log != log || isGone(o)) {
                continue;
            }
            if (!hasRoom(o)) {
                if (log.oldest() > seq) {
                    skipLost(o, seq + 1); // nothing is kept (--history 0): lost now, as in version 1
                }
                continue; // it catches up from the log when it drains
            }
            if (o.cursor == seq - 1) {
                send(o, line);
                o.cursor = seq;
            } else if (!o.replayWaiting) {
                // Writable again, and this line got here before the drain event: catch up now.
                skipLost(o, Math.min(log.oldest(), seq));
                if (o.cursor == seq - 1) {
                    send(o, line);
                    o.cursor = seq;
                } else {
                    drained(o); // replays what is held, this line included
                }
            }
        }
        metrics.fanOutTook(System.nanoTime() - start);
    }

    /** The recent-messages block: the last {@code wanted} lines of {@code log}, or fewer if fewer are kept. */
    public void recent(Outbox o, RoomLog log, int wanted) {
        long first = Math.max(log.oldest(), log.head() - wanted + 1);
        reply(o, ServerLines.recentMessages((int) (log.head() - first + 1)));
        for (long seq = first; seq <= log.head(); seq++) {
            ByteBuf kept = log.line(seq);
            String prefix = ServerLines.recentLine(log.acceptedAtMillis(seq), "");
            ByteBuf line = alloc.directBuffer(prefix.length() + kept.readableBytes());
            line.writeCharSequence(prefix, StandardCharsets.US_ASCII);
            line.writeBytes(kept, kept.readerIndex(), kept.readableBytes());
            if (isGone(o) || !hasRoom(o)) {
                drop(o, 1);
            } else {
                send(o, line);
            }
            line.release();
        }
    }

    /** The connection is now a member of the room whose log this is, from its newest line on. */
    public void enter(Outbox o, RoomLog log) {
        o.log = log;
        o.cursor = log.head();
    }

    /** The connection leaves its room: what it had not caught up on there is counted as dropped. */
    public void leave(Outbox o) {
        if (o.log != null) {
            drop(o, o.log.head() - o.cursor);
            o.log = null;
        }
    }

    /** The connection's channel drained below its low mark: report what it lost, then catch up. */
    public void drained(Outbox o) {
        if (o.closed || isGone(o) || !hasRoom(o) || o.replayWaiting) {
            return; // a chunk on its way continues the catching up when it is written
        }
        if (o.behind()) {
            skipLost(o, o.log.oldest());
        }
        reportDrops(o);
        if (o.behind()) {
            replayChunk(o);
        }
    }

    /** Its last line if any, then close once everything queued for it is written. */
    public void close(Outbox o, String lastLine) {
        o.closed = true;
        if (lastLine != null) {
            ByteBuf line = LineEncoding.encode(alloc, lastLine);
            fanOut.offer(o, line);
            line.release();
        }
        fanOut.closeWhenWritten(o);
    }

    /** Moves the cursor past the lines before {@code firstHeld}, which it can no longer get, counting them. */
    private void skipLost(Outbox o, long firstHeld) {
        long lost = firstHeld - 1 - o.cursor;
        if (lost > 0) {
            drop(o, lost);
            o.cursor += lost;
        }
    }

    private void replayChunk(Outbox o) {
        long budget = o.channel.bytesBeforeUnwritable() - fanOut.queuedBytes(o) - FanOut.WRITE_SLACK;
        long replayed = 0;
        for (long seq = o.cursor + 1; seq <= o.log.head(); seq++) {
            ByteBuf line = o.log.line(seq);
            // One line may always go to an idle socket, or a line over the high mark would never go.
            if (line.readableBytes() > budget && (replayed > 0 || fanOut.queuedBytes(o) > 0)) {
                break;
            }
            budget -= line.readableBytes();
            send(o, line);
            o.cursor = seq;
            replayed++;
        }
        metrics.replayed(replayed);
        if (o.behind()) {
            o.replayWaiting = true;
            fanOut.afterWritten(o, () -> {
                o.replayWaiting = false;
                drained(o);
            });
        }
    }

    private void send(Outbox o, ByteBuf line) {
        reportDrops(o);
        fanOut.offer(o, line);
        metrics.delivered(1);
    }

    private void reportDrops(Outbox o) {
        if (o.dropped > 0) {
            ByteBuf report = LineEncoding.encode(alloc, ServerLines.dropped(o.dropped));
            o.dropped = 0;
            fanOut.offer(o, report);
            report.release();
        }
    }

    private void drop(Outbox o, long n) {
        if (n > 0) {
            o.dropped += n;
            metrics.dropped(n);
        }
    }

    /**
     * Whether the outbox can take another line: its channel is writable, below its high mark.
     * Slow readers: everything else waits in the log or is dropped for it.
     */
    private static boolean hasRoom(Outbox o) {
        return o.channel.isWritable();
    }

    /** Closed: its departure is on its way to the chat executor. */
    private static boolean isGone(Outbox o) {
        return !o.channel.isActive();
    }
}
