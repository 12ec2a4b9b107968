package chat.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every lookalike from the attack report on version 1 names, with what a user now sees when the
 * first name is here and someone asks for the second (PROTOCOL.md, "Names", version 2).
 */
class NameLookalikesTest {

    enum Verdict {
        /** The invalid-name line. */
        INVALID,
        /** The name-taken line: NFKC and case make it the same name. */
        TAKEN_SAME_KEY,
        /** The name-taken line: another name, but equal skeletons say it looks the same. */
        TAKEN_LOOKALIKE,
        /** The name-taken line: it is, or looks like, one of the server's own words. */
        RESERVED,
        /** Accepted, and a different name. */
        DIFFERENT
    }

    static Stream<Arguments> attackReport() {
        return Stream.of(
                // Letters from other scripts
                row("ann", "\u0430nn", Verdict.INVALID, "a Cyrillic а among Latin letters is mixed script"),
                row("bob", "b\u03BFb", Verdict.INVALID, "a Greek omicron among Latin letters is mixed script"),
                row("bob", "b\u0585b", Verdict.INVALID,
                        "an Armenian օ among Latin letters is only moderately restrictive"),
                row("ace", "\u0430\u0441\u0435", Verdict.TAKEN_LOOKALIKE,
                        "all Cyrillic асе is one script, but its skeleton is ace"),
                row("bob", "\u0412\u041E\u0412", Verdict.TAKEN_LOOKALIKE,
                        "all Cyrillic capitals ВОВ: one script, skeleton bob"),
                // Invisible characters
                row("bob", "bob\u034F", Verdict.INVALID, "U+034F after the name is default-ignorable"),
                row("bob", "b\u034Fob", Verdict.INVALID, "U+034F inside the name is default-ignorable"),
                row("bob", "bob\uFE0F", Verdict.INVALID, "variation selector U+FE0F is default-ignorable"),
                row("bob", "b\uFE0Fob", Verdict.INVALID, "variation selector U+FE0F is default-ignorable"),
                row("bob", "\u3164bob", Verdict.INVALID, "HANGUL FILLER is a letter to Java, but invisible"),
                row("bob", "bob\u3164", Verdict.INVALID, "HANGUL FILLER after the name is invisible"),
                row("bob", "\u3164", Verdict.INVALID, "a name that shows as nothing"),
                row("bob", "\u115Fbob", Verdict.INVALID, "HANGUL CHOSEONG FILLER is default-ignorable"),
                row("bill", "bi\u0307ll", Verdict.INVALID, "a dot above i hides in the dot i has"),
                row("José", "Jos\u00E9\u0301", Verdict.INVALID, "the same accent twice shows as one"),
                // Latin lookalikes
                row("Ian", "lan", Verdict.TAKEN_LOOKALIKE, "capital I looks like small l"),
                row("alice", "ALlCE", Verdict.TAKEN_LOOKALIKE, "reads as ALICE, which is alice"),
                row("bob", "b0b", Verdict.TAKEN_LOOKALIKE,
                        "digits are Common script, so b0b is valid, but 0 looks like o"),
                row("m", "rn", Verdict.TAKEN_LOOKALIKE, "ICU's skeleton of m is rn"),
                row("w", "vv", Verdict.DIFFERENT, "ICU's confusables have no vv for w"),
                row("d", "cl", Verdict.DIFFERENT, "ICU's confusables have no cl for d"),
                row("bob", "\uFF42\uFF4F\uFF42", Verdict.TAKEN_SAME_KEY, "fullwidth ｂｏｂ is bob after NFKC"),
                // The server's own words
                row("Error", "Error", Verdict.RESERVED, "would forge Error: lines"),
                row("Error", "ERROR", Verdict.RESERVED, "the same name as Error"),
                row("Error", "Err0r", Verdict.RESERVED, "looks like Error"),
                row("Error", "Err\u043Er", Verdict.INVALID, "a Cyrillic о among Latin letters is mixed script"),
                row("Disconnected", "Disconnected", Verdict.RESERVED, "would forge Disconnected: lines"),
                row("Disconnected", "disconnected", Verdict.RESERVED, "the same name as Disconnected"),
                row("Disconnected", "DlSCONNECTED", Verdict.RESERVED, "l for I: looks like DISCONNECTED"),
                row("nobody", "nobody", Verdict.RESERVED, "would forge Also here: nobody"),
                row("nobody", "NOBODY", Verdict.RESERVED, "the same name as nobody"),
                row("nobody", "n0b0dy", Verdict.RESERVED, "looks like nobody"),
                row("nobody", "\uFF4E\uFF4F\uFF42\uFF4F\uFF44\uFF59", Verdict.RESERVED, "fullwidth nobody"),
                // Valid names that stay valid and distinct
                row("bob", "bob_2", Verdict.DIFFERENT, "a longer name"),
                row("Ann", "Anna", Verdict.DIFFERENT, "a longer name"),
                row("Jose", "José", Verdict.DIFFERENT, "the accent shows"),
                row("Zoe", "Zoë", Verdict.DIFFERENT, "the diaeresis shows"),
                row("张三", "山田太郎", Verdict.DIFFERENT, "both Han, different characters"),
                row("张三", "張三", Verdict.DIFFERENT, "simplified and traditional Han are different characters"),
                row("山田太郎", "日本語テスト", Verdict.DIFFERENT, "Han with Katakana is highly restrictive"),
                row("Pavel", "Павел", Verdict.DIFFERENT,
                        "Latin and all Cyrillic, both valid; skeletons pavel and πaʙeʌ differ"),
                row("Ismail", "İsmail", Verdict.DIFFERENT, "the dot on the capital İ shows"));
    }

    @ParameterizedTest(name = "{0} is here, {1} is {2}: {3}")
    @MethodSource("attackReport")
    void lookalikeGetsTheVerdictOfTheAttackReport(String here, String typed, Verdict verdict, String why) {
        String existing = Names.display(here);
        String attempt = Names.display(typed);
        if (verdict != Verdict.RESERVED) {
            assertThat(Names.isValid(existing)).as("%s is a valid name", existing).isTrue();
        }
        boolean sameKey = Names.key(existing).equals(Names.key(attempt));
        boolean sameSkeleton = Names.skeleton(existing).equals(Names.skeleton(attempt));
        switch (verdict) {
            case INVALID -> assertThat(Names.isValid(attempt)).as("valid").isFalse();
            case TAKEN_SAME_KEY -> {
                assertThat(Names.isValid(attempt)).as("valid").isTrue();
                assertThat(sameKey).as("same key").isTrue();
            }
            case TAKEN_LOOKALIKE -> {
                assertThat(Names.isValid(attempt)).as("valid").isTrue();
                assertThat(sameKey).as("same key").isFalse();
                assertThat(sameSkeleton).as("same skeleton").isTrue();
            }
            case RESERVED -> {
                assertThat(Names.isValid(attempt)).as("valid").isTrue();
                assertThat(Names.isReserved(attempt)).as("reserved").isTrue();
            }
            case DIFFERENT -> {
                assertThat(Names.isValid(attempt)).as("valid").isTrue();
                assertThat(sameKey || sameSkeleton).as("same name").isFalse();
                assertThat(Names.isReserved(attempt)).as("reserved").isFalse();
            }
        }
    }

    private static Arguments row(String here, String typed, Verdict verdict, String why) {
        return arguments(here, typed, verdict, why);
    }
}
