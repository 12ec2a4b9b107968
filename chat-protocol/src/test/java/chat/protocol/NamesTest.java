package chat.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

    private static final String SCRIPT_A = "\uD835\uDC9C"; // U+1D49C, a letter outside the BMP

    @ParameterizedTest
    @ValueSource(strings = {"张三", "José", "bob_2", "a.b-c", "2pac", "7", "x", "Zoë_the-3rd.x"})
    void validNamesAreAccepted(String name) {
        assertThat(Names.isValid(Names.display(name))).isTrue();
    }

    @Test
    void decomposedAccentIsShownAsThePrecomposedName() {
        String decomposed = "Jose\u0301";
        assertThat(Names.display(decomposed)).isEqualTo("Jos\u00e9").hasSize(4);
        assertThat(Names.isValid(Names.display(decomposed))).isTrue();
        assertThat(Names.key(decomposed)).isEqualTo(Names.key("Jos\u00e9"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a b", "-x", "_x", ".x", "bob:", "😀", "bob😀", "a/b", "\u0301a"})
    void invalidNamesAreRejected(String name) {
        assertThat(Names.isValid(name)).isFalse();
    }

    @Test
    void nameMayBe24CodePointsButNot25() {
        assertThat(Names.isValid("a".repeat(24))).isTrue();
        assertThat(Names.isValid("a".repeat(25))).isFalse();
    }

    @Test
    void lengthCountsSupplementaryLettersAsOneEach() {
        String twentyFour = SCRIPT_A.repeat(24); // 48 chars
        assertThat(twentyFour).hasSize(48);
        assertThat(Names.isValid(twentyFour)).isTrue();
        assertThat(Names.isValid(SCRIPT_A.repeat(25))).isFalse();
    }

    @Test
    void caseAndFullwidthVariantsAreTheSameName() {
        assertThat(Stream.of("Alice", "ALICE", "ａｌｉｃｅ", "ＡＬＩＣＥ").map(Names::key).distinct())
                .containsExactly("alice");
        assertThat(Names.key("Alice")).isNotEqualTo(Names.key("Alicia"));
    }

    @Test
    void nameIsShownAsTypedInNfc() {
        assertThat(Names.display("ALICE")).isEqualTo("ALICE");
        assertThat(Names.display("ａｌｉｃｅ")).isEqualTo("ａｌｉｃｅ");
        assertThat(Names.display("Zo\u0065\u0308")).isEqualTo("Zo\u00eb");
    }

    @Test
    void listsAreSortedIgnoringCase() {
        List<String> sorted = Stream.of("carl", "bob", "Alice").sorted(Names.DISPLAY_ORDER).toList();
        assertThat(sorted).containsExactly("Alice", "bob", "carl");
    }

    @Test
    void sortOrderIsTotalSoNamesDifferingOnlyInCaseAreNotEqual() {
        assertThat(Names.DISPLAY_ORDER.compare("bob", "Bob")).isNotZero();
        assertThat(Stream.of("bob", "Bob", "ann").sorted(Names.DISPLAY_ORDER).toList())
                .containsExactly("ann", "Bob", "bob");
    }
}
