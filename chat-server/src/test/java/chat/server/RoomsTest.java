package chat.server;

import chat.server.config.Flood;
import chat.server.config.Limits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RoomsTest {

    private ChatRoom room = new ChatRoom();

    @AfterEach
    void tearDown() {
        room.closeAll();
    }

    @Test
    void joinMovesTheClientAndTellsBothRoomsInOrder() {
        TestClient ann = room.joined("ann");
        TestClient bob = room.joined("bob");
        TestClient carl = room.joined("carl");
        ann.lines();
        bob.lines();
        ann.send("/join #dev");
        assertThat(ann.lines()).containsExactly("You are in #dev", "Also here: nobody");
        assertThat(bob.lines()).containsExactly("ann has left");
        assertThat(carl.lines()).containsExactly("ann has left");

        bob.send("/join dev");
        assertThat(bob.lines()).containsExactly("You are in #dev", "Also here: ann");
        assertThat(ann.lines()).containsExactly("bob has arrived");
        assertThat(carl.lines()).containsExactly("bob has left");
    }

    @Test
    void chatMeRenamesAndDeparturesStayInTheirRoom() {
        TestClient ann = room.joined("ann");
        TestClient bob = room.joined("bob");
        ann.send("/join #dev");
        ann.lines();
        bob.lines();
        ann.send("hello dev");
        ann.send("/me codes");
        ann.send("/nick anna");
        assertThat(ann.lines()).containsExactly("ann: hello dev", "* ann codes", "ann is now known as anna");
        assertThat(bob.lines()).isEmpty();
        bob.send("hello lobby");
        assertThat(ann.lines()).isEmpty();
        ann.disconnect();
        assertThat(bob.lines()).containsExactly("bob: hello lobby");
    }

    @Test
    void privateLinesCrossRooms() {
        TestClient ann = room.joined("ann");
        TestClient bob = room.joined("bob");
        ann.send("/join #dev");
        ann.lines();
        bob.lines();
        bob.send("/msg ann psst");
        assertThat(ann.lines()).containsExactly("bob (private): psst");
        assertThat(bob.lines()).containsExactly("to ann (private): psst");
    }

    @Test
    void whoListsTheSendersRoomOnly() {
        TestClient ann = room.joined("ann");
        room.joined("bob");
        TestClient zed = room.joined("Zed");
        ann.send("/join #dev");
        zed.send("/join #dev");
        ann.lines();
        ann.send("/who");
        assertThat(ann.lines()).containsExactly("Here now (2): ann, Zed");
    }

    @Test
    void roomsListsEveryRoomWithItsCountSortedAsNames() {
        TestClient ann = room.joined("ann");
        TestClient bob = room.joined("bob");
        TestClient carl = room.joined("carl");
        ann.send("/join #Zoo");
        bob.send("/join #dev");
        carl.send("/join #dev");
        ann.lines();
        ann.send("/rooms");
        assertThat(ann.lines()).containsExactly("Rooms (3): #dev (2), #lobby (0), #Zoo (1)");
        ann.send("/rooms and more");
        assertThat(ann.lines()).containsExactly("Rooms (3): #dev (2), #lobby (0), #Zoo (1)");
    }

    @Test
    void roomNamesCollideLikeNamesAndShowAsCreated() {
        TestClient ann = room.joined("ann");
        TestClient bob = room.joined("bob");
        ann.send("/join #Dev");
        bob.send("/join ＤＥＶ");
        assertThat(bob.lines()).containsExactly("ann has left", "You are in #Dev", "Also here: ann");
        bob.send("/join dev");
        assertThat(bob.lines()).containsExactly("Error: you are already in #Dev");
    }

    @Test
    void joinErrorsGoToTheSenderAlone() {
        TestClient ann = room.joined("ann");
        TestClient bob = room.joined("bob");
        ann.lines();
        ann.send("/join");
        ann.send("/join #a b");
        ann.send("/join #");
        ann.send("/join -x");
        ann.send("/join ##x");
        ann.send("/join #" + "a".repeat(33));
        ann.send("/join #lobby");
        ann.send("/join LOBBY");
        String invalid = "Error: invalid room name; use # and 1-32 letters, digits, '_', '-' or '.'";
        assertThat(ann.lines()).containsExactly("Error: usage: /join ROOM", invalid, invalid, invalid, invalid,
                invalid, "Error: you are already in #lobby", "Error: you are already in #lobby");
        assertThat(bob.lines()).isEmpty();
        ann.send("/join #" + "a".repeat(32));
        assertThat(ann.lines()).containsExactly("You are in #" + "a".repeat(32), "Also here: nobody");
    }

    @Test
    void roomsPastTheLimitAreRefusedButMovingOutOfYourOwnEmptyRoomIsNot() {
        room = new ChatRoom(ChatRoom.V1.with(Flood.OFF).with(Limits.DEFAULTS.withMaxRooms(2)));
        TestClient ann = room.joined("ann");
        TestClient bob = room.joined("bob");
        ann.send("/join #a");
        ann.lines();
        bob.lines();
        bob.send("/join #b");
        assertThat(bob.lines()).containsExactly("Error: too many rooms (limit 2)");
        ann.send("/join #b"); // #a ends as ann leaves it, so #b fits
        assertThat(ann.lines()).containsExactly("You are in #b", "Also here: nobody");
        bob.send("/rooms");
        assertThat(bob.lines()).containsExactly("Rooms (2): #b (1), #lobby (1)");
    }

    @Test
    void aRoomEndsWithItsLastMemberAndTheLobbyNever() {
        TestClient ann = room.joined("ann");
        ann.send("/join #dev");
        ann.send("/join #lobby");
        ann.lines();
        ann.send("/rooms");
        assertThat(ann.lines()).containsExactly("Rooms (1): #lobby (1)");
        ann.disconnect();
        TestClient bob = room.joined("bob");
        bob.send("/rooms");
        assertThat(bob.lines()).containsExactly("Rooms (1): #lobby (1)");
        assertThat(room.metrics.roomsOpen()).isEqualTo(1);
    }

    @Test
    void tenThousandNewRoomsOneAfterAnotherNeverPileUpAndNewOnesPastTheLimitAreRefused() {
        room = new ChatRoom(ChatRoom.V1.with(Flood.OFF).with(Limits.DEFAULTS.withMaxRooms(50)));
        TestClient ann = room.joined("ann");
        for (int i = 0; i < 10_000; i++) {
            // Each move ends the room ann leaves: one of hers is open at a time.
            ann.send("/join #r" + i);
            assertThat(ann.lines()).containsExactly("You are in #r" + i, "Also here: nobody");
        }
        assertThat(room.metrics.roomsOpen()).isEqualTo(2);
        int refused = 0;
        for (int i = 0; i < 60; i++) {
            TestClient c = room.joined("u" + i);
            c.send("/join #own" + i);
            if (c.lines().contains("Error: too many rooms (limit 50)")) {
                refused++;
            }
        }
        // #lobby, ann's room and 48 of the 60 fill the 50.
        assertThat(refused).isEqualTo(12);
        assertThat(room.metrics.roomsOpen()).isEqualTo(50);
    }

    @Test
    void roomsOverTheAnnounceLimitDoNotAnnounceComingsGoingsOrRenames() {
        room = new ChatRoom(ChatRoom.V1.with(Flood.OFF).with(Limits.DEFAULTS.withAnnounceLimit(2)));
        TestClient ann = room.joined("ann");
        TestClient bob = room.connect();
        bob.send("bob");
        assertThat(ann.lines()).containsExactly("bob has arrived"); // two members: still announced
        TestClient carl = room.connect();
        carl.send("carl");
        assertThat(carl.lines()).containsExactly("You are carl", "Also here: ann, bob");
        carl.send("/nick carlos");
        carl.send("hello");
        assertThat(ann.lines()).containsExactly("carlos: hello"); // three members: arrival and rename unsaid
        assertThat(carl.lines()).containsExactly("carlos: hello");
        carl.disconnect();
        bob.send("/nick bobby");
        assertThat(ann.lines()).containsExactly("bob is now known as bobby"); // two again
    }

    @Test
    void whoAndAlsoHereNameAHundredThenSayHowManyMore() {
        room = new ChatRoom(ChatRoom.V1.with(Flood.OFF).with(Limits.DEFAULTS.withAnnounceLimit(0)));
        for (int i = 0; i < 102; i++) {
            room.joined(String.format("u%03d", i));
        }
        TestClient last = room.connect();
        last.send("zed");
        java.util.List<String> lines = last.lines();
        assertThat(lines.get(1)).startsWith("Also here: u000, u001, ").endsWith(", u099 and 2 more");
        last.send("/who");
        assertThat(last.lines()).singleElement().asString()
                .startsWith("Here now (103): u000, ").endsWith(", u099 and 3 more");
    }
}
