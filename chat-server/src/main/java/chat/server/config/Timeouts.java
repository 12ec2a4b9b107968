package chat.server.config;

import java.time.Duration;

/** How long a connection may go without a name, and without sending a line ({@code 0} = never). */
public record Timeouts(Duration name, Duration idle) {

    public static final Timeouts DEFAULTS = new Timeouts(Duration.ofSeconds(60), Duration.ofSeconds(300));

    public Timeouts {
        Checks.positive("--name-timeout", name);
        if (idle == null || idle.isNegative()) {
            throw new IllegalArgumentException("--idle-timeout must be 0 (never) or more");
        }
    }

    /** Whether idle clients are ever disconnected ({@code --idle-timeout 0} means never). */
    public boolean idleEnabled() {
        return !idle.isZero();
    }
}
