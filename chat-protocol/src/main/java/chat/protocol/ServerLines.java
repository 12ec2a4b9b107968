package chat.protocol;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.List;

/**
 * Every line the server sends, without its LF (PROTOCOL.md). The one place that spells them.
 * Pure and thread-safe.
 */
public final class ServerLines {

    /** What {@code /help} answers: one line per command, each starting with '/'. */
    public static final List<String> HELP = List.of(
            "/who - list everyone here",
            "/msg NAME TEXT - send TEXT to NAME alone",
            "/me TEXT - act: everyone sees * NAME TEXT",
            "/nick NAME - change your name",
            "/join ROOM - move to ROOM (# optional); it is made if it does not exist",
            "/rooms - list the rooms and how many are in each",
            "/history [N] - show the last N lines of this room (default 20)",
            "//TEXT - say a line that starts with /",
            "/help - show this list",
            "/quit - leave");

    /** Big rooms: {@code Also here:} and {@code /who} name at most this many, then {@code and N more}. */
    public static final int MAX_LISTED_NAMES = 100;

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

    private ServerLines() {
    }

    public static String enterName() {
        return "Enter your name:";
    }

    public static String invalidName() {
        return "Error: invalid name; use 1-24 letters, digits, '_', '-' or '.'";
    }

    public static String nameTaken(String name) {
        return "Error: name " + name + " is taken";
    }

    public static String youAre(String name) {
        return "You are " + name;
    }

    /**
     * {@code others}: the other members' names in who-list order, {@code count} of them. Only the
     * first {@link #MAX_LISTED_NAMES} are read, so a big room costs no more than a small one.
     */
    public static String alsoHere(Iterable<String> others, int count) {
        return count == 0 ? "Also here: nobody" : listed(new StringBuilder("Also here: "), others, count);
    }

    /** {@code everyone}: the room's names in who-list order, the asker included, {@code count} of them. */
    public static String hereNow(Iterable<String> everyone, int count) {
        return listed(new StringBuilder("Here now (").append(count).append("): "), everyone, count);
    }

    private static String listed(StringBuilder line, Iterable<String> names, int count) {
        Iterator<String> it = names.iterator();
        int shown = 0;
        while (shown < MAX_LISTED_NAMES && it.hasNext()) {
            if (shown > 0) {
                line.append(", ");
            }
            line.append(it.next());
            shown++;
        }
        if (count > shown) {
            line.append(" and ").append(count - shown).append(" more");
        }
        return line.toString();
    }

    public static String arrived(String name) {
        return name + " has arrived";
    }

    public static String left(String name) {
        return name + " has left";
    }

    public static String chat(String name, String text) {
        return name + ": " + text;
    }

    public static String action(String name, String text) {
        return "* " + name + " " + text;
    }

    public static String privateFrom(String from, String text) {
        return from + " (private): " + text;
    }

    public static String privateTo(String to, String text) {
        return "to " + to + " (private): " + text;
    }

    public static String renamed(String oldName, String newName) {
        return oldName + " is now known as " + newName;
    }

    public static String unknownCommand(String word) {
        return "Error: unknown command " + word + "; try /help";
    }

    public static String usageMsg() {
        return "Error: usage: /msg NAME TEXT";
    }

    public static String usageMe() {
        return "Error: usage: /me TEXT";
    }

    public static String noOneNamed(String name) {
        return "Error: no one named " + name + " is here";
    }

    public static String youAreIn(String room) {
        return "You are in " + room;
    }

    public static String usageJoin() {
        return "Error: usage: /join ROOM";
    }

    public static String invalidRoomName() {
        return "Error: invalid room name; use # and 1-32 letters, digits, '_', '-' or '.'";
    }

    public static String alreadyIn(String room) {
        return "Error: you are already in " + room;
    }

    public static String tooManyRooms(int limit) {
        return "Error: too many rooms (limit " + limit + ")";
    }

    /** One room of the {@code /rooms} answer: {@code #dev (2)}. */
    public static String roomEntry(String room, int members) {
        return room + " (" + members + ")";
    }

    /** {@code entries} are {@link #roomEntry}s sorted as names. */
    public static String rooms(List<String> entries) {
        return "Rooms (" + entries.size() + "): " + String.join(", ", entries);
    }

    public static String usageHistory() {
        return "Error: usage: /history [N]";
    }

    /** The head of a recent-messages block of {@code count} lines. */
    public static String recentMessages(int count) {
        return "Recent messages (" + count + "):";
    }

    /** A kept chat line in a recent-messages block: {@code [HH:MM] ann: hello}, the time in UTC. */
    public static String recentLine(long acceptedAtMillis, String line) {
        return "[" + CLOCK.format(Instant.ofEpochMilli(acceptedAtMillis)) + "] " + line;
    }

    /** Flood control: told once per episode when the sender's lines start being held. */
    public static String slowDown(double linesPerSecond) {
        String rate = linesPerSecond == Math.rint(linesPerSecond)
                ? Long.toString((long) linesPerSecond) : Double.toString(linesPerSecond);
        return "Slow down: over " + rate + " lines per second; your lines are held and sent in order";
    }

    public static String lineTooLong(int limitBytes) {
        return "Error: line too long (limit " + limitBytes + " bytes)";
    }

    public static String dropped(long count) {
        return "Dropped " + count + " messages (your connection was too slow)";
    }

    /** Clusters: the line needs Redis, which cannot be reached now. */
    public static String chatUnavailable() {
        return "Error: chat is unavailable, try again";
    }

    public static String disconnectedQuit() {
        return "Disconnected: quit";
    }

    public static String disconnectedIdle(Duration idleTimeout) {
        return "Disconnected: idle for " + seconds(idleTimeout);
    }

    public static String disconnectedNoName(Duration nameTimeout) {
        return "Disconnected: no name given within " + seconds(nameTimeout);
    }

    public static String disconnectedServerFull() {
        return "Disconnected: server is full";
    }

    public static String disconnectedTooManyFromAddress() {
        return "Disconnected: too many connections from your address";
    }

    public static String disconnectedShuttingDown() {
        return "Disconnected: server shutting down";
    }

    /** Durations in lines are whole seconds followed by 's', cut down (1500ms reads 1s: it was idle that long). */
    static String seconds(Duration d) {
        return d.toSeconds() + "s";
    }
}
