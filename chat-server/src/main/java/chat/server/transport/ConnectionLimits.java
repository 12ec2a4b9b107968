package chat.server.transport;

import chat.server.metrics.DisconnectReason;
import chat.server.config.Limits;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts open connections, in all, per remote address and still without a name, and says
 * whether one more may stay (PROTOCOL.md, --max-connections, --max-connections-per-ip, and at
 * most half of the connections unnamed). One instance counts every listener. Thread-safe:
 * channels of all event loops are admitted and released concurrently, once per connection,
 * never per line.
 */
public final class ConnectionLimits {

    private static final AttributeKey<AtomicBoolean> UNNAMED = AttributeKey.valueOf(ConnectionLimits.class, "unnamed");

    private final int maxConnections;
    private final int maxPerAddress;
    private final int maxUnnamed;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger unnamed = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();

    public ConnectionLimits(Limits limits) {
        this.maxConnections = limits.maxConnections();
        this.maxPerAddress = limits.maxConnectionsPerIp();
        this.maxUnnamed = limits.maxUnnamed();
    }

    /**
     * Admits the channel and releases it when it closes, or returns why it may not stay
     * (its counts are then left as they were). An admitted channel counts as unnamed until
     * {@link #named} is called for it.
     */
    public DisconnectReason admit(Channel channel) {
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            return DisconnectReason.SERVER_FULL;
        }
        if (unnamed.incrementAndGet() > maxUnnamed) {
            unnamed.decrementAndGet();
            open.decrementAndGet();
            return DisconnectReason.SERVER_FULL;
        }
        InetAddress address = addressOf(channel.remoteAddress());
        boolean[] over = new boolean[1];
        perAddress.compute(address, (a, n) -> {
            int count = n == null ? 0 : n;
            if (count >= maxPerAddress) {
                over[0] = true;
                return n;
            }
            return count + 1;
        });
        if (over[0]) {
            unnamed.decrementAndGet();
            open.decrementAndGet();
            return DisconnectReason.TOO_MANY_FROM_ADDRESS;
        }
        AtomicBoolean stillUnnamed = new AtomicBoolean(true);
        channel.attr(UNNAMED).set(stillUnnamed);
        channel.closeFuture().addListener(closed -> release(address, stillUnnamed));
        return null;
    }

    /** The channel's client has chosen a name: it no longer counts as unnamed. Any thread, once or more. */
    public void named(Channel channel) {
        AtomicBoolean stillUnnamed = channel.attr(UNNAMED).get();
        if (stillUnnamed != null && stillUnnamed.compareAndSet(true, false)) {
            unnamed.decrementAndGet();
        }
    }

    /** Connections admitted and not yet closed. */
    public int open() {
        return open.get();
    }

    private void release(InetAddress address, AtomicBoolean stillUnnamed) {
        if (stillUnnamed.compareAndSet(true, false)) {
            unnamed.decrementAndGet();
        }
        perAddress.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1);
        open.decrementAndGet();
    }

    /** Embedded test channels have no IP address; they count as one address. */
    private static InetAddress addressOf(SocketAddress remote) {
        return remote instanceof InetSocketAddress inet ? inet.getAddress() : InetAddress.getLoopbackAddress();
    }
}
