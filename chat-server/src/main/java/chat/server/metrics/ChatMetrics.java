package chat.server.metrics;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The server's counters. Written from event loops and the chat executor, read by whoever reports
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
    private final LongAdder linesReplayed = new LongAdder();
    private volatile int roomsOpen = 1;
    private volatile IntSupplier openConnections = () -> 0;
    private volatile LongSupplier historyBytes = () -> 0;
    private final FanOutTimer fanOutTime = new FanOutTimer();
    private final LongAdder[] disconnects = new LongAdder[DisconnectReason.values().length];
    private final LongAdder metricsConnectionsRejected = new LongAdder();
    private volatile int clusterUp = -1;
    private final LongAdder clusterUnavailable = new LongAdder();

    public ChatMetrics() {
        for (int i = 0; i < disconnects.length; i++) {
            disconnects[i] = new LongAdder();
        }
    }

    /** Where the open-connections gauge is read: the connection limits count them already. */
    public void countConnectionsWith(IntSupplier openConnections) {
        this.openConnections = openConnections;
    }

    /** Where the history-bytes gauge is read: the history store counts them already. */
    public void countHistoryBytesWith(LongSupplier historyBytes) {
        this.historyBytes = historyBytes;
    }

    public void lineReceived() {
        linesReceived.increment();
    }

    public void delivered(long n) {
        if (n > 0) {
            linesDelivered.add(n);
        }
    }

    public void dropped(long n) {
        linesDropped.add(n);
    }

    public void replayed(long n) {
        if (n > 0) {
            linesReplayed.add(n);
        }
    }

    public void roomsOpen(int count) {
        roomsOpen = count;
    }

    public void slowConsumerDisconnect() {
        slowConsumerDisconnects.increment();
    }

    public void floodPause() {
        floodPauses.increment();
    }

    public void rejectedServerFull() {
        rejectedServerFull.increment();
    }

    public void rejectedPerAddress() {
        rejectedPerAddress.increment();
    }

    /** One connection closed, for this reason: call it once per close, from any thread. */
    public void disconnect(DisconnectReason reason) {
        disconnects[reason.ordinal()].increment();
    }

    /** A metrics connection turned away: the metrics port already had its maximum. */
    public void metricsConnectionRejected() {
        metricsConnectionsRejected.increment();
    }

    /** Clusters: whether this server can reach Redis and is up in its cluster. */
    public void clusterUp(boolean up) {
        clusterUp = up ? 1 : 0;
    }

    /** Clusters: a line got {@code Error: chat is unavailable, try again}. */
    public void clusterUnavailable() {
        clusterUnavailable.increment();
    }

    /** 1 up, 0 down, -1 not in a cluster. */
    public int clusterUp() {
        return clusterUp;
    }

    public long clusterUnavailableTotal() {
        return clusterUnavailable.sum();
    }

    public void joined(int count) {
        clientsJoined = count;
    }

    public void fanOutTook(long nanos) {
        fanOutTime.record(nanos);
    }

    public FanOutTimer fanOutTime() {
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

    public long linesReplayed() {
        return linesReplayed.sum();
    }

    public int roomsOpen() {
        return roomsOpen;
    }

    public long historyBytes() {
        return historyBytes.getAsLong();
    }

    public long rejectedServerFullTotal() {
        return rejectedServerFull.sum();
    }

    public long rejectedPerAddressTotal() {
        return rejectedPerAddress.sum();
    }

    public long disconnects(DisconnectReason reason) {
        return disconnects[reason.ordinal()].sum();
    }

    public long metricsConnectionsRejected() {
        return metricsConnectionsRejected.sum();
    }
}
