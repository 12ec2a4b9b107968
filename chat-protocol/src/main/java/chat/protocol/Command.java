package chat.protocol;

/**
 * What a joined client's cleaned line asks for (PROTOCOL.md, "Talking"). Bad input is a value
 * too: {@link Unknown} and {@link Invalid} carry what the sender is told.
 */
public sealed interface Command {

    /** Plain chat, also {@code //TEXT} sent as {@code /TEXT}. */
    record Say(String text) implements Command {
    }

    /** {@code /me TEXT}. */
    record Act(String text) implements Command {
    }

    /** {@code /msg NAME TEXT}. */
    record Whisper(String to, String text) implements Command {
    }

    /** {@code /nick NEW}; NEW is checked by the Broadcaster, like a name at the prompt. */
    record Rename(String newName) implements Command {
    }

    /** {@code /join ROOM}; ROOM (as typed, {@code #} optional) is checked by the chat core. */
    record Join(String room) implements Command {
    }

    /** {@code /rooms}. */
    record Rooms() implements Command {
    }

    /**
     * {@code /history [N]}: {@code count} is N, or {@link #DEFAULT} when none was given. The parser
     * only knows that N is a positive number; the chat core checks it against {@code --history}.
     */
    record History(int count) implements Command {
        public static final int DEFAULT = 0;
    }

    /** {@code /who}. */
    record Who() implements Command {
    }

    /** {@code /help}. */
    record Help() implements Command {
    }

    /** {@code /quit}. */
    record Quit() implements Command {
    }

    /** A command word we do not know; {@code word} is the whole word, slash included. */
    record Unknown(String word) implements Command {
    }

    /** A known command used wrongly; {@code error} is the complete line for the sender. */
    record Invalid(String error) implements Command {
    }
}
