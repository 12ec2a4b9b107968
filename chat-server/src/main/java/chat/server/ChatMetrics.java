package chat.server;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * The server's counters. Written from event loops and the Broadcaster, read by whoever reports
 * them; each update is one add, so they cost nothing worth measuring on the per-line path.
 */
public final class ChatMetrics {

    private final LongAdder linesReceived = new LongAdder();
    private final LongAdder linesDelivered = new LongAdder();
    private final LongAdder linesDropped = new LongAdder();
    private final LongAdder slowConsumerDisconnects = new LongAdder();
    private final LongAdder floodPauses = new LongAdder();
    private final LongAdder rejectedServerFull = new LongAdder();
    private final LongAdder rejectedPerAddress = new LongAdder();
    private volatile int clientsJoined;
    private volatile IntSupplier openConnections = () -> 0;
    private final FanOutTimer fanOutTime = new FanOutTimer();

    /** Where the open-connections gauge is read: the connection limits count them already. */
    void countConnectionsWith(IntSupplier openConnections) {
        this.openConnections = openConnections;
    }

    void lineReceived() {
        linesReceived.increment();
    }

    void delivered(long n) {
        if (n > 0) {
            linesDelivered.add(n);
        }
    }

    void dropped() {
        linesDropped.increment();
    }

    void slowConsumerDisconnect() {
        slowConsumerDisconnects.increment();
    }

    void floodPause() {
        floodPauses.increment();
    }

    void rejected(DisconnectReason reason) {
        (reason == DisconnectReason.SERVER_FULL ? rejectedServerFull : rejectedPerAddress).increment();
    }

    void joined(int count) {
        clientsJoined = count;
    }

    void fanOutTook(long nanos) {
        fanOutTime.record(nanos);
    }

    FanOutTimer fanOutTime() {
        return fanOutTime;
    }

    public long connectionsOpen() {
        return openConnections.getAsInt();
    }

    public int clientsJoined() {
        return clientsJoined;
    }

    public long linesReceived() {
        return linesReceived.sum();
    }

    public long linesDelivered() {
        return linesDelivered.sum();
    }

    public long linesDropped() {
        return linesDropped.sum();
    }

    public long slowConsumerDisconnects() {
        return slowConsumerDisconnects.sum();
    }

    public long floodPauses() {
        return floodPauses.sum();
    }

    public long rejectedServerFull() {
        return rejectedServerFull.sum();
    }

    public long rejectedPerAddress() {
        return rejectedPerAddress.sum();
    }
}
