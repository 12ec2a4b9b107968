package chat.server.config;

/**
 * How much one client, and all of them, may take: connections, line length, rooms, and the
 * room size past which arrivals, departures and renames are no longer announced ({@code 0} =
 * always announce).
 */
public record Limits(int maxConnections, int maxConnectionsPerIp, int maxLineBytes, int maxRooms, int announceLimit) {

    public static final Limits DEFAULTS = new Limits(10_000, 64, 2048, 1000, 1000);

    public Limits {
        Checks.atLeast("--max-connections", 1, maxConnections);
        Checks.atLeast("--max-connections-per-ip", 1, maxConnectionsPerIp);
        Checks.atLeast("--max-line-bytes", 1, maxLineBytes);
        Checks.atLeast("--max-rooms", 1, maxRooms);
        Checks.atLeast("--announce-limit", 0, announceLimit);
    }

    public Limits withConnections(int total, int perIp) {
        return new Limits(total, perIp, maxLineBytes, maxRooms, announceLimit);
    }

    public Limits withMaxLineBytes(int bytes) {
        return new Limits(maxConnections, maxConnectionsPerIp, bytes, maxRooms, announceLimit);
    }

    public Limits withMaxRooms(int rooms) {
        return new Limits(maxConnections, maxConnectionsPerIp, maxLineBytes, rooms, announceLimit);
    }

    public Limits withAnnounceLimit(int members) {
        return new Limits(maxConnections, maxConnectionsPerIp, maxLineBytes, maxRooms, members);
    }

    /** Whether comings and goings in a room of {@code members} (the one who comes or goes included) are announced. */
    public boolean announces(int members) {
        return announceLimit == 0 || members <= announceLimit;
    }

    /** Big rooms aside, at most half of the connections may be still without a name. */
    public int maxUnnamed() {
        return Math.max(1, maxConnections / 2);
    }
}
