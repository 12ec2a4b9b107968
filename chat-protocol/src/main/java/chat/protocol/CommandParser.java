package chat.protocol;

/**
 * Turns a cleaned, non-empty line from a joined client into a {@link Command}. Pure and
 * thread-safe. Command words are lower case and case-sensitive; {@code /quit}, {@code /who} and
 * {@code /help} ignore what follows them.
 */
public final class CommandParser {

    private static final Command WHO = new Command.Who();
    private static final Command HELP = new Command.Help();
    private static final Command QUIT = new Command.Quit();

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
        String rest = space < 0 ? "" : line.substring(space + 1).stripLeading();
        return switch (word) {
            case "/me" -> rest.isEmpty() ? new Command.Invalid(ServerLines.usageMe()) : new Command.Act(rest);
            case "/msg" -> whisper(rest);
            case "/nick" -> new Command.Rename(rest);
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
}
