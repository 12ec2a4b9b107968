package chat.server.config;

/** Flood control: {@code rate} lines per second (fractions allowed) with bursts of {@code burst}; rate 0 = off. */
public record Flood(double rate, int burst) {

    public static final Flood DEFAULTS = new Flood(20, 40);
    public static final Flood OFF = new Flood(0, 1);

    public Flood {
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("--rate must be 0 (no limit) or more, got " + rate);
        }
        Checks.atLeast("--burst", 1, burst);
    }

    public boolean enabled() {
        return rate > 0;
    }
}
