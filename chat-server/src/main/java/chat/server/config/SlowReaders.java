package chat.server.config;

import java.time.Duration;

/**
 * Slow readers: each connection's outbound buffer marks, and how long it may stay above the
 * high one before it is closed.
 */
public record SlowReaders(Duration timeout, int writeBufferHigh, int writeBufferLow) {

    public static final SlowReaders DEFAULTS = new SlowReaders(Duration.ofSeconds(30), 65_536, 32_768);

    public SlowReaders {
        Checks.positive("--slow-consumer-timeout", timeout);
        Checks.atLeast("--write-buffer-low", 1, writeBufferLow);
        if (writeBufferLow > writeBufferHigh) {
            throw new IllegalArgumentException("--write-buffer-low must not exceed --write-buffer-high");
        }
    }
}
