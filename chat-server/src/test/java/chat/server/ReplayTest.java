package chat.server;

import chat.server.config.Flood;
import chat.server.config.History;
import chat.server.config.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Slow readers with history on: they lose only what the room's history no longer holds. */
class ReplayTest {

    private ChatRoom room = new ChatRoom(ServerConfig.DEFAULTS.with(Flood.OFF).with(new History(5, 0)));

    @AfterEach
    void tearDown() {
        room.closeAll();
    }

    @Test
    void aReaderThatWasStuckGetsEveryKeptLineInOrderWhenHistoryCoversTheGap() {
        TestClient ann = room.joined("ann");
        TestClient slow = room.joined("slow");
        slow.stopReading();
        for (int i = 1; i <= 5; i++) {
            ann.send("line " + i);
        }
        assertThat(slow.lines()).isEmpty();
        slow.startReading();
        assertThat(slow.lines()).containsExactly("ann: line 1", "ann: line 2", "ann: line 3", "ann: line 4",
                "ann: line 5");
        ann.send("line 6");
        assertThat(slow.lines()).containsExactly("ann: line 6");
        assertThat(room.metrics.linesDropped()).isZero();
        assertThat(room.metrics.linesReplayed()).isEqualTo(5);
    }

    @Test
    void whatFellOutOfHistoryIsCountedFirstThenTheHeldLinesFollow() {
        TestClient ann = room.joined("ann");
        TestClient slow = room.joined("slow");
        slow.stopReading();
        for (int i = 1; i <= 8; i++) {
            ann.send("line " + i);
        }
        slow.startReading();
        assertThat(slow.lines()).containsExactly("Dropped 3 messages (your connection was too slow)",
                "ann: line 4", "ann: line 5", "ann: line 6", "ann: line 7", "ann: line 8");
        assertThat(room.metrics.linesDropped()).isEqualTo(3);
    }

    @Test
    void noticesAndPrivateLinesMissedAreCountedWithTheLostLines() {
        TestClient ann = room.joined("ann");
        TestClient slow = room.joined("slow");
        slow.stopReading();
        ann.send("one");
        room.connect().send("bob");
        ann.send("/msg slow psst");
        ann.send("two");
        slow.startReading();
        assertThat(slow.lines()).containsExactly("Dropped 2 messages (your connection was too slow)",
                "ann: one", "ann: two");
    }

    @Test
    void newerLinesWaitBehindTheReplay() {
        TestClient ann = room.joined("ann");
        TestClient slow = room.joined("slow");
        slow.stopReading();
        ann.send("old");
        // Writable again, but a newer line reaches the chat before the drain event does.
        slow.channel.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        ann.send("new");
        room.connect().send("bob");
        assertThat(slow.lines()).containsExactly("ann: old", "ann: new", "bob has arrived");
    }

    @Test
    void joiningAnotherRoomWhileBehindCountsWhatWasMissedThere() {
        TestClient ann = room.joined("ann");
        TestClient slow = room.joined("slow");
        slow.stopReading();
        ann.send("one");
        ann.send("two");
        slow.send("/join #dev"); // its replies are dropped too: it is not writable
        slow.startReading();
        assertThat(slow.lines()).containsExactly("Dropped 4 messages (your connection was too slow)");
        slow.send("/who");
        assertThat(slow.lines()).containsExactly("Here now (1): slow");
    }

    @Test
    void aCatchingUpReaderStillGetsTheRepliesToItsOwnCommands() {
        TestClient ann = room.joined("ann");
        TestClient slow = room.joined("slow");
        slow.stopReading();
        ann.send("one");
        slow.startReading();
        slow.send("/who");
        assertThat(slow.lines()).containsExactly("ann: one", "Here now (2): ann, slow");
    }

    @Test
    void withHistoryOffASlowReaderLosesWhatItMissedAsInVersionOne() {
        room.closeAll();
        room = new ChatRoom(ServerConfig.DEFAULTS.with(Flood.OFF).with(History.OFF));
        TestClient ann = room.joined("ann");
        TestClient slow = room.joined("slow");
        slow.stopReading();
        for (int i = 1; i <= 3; i++) {
            ann.send("line " + i);
        }
        assertThat(room.metrics.linesDropped()).isEqualTo(3);
        slow.startReading();
        assertThat(slow.lines()).containsExactly("Dropped 3 messages (your connection was too slow)");
    }
}
