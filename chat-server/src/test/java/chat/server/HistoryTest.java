package chat.server;

import chat.server.config.Flood;
import chat.server.config.History;
import chat.server.config.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HistoryTest {

    private static final ServerConfig WITH_HISTORY = ServerConfig.DEFAULTS.with(Flood.OFF);

    private ChatRoom room = at("2026-11-26T09:05:59Z", WITH_HISTORY);

    @AfterEach
    void tearDown() {
        room.closeAll();
    }

    private static ChatRoom at(String instant, ServerConfig config) {
        ChatRoom r = new ChatRoom(config);
        r.wallClockMillis = Instant.parse(instant).toEpochMilli();
        return r;
    }

    @Test
    void aJoinerSeesTheLastTenChatLinesWithTheirTimeInUtc() {
        TestClient ann = room.joined("ann");
        for (int i = 1; i <= 12; i++) {
            ann.send("line " + i);
        }
        room.wallClockMillis = Instant.parse("2026-11-26T23:59:00Z").toEpochMilli();
        ann.send("/me yawns");
        TestClient bob = room.connect();
        bob.send("bob");
        List<String> expected = new ArrayList<>(List.of("You are bob", "Also here: ann", "Recent messages (10):"));
        for (int i = 4; i <= 12; i++) {
            expected.add("[09:05] ann: line " + i);
        }
        expected.add("[23:59] * ann yawns");
        assertThat(bob.lines()).containsExactlyElementsOf(expected);
    }

    @Test
    void onlyChatAndActionsAreKept() {
        TestClient ann = room.joined("ann");
        TestClient bob = room.joined("bob");
        ann.send("hello");
        bob.send("/msg ann secret");
        bob.send("/nick bobby");
        bob.send("/who");
        ann.send("/me waves");
        bob.disconnect();
        TestClient carl = room.connect();
        carl.send("carl");
        assertThat(carl.lines()).containsExactly("You are carl", "Also here: ann", "Recent messages (2):",
                "[09:05] ann: hello", "[09:05] * ann waves");
    }

    @Test
    void aRoomWithoutHistoryGivesNoBlock() {
        TestClient ann = room.joined("ann");
        ann.send("/join #dev");
        assertThat(ann.lines()).containsExactly("You are in #dev", "Also here: nobody");
        TestClient bob = room.connect();
        bob.send("bob");
        assertThat(bob.lines()).containsExactly("You are bob", "Also here: nobody");
    }

    @Test
    void eachRoomHasItsOwnHistoryWhichEndsWithTheRoom() {
        TestClient ann = room.joined("ann");
        TestClient bob = room.joined("bob");
        ann.send("in the lobby");
        bob.send("/join #dev");
        bob.send("in dev");
        ann.send("/join #dev");
        assertThat(ann.lines()).endsWith("You are in #dev", "Also here: bob", "Recent messages (1):",
                "[09:05] bob: in dev");
        ann.send("/join #lobby");
        bob.send("/join #lobby");
        ann.lines();
        ann.send("/join #dev"); // #dev ended when bob left it; this is a new one
        assertThat(ann.lines()).containsExactly("You are in #dev", "Also here: nobody");
        ann.send("/history");
        assertThat(ann.lines()).containsExactly("Recent messages (0):");
    }

    @Test
    void historyShowsTheLastNOrTwentyByDefault() {
        TestClient ann = room.joined("ann");
        for (int i = 1; i <= 30; i++) {
            ann.send("l" + i);
        }
        ann.lines();
        ann.send("/history 2");
        assertThat(ann.lines()).containsExactly("Recent messages (2):", "[09:05] ann: l29", "[09:05] ann: l30");
        ann.send("/history");
        List<String> block = ann.lines();
        assertThat(block).hasSize(21).first().isEqualTo("Recent messages (20):");
        assertThat(block.get(1)).isEqualTo("[09:05] ann: l11");
        ann.send("/history 100");
        assertThat(ann.lines()).hasSize(31).first().isEqualTo("Recent messages (30):");
    }

    @Test
    void historyWithAnyOtherCountIsAUsageError() {
        TestClient ann = room.joined("ann");
        TestClient bob = room.joined("bob");
        bob.lines();
        for (String bad : List.of("/history 0", "/history -1", "/history 101", "/history 999999999",
                "/history 99999999999", "/history x", "/history 1 2")) {
            ann.send(bad);
            assertThat(ann.lines()).as(bad).containsExactly("Error: usage: /history [N]");
        }
        assertThat(bob.lines()).isEmpty();
    }

    @Test
    void historyDefaultIsCappedByTheHistoryOptionAndZeroMeansNone() {
        room = at("2026-11-26T09:05:00Z", WITH_HISTORY.with(new History(3, 10)));
        TestClient ann = room.joined("ann");
        for (int i = 1; i <= 5; i++) {
            ann.send("l" + i);
        }
        ann.lines();
        ann.send("/history");
        assertThat(ann.lines()).containsExactly("Recent messages (3):", "[09:05] ann: l3", "[09:05] ann: l4",
                "[09:05] ann: l5");
        ann.send("/history 4");
        assertThat(ann.lines()).containsExactly("Error: usage: /history [N]");

        room.closeAll();
        room = at("2026-11-26T09:05:00Z", WITH_HISTORY.with(History.OFF));
        TestClient bob = room.joined("bob");
        bob.send("hello");
        bob.lines();
        bob.send("/history");
        assertThat(bob.lines()).containsExactly("Recent messages (0):");
        bob.send("/history 1");
        assertThat(bob.lines()).containsExactly("Error: usage: /history [N]");
        TestClient carl = room.connect();
        carl.send("carl");
        assertThat(carl.lines()).containsExactly("You are carl", "Also here: bob");
    }

    @Test
    void joinHistoryZeroShowsNoBlockButHistoryStillWorks() {
        room = at("2026-11-26T09:05:00Z", WITH_HISTORY.with(new History(100, 0)));
        TestClient ann = room.joined("ann");
        ann.send("hello");
        TestClient bob = room.connect();
        bob.send("bob");
        assertThat(bob.lines()).containsExactly("You are bob", "Also here: ann");
        bob.send("/history 1");
        assertThat(bob.lines()).containsExactly("Recent messages (1):", "[09:05] ann: hello");
    }

    @Test
    void aRoomOfManyMembersHoldsEachLineOnce() {
        room = at("2026-11-26T09:05:00Z", WITH_HISTORY.with(new History(100, 0)));
        List<TestClient> members = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            members.add(room.joined("m" + i));
        }
        members.forEach(TestClient::lines);
        for (int i = 0; i < 150; i++) {
            members.get(0).send("x".repeat(100));
        }
        // 100 lines of "m0: " + 100 x + LF, held once whatever the number of members.
        assertThat(room.metrics.historyBytes()).isEqualTo(100L * 105);
    }
}
