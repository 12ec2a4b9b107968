package chat.server.config;

/**
 * History: chat lines kept per room ({@code 0} = none, which also turns replay off) and how
 * many of them a client is shown on entering a room ({@code 0} = no block).
 */
public record History(int lines, int joinLines) {

    public static final History DEFAULTS = new History(100, 10);
    public static final History OFF = new History(0, 0);
    /** {@code /history} without N shows this many, or {@code --history} if that is smaller. */
    public static final int DEFAULT_REQUEST = 20;

    public History {
        if (lines < 0) {
            throw new IllegalArgumentException("--history must be 0 (none) or more, got " + lines);
        }
        if (joinLines < 0) {
            throw new IllegalArgumentException("--join-history must be 0 (none) or more, got " + joinLines);
        }
    }

    public boolean enabled() {
        return lines > 0;
    }
}
