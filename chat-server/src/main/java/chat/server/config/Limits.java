package chat.server.config;

/** How much one client, and all of them, may take: connections, line length, rooms. */
public record Limits(int maxConnections, int maxConnectionsPerIp, int maxLineBytes, int maxRooms) {

    public static final Limits DEFAULTS = new Limits(10_000, 64, 2048, 1000);

    public Limits {
        Checks.atLeast("--max-connections", 1, maxConnections);
        Checks.atLeast("--max-connections-per-ip", 1, maxConnectionsPerIp);
        Checks.atLeast("--max-line-bytes", 1, maxLineBytes);
        Checks.atLeast("--max-rooms", 1, maxRooms);
    }

    public Limits withConnections(int total, int perIp) {
        return new Limits(total, perIp, maxLineBytes, maxRooms);
    }

    public Limits withMaxLineBytes(int bytes) {
        return new Limits(maxConnections, maxConnectionsPerIp, bytes, maxRooms);
    }

    public Limits withMaxRooms(int rooms) {
        return new Limits(maxConnections, maxConnectionsPerIp, maxLineBytes, rooms);
    }
}
