package chat.server;

import chat.server.config.Flood;
import chat.server.config.Limits;
import chat.server.config.ServerConfig;
import chat.server.config.Timeouts;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class FloodControlHandlerTest {

    private static final String SLOW_DOWN =
            "Slow down: over 5 lines per second; your lines are held and sent in order";

    private final ChatRoom room = new ChatRoom(ChatRoom.V1.with(new Flood(5, 3)));

    @Test
    void slowDownIsToldOncePerEpisodeAndAgainAfterTheBudgetIsFull() {
        TestClient ann = room.joined("ann"); // the name used one token: 2 left
        ann.sendRaw("a\nb\nc\nd\n");
        assertThat(ann.lines()).containsExactly("ann: a", "ann: b", SLOW_DOWN);
        room.advance(200, TimeUnit.MILLISECONDS);
        assertThat(ann.lines()).containsExactly("ann: c");
        ann.sendRaw("e\nf\n"); // still in the same episode: the budget never filled up
        room.advance(600, TimeUnit.MILLISECONDS);
        assertThat(ann.lines()).containsExactly("ann: d", "ann: e", "ann: f");
        room.advance(10, TimeUnit.SECONDS); // full again: the episode is over
        ann.sendRaw("g\nh\ni\nj\n");
        assertThat(ann.lines()).containsExactly("ann: g", "ann: h", "ann: i", SLOW_DOWN);
        room.advance(200, TimeUnit.MILLISECONDS);
        assertThat(ann.lines()).containsExactly("ann: j");
    }

    @AfterEach
    void tearDown() {
        room.closeAll();
    }

    @Test
    void burstPassesAtOnceTheRestWaitsForTheBudgetAndNothingIsLost() {
        TestClient ann = room.joined("ann"); // the name used one token
        StringBuilder paste = new StringBuilder();
        for (int i = 1; i <= 8; i++) {
            paste.append("line ").append(i).append('\n');
        }
        ann.sendRaw(paste.toString());
        assertThat(ann.lines()).containsExactly("ann: line 1", "ann: line 2", SLOW_DOWN);
        assertThat(ann.channel.config().isAutoRead()).isFalse();

        room.advance(200, TimeUnit.MILLISECONDS);
        assertThat(ann.lines()).containsExactly("ann: line 3");
        for (int step = 0; step < 4; step++) {
            room.advance(200, TimeUnit.MILLISECONDS);
        }
        assertThat(ann.lines()).containsExactly("ann: line 4", "ann: line 5", "ann: line 6", "ann: line 7");
        room.advance(200, TimeUnit.MILLISECONDS);
        assertThat(ann.lines()).containsExactly("ann: line 8");
        assertThat(ann.channel.config().isAutoRead()).isTrue();
        assertThat(room.metrics.floodPauses()).isEqualTo(1);
    }

    @Test
    void budgetRefillsUpToTheBurstOnly() {
        TestClient ann = room.joined("ann");
        room.advance(10, TimeUnit.SECONDS);
        ann.sendRaw("a\nb\nc\nd\n");
        assertThat(ann.lines()).containsExactly("ann: a", "ann: b", "ann: c", SLOW_DOWN);
        room.advance(200, TimeUnit.MILLISECONDS);
        assertThat(ann.lines()).containsExactly("ann: d");
    }

    @Test
    void overlongLineErrorKeepsItsPlaceBehindHeldLines() {
        ChatRoom small = new ChatRoom(ChatRoom.V1.with(new Flood(5, 3)).with(Limits.DEFAULTS.withMaxLineBytes(8)));
        try {
            TestClient ann = small.joined("ann");
            ann.sendRaw("a\nb\nc\n123456789\nd\n");
            assertThat(ann.lines()).containsExactly("ann: a", "ann: b", SLOW_DOWN);
            for (int step = 0; step < 3; step++) {
                small.advance(200, TimeUnit.MILLISECONDS);
            }
            assertThat(ann.lines()).containsExactly(
                    "ann: c", "Error: line too long (limit 8 bytes)", "ann: d");
        } finally {
            small.closeAll();
        }
    }

    @Test
    void rateZeroTurnsFloodControlOff() {
        ChatRoom open = new ChatRoom(ChatRoom.V1.with(new Flood(0, 40)));
        try {
            TestClient ann = open.joined("ann");
            StringBuilder paste = new StringBuilder();
            for (int i = 0; i < 200; i++) {
                paste.append(i).append('\n');
            }
            ann.sendRaw(paste.toString());
            assertThat(ann.lines()).hasSize(200).endsWith("ann: 199");
            assertThat(ann.channel.config().isAutoRead()).isTrue();
            assertThat(open.metrics.floodPauses()).isZero();
        } finally {
            open.closeAll();
        }
    }

    @Test
    void oneFloodingClientDoesNotSlowAnother() {
        TestClient ann = room.joined("ann");
        TestClient bob = room.joined("bob");
        ann.lines();
        ann.sendRaw("1\n2\n3\n4\n5\n6\n");
        bob.send("hi");
        assertThat(bob.lines()).endsWith("bob: hi");
    }

    @Test
    void joinChurnAndHistoryStormsAreSlowedLikeAnyOtherLines() {
        TestClient ann = room.joined("ann"); // 2 tokens left
        StringBuilder storm = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            storm.append("/join #r").append(i).append("\n/history\n");
        }
        ann.sendRaw(storm.toString());
        assertThat(ann.lines()).containsExactly("You are in #r0", "Also here: nobody", "Recent messages (0):",
                SLOW_DOWN);
        assertThat(ann.channel.config().isAutoRead()).isFalse();
        for (int step = 0; step < 5; step++) {
            room.advance(200, TimeUnit.MILLISECONDS); // 5 lines a second, whatever they ask for
        }
        assertThat(ann.lines()).hasSize(2 + 1 + 2 + 1 + 2).endsWith("You are in #r3", "Also here: nobody");
        assertThat(room.metrics.roomsOpen()).isEqualTo(2);
    }

    @Test
    void aFractionalRateIsToldAsItIsAndPacesLines() {
        ChatRoom slow = new ChatRoom(ChatRoom.V1.with(new Flood(2.5, 2)));
        try {
            TestClient ann = slow.joined("ann"); // the name used one token
            ann.sendRaw("a\nb\nc\n");
            assertThat(ann.lines()).containsExactly("ann: a",
                    "Slow down: over 2.5 lines per second; your lines are held and sent in order");
            slow.advance(399, TimeUnit.MILLISECONDS);
            assertThat(ann.lines()).isEmpty();
            slow.advance(1, TimeUnit.MILLISECONDS);
            assertThat(ann.lines()).containsExactly("ann: b");
        } finally {
            slow.closeAll();
        }
    }

    @Test
    void aClientWhoseLinesAreHeldIsNotTimedOutForIdling() {
        ChatRoom held = new ChatRoom(ChatRoom.V1.with(new Flood(5, 3))
                .with(new Timeouts(Timeouts.DEFAULTS.name(), java.time.Duration.ofSeconds(10))));
        try {
            TestClient ann = held.joined("ann");
            StringBuilder paste = new StringBuilder();
            for (int i = 0; i < 100; i++) {
                paste.append("p").append(i).append('\n');
            }
            ann.sendRaw(paste.toString()); // 20 s of lines at 5 a second, all read at once
            List<String> got = new ArrayList<>(ann.lines());
            for (int step = 0; step < 60; step++) { // 12 s, past the 10 s idle timeout
                held.advance(200, TimeUnit.MILLISECONDS);
                got.addAll(ann.lines());
            }
            assertThat(ann.isOpen()).isTrue();
            assertThat(got).doesNotContain("Disconnected: idle for 10s").contains("ann: p61");
        } finally {
            held.closeAll();
        }
    }
}
