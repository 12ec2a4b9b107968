package chat.server.history;

import io.netty.buffer.ByteBuf;

import java.util.concurrent.atomic.LongAdder;

/**
 * Keeps each room's last {@code capacity} lines in a ring in this process. With capacity 0
 * nothing is held: lines are still numbered, so a slow reader's gap is still one subtraction.
 */
public final class InMemoryHistory implements HistoryStore {

    private final int capacity;
    private final LongAdder bytesHeld = new LongAdder();

    public InMemoryHistory(int capacity) {
        this.capacity = capacity;
    }

    @Override
    public RoomLog open(String roomKey) {
        return new Ring();
    }

    @Override
    public long bytesHeld() {
        return bytesHeld.sum();
    }

    /** Slot {@code seq % capacity} holds line {@code seq}; the oldest is overwritten. Chat executor only. */
    private final class Ring implements RoomLog {
        private final ByteBuf[] lines = new ByteBuf[capacity];
        private final long[] acceptedAt = new long[capacity];
        private long head;
        /** Lines before this one were never held here (see skipTo). */
        private long floor = 1;
        private long bytes;

        @Override
        public long append(ByteBuf line, long acceptedAtMillis) {
            long seq = ++head;
            if (capacity == 0) {
                line.release();
                return seq;
            }
            int slot = (int) (seq % capacity);
            ByteBuf evicted = lines[slot];
            if (evicted != null) {
                account(-evicted.readableBytes());
                evicted.release();
            }
            lines[slot] = line;
            acceptedAt[slot] = acceptedAtMillis;
            account(line.readableBytes());
            return seq;
        }

        @Override
        public void skipTo(long seq) {
            if (seq > head) {
                release();
                head = seq;
                floor = seq + 1;
            }
        }

        @Override
        public long head() {
            return head;
        }

        @Override
        public long oldest() {
            return Math.max(floor, head - capacity + 1);
        }

        @Override
        public ByteBuf line(long seq) {
            return lines[slotOf(seq)];
        }

        @Override
        public long acceptedAtMillis(long seq) {
            return acceptedAt[slotOf(seq)];
        }

        @Override
        public long bytesHeld() {
            return bytes;
        }

        @Override
        public void release() {
            for (int i = 0; i < lines.length; i++) {
                if (lines[i] != null) {
                    lines[i].release();
                    lines[i] = null;
                }
            }
            account(-bytes);
        }

        private int slotOf(long seq) {
            if (seq < oldest() || seq > head) {
                throw new IllegalArgumentException("line " + seq + " is not held (" + oldest() + "-" + head + ")");
            }
            return (int) (seq % capacity);
        }

        private void account(long delta) {
            bytes += delta;
            bytesHeld.add(delta);
        }
    }
}
