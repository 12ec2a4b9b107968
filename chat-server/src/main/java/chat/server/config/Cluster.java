package chat.server.config;

import java.time.Duration;
import java.util.Optional;

/**
 * Clusters: the Redis every server of the cluster shares ({@code --redis}; empty = this process
 * alone), and how soon the clients of a server that stopped are announced as left
 * ({@code --node-timeout}).
 */
public record Cluster(Optional<String> redis, Duration nodeTimeout) {

    public static final Cluster DEFAULTS = new Cluster(Optional.empty(), Duration.ofSeconds(10));

    public Cluster {
        if (nodeTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("--node-timeout must be at least 1s, got " + nodeTimeout.toMillis() + "ms");
        }
    }

    public boolean enabled() {
        return redis.isPresent();
    }

    /** {@code uri} as it may be shown: a password in it is starred out. */
    public static String shown(String uri) {
        return uri.replaceAll("//[^@/]*@", "//***@");
    }
}
