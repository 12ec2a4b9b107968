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
