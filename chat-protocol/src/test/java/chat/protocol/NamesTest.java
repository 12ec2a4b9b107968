package chat.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

    private static final String SCRIPT_A = "\uD835\uDC9C"; // U+1D49C, a letter outside the BMP

    @ParameterizedTest
    @ValueSource(strings = {"张三", "José", "bob_2", "a.b-c", "2pac", "7", "x", "Zoë_the-3rd.x", "Павел", "山田太郎",
        "日本語テスト", "İsmail", "Ελένη", "किताब", "محمد"})
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

    @ParameterizedTest(name = "U+{0}")
    @ValueSource(ints = {0x034F, 0x115F, 0x1160, 0x3164, 0xFFA0, 0xFE00, 0xFE0F, 0xE0100, 0x180B, 0x17B4})
    void invisibleLetterOrMarkMakesTheNameInvalid(int invisible) {
        String c = Character.toString(invisible);
        assertThat(Names.isValid("ann")).isTrue();
        assertThat(Names.isValid("ann" + c)).isFalse();
        assertThat(Names.isValid("a" + c + "nn")).isFalse();
        assertThat(Names.isValid(c + "ann")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Tanaka太郎", "アリス_Alice", "たなか田中tanaka", "Kim김", "abc가나", "ㄅㄆ中文abc"})
    void latinWithHanAndJapaneseOrKoreanIsValid(String name) {
        assertThat(Names.isValid(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ab\u0432", "\u03B1\u0431", "abc\u0926\u0947\u0935", "\u6F22\u30AB\uD55C", "bob\u05D0"})
    void otherMixesOfScriptsAreInvalid(String name) {
        // Latin+Cyrillic, Greek+Cyrillic, Latin+Devanagari, Han+Katakana+Hangul, Latin+Hebrew
        assertThat(Names.isValid(name)).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"ann, \u0430nn", "bob, b\u03BFb", "bob, b\u0585b", "Ian, lan", "b0b, bob", "ace, \u0430\u0441\u0435",
        "m, rn", "bob, BOB", "alice, ALlCE", "bob, \uFF420\uFF42"})
    void lookalikesHaveEqualSkeletons(String a, String b) {
        assertThat(Names.skeleton(a)).isEqualTo(Names.skeleton(b));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Alice", "ALICE", "ａｌｉｃｅ", "Ian", "Mary", "Mm", "José", "Zoë", "bob_2", "张三",
        "Disconnected", "İsmail", "ＢＯＢ"})
    void latinNamesThatAreTheSameByKeyLookTheSameToo(String name) {
        for (String variant : List.of(name.toUpperCase(Locale.ROOT), name.toLowerCase(Locale.ROOT), Names.key(name))) {
            if (Names.key(variant).equals(Names.key(name))) {
                assertThat(Names.skeleton(variant)).as(variant).isEqualTo(Names.skeleton(name));
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"ΗΛΙΑΣ, ηλιας", "ПАВЕЛ, Павел", "ВОВ, вов", "ÐÓR, ðór"})
    void capitalsThatLookLikeOtherLettersThanTheirSmallLettersAreJoinedByTheKeyAlone(
            String capitals, String small) {
        // Η looks like H but η like n, В like B but в like ʙ, Ð like Đ but ð like ∂:
        // one skeleton for Η and η would make n and h one letter.
        assertThat(Names.key(capitals)).isEqualTo(Names.key(small));
        assertThat(Names.skeleton(capitals)).isNotEqualTo(Names.skeleton(small));
        assertThat(Names.skeleton("hana")).isNotEqualTo(Names.skeleton("nana"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Error", "ERROR", "error", "Err0r", "Disconnected", "DISCONNECTED", "disconnected",
        "DlSCONNECTED", "nobody", "NOBODY", "n0b0dy", "ｎｏｂｏｄｙ"})
    void serverWordsAndWhatLooksLikeThemAreReserved(String name) {
        assertThat(Names.isReserved(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Errors", "Err", "Disconnect", "nobody2", "somebody", "bob"})
    void namesNearTheServerWordsAreNotReserved(String name) {
        assertThat(Names.isReserved(name)).isFalse();
    }

    @Test
    void namesCheckedFromManyThreadsAtOnceGetTheAnswersOfOneThread() throws Exception {
        List<String> names = List.of("ann", "\u0430nn", "Ian", "lan", "b0b", "\u0430\u0441\u0435", "张三", "日本語テスト",
                "Jos\u00E9\u0301", "bi\u0307ll", "İsmail", "Павел", "ΗΛΙΑΣ", "bob\u3164", "Err0r");
        List<String> expected = names.stream().map(NamesTest::verdict).toList();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<String>>> runs = Stream.generate(() -> pool.submit(() -> {
                List<String> last = null;
                for (int i = 0; i < 200; i++) {
                    last = names.stream().map(NamesTest::verdict).toList();
                    assertThat(last).isEqualTo(expected);
                }
                return last;
            })).limit(8).toList();
            for (Future<List<String>> run : runs) {
                assertThat(run.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static String verdict(String name) {
        return Names.isValid(name) + " " + Names.key(name) + " " + Names.skeleton(name) + " " + Names.isReserved(name);
    }
}
