package chat.server.metrics;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A histogram of how long the Broadcaster takes to fan one line out to every member (the
 * Broadcaster's share; the event loops' writes come after). Recorded on the Broadcaster's
 * executor, read by the metrics endpoint.
 */
public final class FanOutTimer {

    /** Upper bounds of the buckets, in seconds; Prometheus adds +Inf. */
    static final double[] BOUNDS = {0.000_01, 0.000_05, 0.000_1, 0.000_5, 0.001, 0.005, 0.01, 0.05, 0.1};

    private static final long[] BOUND_NANOS = new long[BOUNDS.length];

    static {
        for (int i = 0; i < BOUNDS.length; i++) {
            BOUND_NANOS[i] = (long) (BOUNDS[i] * TimeUnit.SECONDS.toNanos(1));
        }
    }

    private final AtomicLongArray buckets = new AtomicLongArray(BOUNDS.length + 1);
    private volatile long sumNanos;

    void record(long nanos) {
        int i = 0;
        while (i < BOUND_NANOS.length && nanos > BOUND_NANOS[i]) {
            i++;
        }
        buckets.lazySet(i, buckets.get(i) + 1); // one writer: the Broadcaster
        sumNanos = sumNanos + nanos;
    }

    /** Observations in bucket {@code i} alone (not cumulative); the last is +Inf. */
    long bucket(int i) {
        return buckets.get(i);
    }

    double sumSeconds() {
        return sumNanos / 1e9;
    }
}
