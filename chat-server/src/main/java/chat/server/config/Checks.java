package chat.server.config;

import java.time.Duration;

/** The checks options share; each message is the one line the CLI prints. */
final class Checks {

    private Checks() {
    }

    static void port(String option, int p) {
        if (p < 0 || p > 65_535) {
            throw new IllegalArgumentException(option + " must be 0-65535, got " + p);
        }
    }

    static void atLeast(String option, int min, int value) {
        if (value < min) {
            throw new IllegalArgumentException(option + " must be at least " + min + ", got " + value);
        }
    }

    static void positive(String option, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(option + " must be more than 0");
        }
    }
}
