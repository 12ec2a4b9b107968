package chat.protocol;

import java.time.Duration;
import java.util.Collection;
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
            "//TEXT - say a line that starts with /",
            "/help - show this list",
            "/quit - leave");

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

    /** {@code others} sorted already. */
    public static String alsoHere(Collection<String> others) {
        return "Also here: " + (others.isEmpty() ? "nobody" : String.join(", ", others));
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

    /** {@code everyone} sorted already, the asker included. */
    public static String hereNow(Collection<String> everyone) {
        return "Here now (" + everyone.size() + "): " + String.join(", ", everyone);
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

    public static String lineTooLong(int limitBytes) {
        return "Error: line too long (limit " + limitBytes + " bytes)";
    }

    public static String dropped(long count) {
        return "Dropped " + count + " messages (your connection was too slow)";
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
