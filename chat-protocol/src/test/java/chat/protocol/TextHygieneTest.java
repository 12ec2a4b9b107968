package chat.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.lang.UProperty;
import java.lang.management.ManagementFactory;
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

    @ParameterizedTest(name = "U+{0}")
    @ValueSource(ints = {0x200E, 0x200F, 0x061C, 0x200B, 0x2060, 0xFEFF})
    void bidiMarksAndInvisibleSpacesAreRemovedInsideAndAround(int invisible) {
        // LRM, RLM, ALM; zero width space, word joiner, zero width no-break space (BOM)
        String c = Character.toString(invisible);
        assertThat(TextHygiene.clean("b" + c + "ob")).isEqualTo("bob");
        assertThat(TextHygiene.clean(c + "bob" + c)).isEqualTo("bob");
    }

    @Test
    void everyCharacterUnicodeCallsBidiControlIsRemoved() {
        // ICU's Unicode data, newer than the JDK's: a Bidi_Control added later shows up here.
        int[] bidiControls = IntStream.rangeClosed(0, 0x10FFFF)
                .filter(cp -> UCharacter.hasBinaryProperty(cp, UProperty.BIDI_CONTROL))
                .toArray();
        assertThat(bidiControls).hasSize(12);
        for (int cp : bidiControls) {
            assertThat(TextHygiene.clean("a" + Character.toString(cp) + "b")).as("U+%04X", cp).isEqualTo("ab");
        }
    }

    @Test
    void byteOrderMarkAtTheStartOfALineIsDropped() {
        assertThat(TextHygiene.clean("\uFEFF/who")).isEqualTo("/who");
    }

    @Test
    void zeroWidthJoinerAndNonJoinerStayBecauseScriptsAndEmojiNeedThem() {
        String coder = "\uD83D\uDC69\u200D\uD83D\uDCBB";  // woman + ZWJ + laptop: one emoji
        String persian = "\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645"; // ZWNJ keeps "mi" apart
        String line = coder + " " + persian;
        assertThat(TextHygiene.clean(line)).isSameAs(line);
    }

    @ParameterizedTest(name = "U+{0}")
    @ValueSource(ints = {0x2028, 0x2029})
    void lineAndParagraphSeparatorsShowAsSpaces(int separator) {
        String c = Character.toString(separator);
        assertThat(TextHygiene.clean("one" + c + "two")).isEqualTo("one two");
        assertThat(TextHygiene.clean(c + "one" + c + c)).isEqualTo("one");
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
    void cleanTextIsNotCopied() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertThat(threads.isThreadAllocatedMemoryEnabled()).isTrue();
        String clean = "Hello, José! 张三 \u200D\u200C [ok] ~/path";
        long sink = 0;
        for (int i = 0; i < 10_000; i++) {
            sink += TextHygiene.clean(clean).length(); // let the JIT settle first
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) {
            sink += TextHygiene.clean(clean).length();
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(sink).isEqualTo(110_000L * clean.length());
        // A copy of this line is over 100 bytes; 100,000 calls allocate less than one byte each.
        assertThat(allocated).isLessThan(100_000);
    }

    @Test
    void replacementCharacterEmojiAndSupplementaryLettersAreKept() {
        assertThat(TextHygiene.clean("bad \uFFFD byte")).isEqualTo("bad \uFFFD byte");
        assertThat(TextHygiene.clean("ok 👍🏽 𝒜 \uD83D\uDE00")).isEqualTo("ok 👍🏽 𝒜 \uD83D\uDE00");
    }

    @Test
    void lineOfOnlyControlsBecomesEmpty() {
        assertThat(TextHygiene.clean("\u001b\u0000\u007f\u0085\u202E\u2066")).isEmpty();
        assertThat(TextHygiene.clean("\u200E\u200B\u2060\uFEFF\u2028\u2029")).isEmpty();
        assertThat(TextHygiene.clean("\t\r\n")).isEmpty();
    }
}
