package chat.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class FloodControlHandlerTest {

    private final ChatRoom room = new ChatRoom(ServerConfig.defaults().withFloodControl(5, 3));

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
        assertThat(ann.lines()).containsExactly("ann: line 1", "ann: line 2");
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
        assertThat(ann.lines()).containsExactly("ann: a", "ann: b", "ann: c");
        room.advance(200, TimeUnit.MILLISECONDS);
        assertThat(ann.lines()).containsExactly("ann: d");
    }

    @Test
    void overlongLineErrorKeepsItsPlaceBehindHeldLines() {
        ChatRoom small = new ChatRoom(ServerConfig.defaults().withFloodControl(5, 3).withMaxLineBytes(8));
        try {
            TestClient ann = small.joined("ann");
            ann.sendRaw("a\nb\nc\n123456789\nd\n");
            assertThat(ann.lines()).containsExactly("ann: a", "ann: b");
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
        ChatRoom open = new ChatRoom(ServerConfig.defaults().withFloodControl(0, 40));
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
}
