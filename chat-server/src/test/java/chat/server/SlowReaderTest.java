package chat.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class SlowReaderTest {

    private final ChatRoom room = new ChatRoom();

    @AfterEach
    void tearDown() {
        room.closeAll();
    }

    @Test
    void linesForAnUnwritableReaderAreDroppedCountedAndReportedWhenItDrains() {
        TestClient ann = room.joined("ann");
        TestClient slow = room.joined("slow");
        ann.lines();
        slow.stopReading();
        ann.send("one");
        ann.send("two");
        ann.send("three");
        assertThat(slow.lines()).isEmpty();
        assertThat(ann.lines()).containsExactly("ann: one", "ann: two", "ann: three");

        slow.startReading();
        assertThat(slow.lines()).containsExactly("Dropped 3 messages (your connection was too slow)");
        ann.send("four");
        assertThat(slow.lines()).containsExactly("ann: four");
        assertThat(room.metrics.linesDropped()).isEqualTo(3);
    }

    @Test
    void dropReportComesBeforeTheNextLineEvenWhenItIsAlreadyOnItsWay() {
        TestClient ann = room.joined("ann");
        TestClient slow = room.joined("slow");
        slow.stopReading();
        ann.send("lost");
        // Writable again, but the Broadcaster sees the next line before the drain event.
        slow.channel.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        ann.send("kept");
        assertThat(slow.lines()).containsExactly(
                "Dropped 1 messages (your connection was too slow)", "ann: kept");
    }

    @Test
    void readerUnwritableForTooLongIsClosedWithoutALastLineAndOthersSeeItLeave() {
        TestClient ann = room.joined("ann");
        TestClient slow = room.joined("slow");
        ann.lines();
        slow.stopReading();
        room.advance(29, TimeUnit.SECONDS);
        assertThat(slow.isOpen()).isTrue();
        room.advance(1, TimeUnit.SECONDS);
        assertThat(slow.isOpen()).isFalse();
        assertThat(slow.lines()).isEmpty();
        assertThat(ann.lines()).containsExactly("slow has left");
        assertThat(room.metrics.slowConsumerDisconnects()).isEqualTo(1);
    }

    @Test
    void readerThatCatchesUpInTimeStays() {
        TestClient slow = room.joined("slow");
        slow.stopReading();
        room.advance(20, TimeUnit.SECONDS);
        slow.startReading();
        room.advance(20, TimeUnit.SECONDS);
        assertThat(slow.isOpen()).isTrue();
    }

    @Test
    void otherReadersGetEveryLineWhileOneIsStuck() {
        TestClient ann = room.joined("ann");
        TestClient bob = room.joined("bob");
        TestClient slow = room.joined("slow");
        ann.lines();
        bob.lines();
        slow.stopReading();
        for (int i = 0; i < 100; i++) {
            ann.send("line " + i);
        }
        assertThat(bob.lines()).hasSize(100).startsWith("ann: line 0").endsWith("ann: line 99");
        assertThat(ann.lines()).hasSize(100);
        assertThat(slow.lines()).isEmpty();
    }
}
