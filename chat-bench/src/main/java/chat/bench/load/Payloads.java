package chat.bench.load;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The payload formats, as in {@code peers/loadgen}: data {@code "PUBID SEQ SEND_NANOS "}, barrier
 * {@code "SYNC N "}, fill {@code "FILL N "}, each padded with {@code x} to the payload size. A payload
 * has no line end: the {@link Protocol} frames it. SEND_NANOS is {@link System#nanoTime()} minus the
 * run's origin, so it is positive and every client of this process reads the same clock. Stateless;
 * parsing never allocates.
 */
public final class Payloads {

    /** What {@link #parse} returns for a barrier message. */
    static final int SYNC = -1;
    /** What {@link #parse} returns for any other line. */
    static final int INVALID = -2;

    private Payloads() {
    }

    public static byte[] data(int pub, int seq, long stampNanos, int size) {
        return padded(pub + " " + seq + " " + stampNanos + " ", size);
    }

    static byte[] sync(int n, int size) {
        return padded("SYNC " + n + " ", size);
    }

    static byte[] fill(int n, int size) {
        return padded("FILL " + n + " ", size);
    }

    private static byte[] padded(String text, int size) {
        byte[] head = text.getBytes(StandardCharsets.US_ASCII);
        byte[] payload = Arrays.copyOf(head, Math.max(size, head.length));
        Arrays.fill(payload, head.length, payload.length, (byte) 'x');
        return payload;
    }

    /**
     * Parses the payload that starts at index {@code from} of {@code line} (no line end) into
     * {@code fields}: [pub, seq, stamp]. Returns the publisher id, {@link #SYNC} (seq = N) or
     * {@link #INVALID}.
     */
    static int parse(ByteBuf line, int from, long[] fields) {
        int i = from;
        int end = line.writerIndex();
        if (i < 0 || i >= end) {
            return INVALID;
        }
        if (end - i >= 5 && line.getByte(i) == 'S' && line.getByte(i + 1) == 'Y'
                && line.getByte(i + 2) == 'N' && line.getByte(i + 3) == 'C' && line.getByte(i + 4) == ' ') {
            i += 5;
            long n = 0;
            for (int k = 0; i < end && k < 10; i++, k++) {
                byte b = line.getByte(i);
                if (b < '0' || b > '9') {
                    break;
                }
                n = n * 10 + (b - '0');
            }
            fields[1] = n;
            return SYNC;
        }
        for (int f = 0; f < 3; f++) {
            int start = i;
            long v = 0;
            while (i < end) {
                byte b = line.getByte(i);
                if (b < '0' || b > '9') {
                    break;
                }
                v = v * 10 + (b - '0');
                i++;
            }
            if (i == start || i - start > 18 || i >= end || line.getByte(i) != ' ') {
                return INVALID;
            }
            fields[f] = v;
            i++;
        }
        return fields[0] > Integer.MAX_VALUE ? INVALID : (int) fields[0];
    }
}
