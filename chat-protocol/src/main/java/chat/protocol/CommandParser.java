package chat.protocol;

/**
 * Turns a cleaned, non-empty line from a joined client into a {@link Command}. Pure and
 * thread-safe. Command words are lower case and case-sensitive; {@code /quit}, {@code /who},
 * {@code /rooms} and {@code /help} ignore what follows them.
 */
public final class CommandParser {

    private static final Command WHO = new Command.Who();
    private static final Command ROOMS = new Command.Rooms();
    private static final Command HELP = new Command.Help();
    private static final Command QUIT = new Command.Quit();
    private static final Command HISTORY_DEFAULT = new Command.History(Command.History.DEFAULT);
    private static final Command HISTORY_USAGE = new Command.Invalid(ServerLines.usageHistory());
    /** Longer digit strings cannot be a valid count; refusing them early avoids overflow. */
    private static final int MAX_COUNT_DIGITS = 9;

    private CommandParser() {
    }

    public static Command parse(String line) {
        if (line.isEmpty() || line.charAt(0) != '/') {
            return new Command.Say(line);
        }
        if (line.startsWith("//")) {
            return new Command.Say(line.substring(1));
        }
        int space = line.indexOf(' ');
        String word = space < 0 ? line : line.substring(0, space);
        String rest = space < 0 ? "" : line.substring(space + 1).strip();
        return switch (word) {
            case "/me" -> rest.isEmpty() ? new Command.Invalid(ServerLines.usageMe()) : new Command.Act(rest);
            case "/msg" -> whisper(rest);
            case "/nick" -> new Command.Rename(rest);
            case "/join" -> rest.isEmpty() ? new Command.Invalid(ServerLines.usageJoin()) : new Command.Join(rest);
            case "/rooms" -> ROOMS;
            case "/history" -> history(rest);
            case "/who" -> WHO;
            case "/help" -> HELP;
            case "/quit" -> QUIT;
            default -> new Command.Unknown(word);
        };
    }

    private static Command whisper(String rest) {
        int space = rest.indexOf(' ');
        if (space < 0) {
            return new Command.Invalid(ServerLines.usageMsg());
        }
        String text = rest.substring(space + 1).stripLeading();
        if (text.isEmpty()) {
            return new Command.Invalid(ServerLines.usageMsg());
        }
        return new Command.Whisper(rest.substring(0, space), text);
    }

    /** History: N is 1 or more, in ASCII digits; anything else is the usage error. */
    private static Command history(String rest) {
        if (rest.isEmpty()) {
            return HISTORY_DEFAULT;
        }
        if (rest.length() > MAX_COUNT_DIGITS) {
            return HISTORY_USAGE;
        }
        int n = 0;
        for (int i = 0; i < rest.length(); i++) {
            char c = rest.charAt(i);
            if (c < '0' || c > '9') {
                return HISTORY_USAGE;
            }
            n = n * 10 + (c - '0');
        }
        return n == 0 ? HISTORY_USAGE : new Command.History(n);
    }
}
