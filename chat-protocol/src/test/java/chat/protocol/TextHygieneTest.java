package chat.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TextHygieneTest {

    @Test
    void tabShowsAsOneSpace() {
        assertThat(TextHygiene.clean("a\tb")).isEqualTo("a b");
        assertThat(TextHygiene.clean("a\t\tb")).isEqualTo("a  b");
    }

    static IntStream controlsOtherThanTab() {
        return IntStream.concat(IntStream.rangeClosed(0x00, 0x1F), IntStream.rangeClosed(0x7F, 0x9F))
                .filter(c -> c != '\t');
    }

    @ParameterizedTest(name = "U+{0}")
    @MethodSource("controlsOtherThanTab")
    void everyControlCharacterIsRemoved(int control) {
        String c = Character.toString(control);
        assertThat(TextHygiene.clean("a" + c + "b")).isEqualTo("ab");
    }

    @Test
    void escIsRemovedButTheRestOfTheSequenceStaysPrintable() {
        assertThat(TextHygiene.clean("\u001b[31mred\u001b[0m")).isEqualTo("[31mred[0m");
    }

    @ParameterizedTest(name = "U+{0}")
    @ValueSource(ints = {0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069})
    void bidiOverrideAndIsolateCharactersAreRemoved(int bidi) {
        String c = Character.toString(bidi);
        assertThat(TextHygiene.clean("ab" + c + "cd")).isEqualTo("abcd");
    }

    @Test
    void surroundingWhiteSpaceIsTrimmedAfterRemoval() {
        assertThat(TextHygiene.clean("  hi there \t ")).isEqualTo("hi there");
        assertThat(TextHygiene.clean("\u0007 hi \u202E\u0000")).isEqualTo("hi");
    }

    @Test
    void unicodeWhiteSpaceAroundTheLineIsTrimmedToo() {
        assertThat(TextHygiene.clean("\u3000\u2003hi\u3000")).isEqualTo("hi");
        assertThat(TextHygiene.clean("\u3000")).isEmpty();
    }

    @Test
    void cleanTextComesBackUnchanged() {
        String clean = "Hello, José! 1+1=2 [ok] ~/path";
        assertThat(TextHygiene.clean(clean)).isSameAs(clean);
    }

    @Test
    void replacementCharacterEmojiAndSupplementaryLettersAreKept() {
        assertThat(TextHygiene.clean("bad \uFFFD byte")).isEqualTo("bad \uFFFD byte");
        assertThat(TextHygiene.clean("ok 👍🏽 𝒜 \uD83D\uDE00")).isEqualTo("ok 👍🏽 𝒜 \uD83D\uDE00");
    }

    @Test
    void lineOfOnlyControlsBecomesEmpty() {
        assertThat(TextHygiene.clean("\u001b\u0000\u007f\u0085\u202E\u2066")).isEmpty();
        assertThat(TextHygiene.clean("\t\r\n")).isEmpty();
    }
}
