package chat.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CommandParserTest {

    @Test
    void plainTextIsChat() {
        assertThat(CommandParser.parse("hello there")).isEqualTo(new Command.Say("hello there"));
        assertThat(CommandParser.parse("a /me b")).isEqualTo(new Command.Say("a /me b"));
    }

    @Test
    void doubleSlashSendsTheLineWithOneSlash() {
        assertThat(CommandParser.parse("//x")).isEqualTo(new Command.Say("/x"));
        assertThat(CommandParser.parse("//me waves")).isEqualTo(new Command.Say("/me waves"));
        assertThat(CommandParser.parse("//")).isEqualTo(new Command.Say("/"));
    }

    @Test
    void meActs() {
        assertThat(CommandParser.parse("/me waves at all")).isEqualTo(new Command.Act("waves at all"));
    }

    @Test
    void extraSpacesAfterTheCommandWordAreIgnored() {
        assertThat(CommandParser.parse("/me   waves")).isEqualTo(new Command.Act("waves"));
        assertThat(CommandParser.parse("/msg  bob   hi  there")).isEqualTo(new Command.Whisper("bob", "hi  there"));
        assertThat(CommandParser.parse("/nick  x")).isEqualTo(new Command.Rename("x"));
    }

    @Test
    void meWithoutTextShowsItsUsage() {
        assertThat(CommandParser.parse("/me")).isEqualTo(new Command.Invalid("Error: usage: /me TEXT"));
    }

    @Test
    void msgWhispersTheRestOfTheLine() {
        assertThat(CommandParser.parse("/msg bob hi there"))
                .isEqualTo(new Command.Whisper("bob", "hi there"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/msg", "/msg bob"})
    void msgWithoutNameOrTextShowsItsUsage(String line) {
        assertThat(CommandParser.parse(line)).isEqualTo(new Command.Invalid("Error: usage: /msg NAME TEXT"));
    }

    @Test
    void nickAsksForARenameEvenWithoutAName() {
        assertThat(CommandParser.parse("/nick x")).isEqualTo(new Command.Rename("x"));
        assertThat(CommandParser.parse("/nick")).isEqualTo(new Command.Rename(""));
    }

    @Test
    void whoHelpAndQuitIgnoreWhatFollows() {
        assertThat(CommandParser.parse("/who")).isEqualTo(new Command.Who());
        assertThat(CommandParser.parse("/who anything")).isEqualTo(new Command.Who());
        assertThat(CommandParser.parse("/quit")).isEqualTo(new Command.Quit());
        assertThat(CommandParser.parse("/quit now")).isEqualTo(new Command.Quit());
        assertThat(CommandParser.parse("/help")).isEqualTo(new Command.Help());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/QUIT        | /QUIT",
            "/Me x        | /Me",
            "/            | /",
            "/mex         | /mex",
            "/whoever     | /whoever",
            "/frobnicate a b | /frobnicate"})
    void unknownCommandIsReportedWithTheWordAsTyped(String line, String word) {
        assertThat(CommandParser.parse(line)).isEqualTo(new Command.Unknown(word));
    }

    @Test
    void joinTakesTheRoomAsTyped() {
        assertThat(CommandParser.parse("/join #dev")).isEqualTo(new Command.Join("#dev"));
        assertThat(CommandParser.parse("/join  dev")).isEqualTo(new Command.Join("dev"));
        assertThat(CommandParser.parse("/join")).isEqualTo(new Command.Invalid("Error: usage: /join ROOM"));
    }

    @Test
    void roomsIgnoresWhatFollows() {
        assertThat(CommandParser.parse("/rooms")).isEqualTo(new Command.Rooms());
        assertThat(CommandParser.parse("/rooms please")).isEqualTo(new Command.Rooms());
    }

    @Test
    void historyTakesAnOptionalPositiveCount() {
        assertThat(CommandParser.parse("/history")).isEqualTo(new Command.History(Command.History.DEFAULT));
        assertThat(CommandParser.parse("/history 5")).isEqualTo(new Command.History(5));
        assertThat(CommandParser.parse("/history 100")).isEqualTo(new Command.History(100));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/history 0", "/history -1", "/history 999999999", "/history 99999999999999999999",
            "/history x", "/history 5 6", "/history +5", "/history ５"})
    void historyWithAnyOtherCountShowsItsUsage(String line) {
        Command c = CommandParser.parse(line);
        if (line.equals("/history 999999999")) {
            // Nine digits parse; the chat core refuses any N over --history with the same line.
            assertThat(c).isEqualTo(new Command.History(999_999_999));
        } else {
            assertThat(c).isEqualTo(new Command.Invalid("Error: usage: /history [N]"));
        }
    }
}
