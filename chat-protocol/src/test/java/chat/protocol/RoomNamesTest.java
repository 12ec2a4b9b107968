package chat.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RoomNamesTest {

    private static final String SCRIPT_A = "\uD835\uDC9C"; // U+1D49C, a letter outside the BMP

    @Test
    void roomTypedWithoutHashIsShownWithOne() {
        assertThat(RoomNames.display("dev")).isEqualTo("#dev");
        assertThat(RoomNames.display("#dev")).isEqualTo("#dev");
        assertThat(RoomNames.display("Caf\u0065\u0301")).isEqualTo("#Caf\u00E9");
        assertThat(RoomNames.display("DEV")).isEqualTo("#DEV");
    }

    @Test
    void lobbyIsAValidRoom() {
        assertThat(RoomNames.isValid(RoomNames.LOBBY)).isTrue();
        assertThat(RoomNames.display("lobby")).isEqualTo(RoomNames.LOBBY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"#dev", "#rust-lang", "#v2.0", "#a_b", "#7", "#张三的房间", "#日本語テスト", "#Москва",
        "#café", "#Tanaka太郎"})
    void validRoomsAreAccepted(String typed) {
        assertThat(RoomNames.isValid(RoomNames.display(typed))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"#", "##dev", "#-dev", "#_dev", "#.dev", "#a b", "#dev!", "#dev:", "#😀", "#\u0301a"})
    void malformedRoomsAreRefused(String typed) {
        assertThat(RoomNames.isValid(RoomNames.display(typed))).isFalse();
    }

    @Test
    void validityIsAboutTheShownFormWithItsHash() {
        assertThat(RoomNames.isValid("dev")).isFalse();
        assertThat(RoomNames.isValid("")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"#d\u0435v", "#l\u03BFbby", "#dev\u034F", "#d\uFE0Fev", "#\u3164", "#dev\u3164",
        "#bi\u0307ll", "#Jos\u00E9\u0301"})
    void mixedScriptAndInvisibleRoomsAreRefused(String typed) {
        // Cyrillic е, Greek ο, U+034F, U+FE0F, HANGUL FILLER, hidden dot, doubled accent
        assertThat(RoomNames.isValid(RoomNames.display(typed))).isFalse();
    }

    @Test
    void roomMayBe32CodePointsButNot33() {
        assertThat(RoomNames.isValid("#" + "a".repeat(32))).isTrue();
        assertThat(RoomNames.isValid("#" + "a".repeat(33))).isFalse();
        assertThat(RoomNames.isValid("#" + SCRIPT_A.repeat(32))).isTrue();
        assertThat(RoomNames.isValid("#" + SCRIPT_A.repeat(33))).isFalse();
    }

    @Test
    void caseWidthAndTheHashDoNotMakeAnotherRoom() {
        assertThat(Stream.of("#Dev", "#DEV", "dev", "DEV", "#ｄｅｖ", "ｄｅｖ").map(RoomNames::key).distinct())
                .containsExactly("#dev");
    }

    @ParameterizedTest
    @CsvSource({"#lobby, #l0bby", "#lobby, #Iobby", "#lobby, #LOBBY", "#exo, #\u0435\u0445\u043E", "#m, #rn",
        "#bob, \u0412\u041E\u0412"})
    void lookalikeRoomsAreTheSameRoom(String room, String lookalike) {
        assertThat(RoomNames.isValid(RoomNames.display(lookalike))).isTrue();
        assertThat(RoomNames.skeleton(lookalike)).isEqualTo(RoomNames.skeleton(room));
    }

    @ParameterizedTest
    @CsvSource({"#dev, #devs", "#dev, #dév", "#dev, #deb", "#lobby, #lobby2", "#Pavel, #Павел"})
    void differentRoomsStayDifferent(String room, String other) {
        assertThat(RoomNames.key(other)).isNotEqualTo(RoomNames.key(room));
        assertThat(RoomNames.skeleton(other)).isNotEqualTo(RoomNames.skeleton(room));
    }
}
