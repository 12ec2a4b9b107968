package chat.server.cluster;

/**
 * A line accepted for a room: {@code kept} lines (chat and {@code /me}) go into the room's
 * history; the others (arrivals, departures, renames) only to its members at the time.
 */
public record RoomLine(String roomKey, String text, boolean kept, long acceptedAtMillis) {
}
