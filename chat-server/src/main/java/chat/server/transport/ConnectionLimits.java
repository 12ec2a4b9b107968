package chat.server.transport;

import chat.server.chat.DisconnectReason;
import io.netty.channel.Channel;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts open connections, in all and per remote address, and says whether one more may join
 * (PROTOCOL.md, --max-connections and --max-connections-per-ip). Thread-safe: channels of all
 * event loops are admitted and released concurrently, once per connection, never per line.
 */
public final class ConnectionLimits {

    private final int maxConnections;
    private final int maxPerAddress;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();

    public ConnectionLimits(int maxConnections, int maxPerAddress) {
        this.maxConnections = maxConnections;
        this.maxPerAddress = maxPerAddress;
    }

    /**
     * Admits the channel and releases it when it closes, or returns why it may not stay
     * (its counts are then left as they were).
     */
    public DisconnectReason admit(Channel channel) {
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            return DisconnectReason.SERVER_FULL;
        }
        InetAddress address = addressOf(channel);
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
            open.decrementAndGet();
            return DisconnectReason.TOO_MANY_FROM_ADDRESS;
        }
        channel.closeFuture().addListener(closed -> release(address));
        return null;
    }

    /** Connections admitted and not yet closed. */
    public int open() {
        return open.get();
    }

    private void release(InetAddress address) {
        perAddress.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1);
        open.decrementAndGet();
    }

    private static InetAddress addressOf(Channel channel) {
        return ((InetSocketAddress) channel.remoteAddress()).getAddress();
    }
}
