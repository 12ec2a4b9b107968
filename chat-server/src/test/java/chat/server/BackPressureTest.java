package chat.server;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** When the server falls behind with delivery, senders are paused instead of readers losing lines. */
class BackPressureTest {

    private final ChatRoom room = new ChatRoom();

    @AfterEach
    void tearDown() {
        room.closeAll();
    }

    @Test
    void senderIsPausedWhileDeliveryIsBehindAndNoReaderLosesALine() {
        TestClient ann = room.joined("ann");
        List<TestClient> readers = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            readers.add(room.joined("r" + i));
        }
        ann.lines();
        readers.forEach(TestClient::lines);

        // 900 lines of 1000 bytes for 10 members: 9 MB waiting while no event loop writes.
        String pad = "x".repeat(1000);
        StringBuilder paste = new StringBuilder();
        for (int i = 0; i < 900; i++) {
            paste.append(i).append(pad).append('\n');
        }
        ann.channel.writeInbound(Unpooled.copiedBuffer(paste, StandardCharsets.UTF_8));
        room.clock.runPendingTasks();
        assertThat(room.broadcaster.saturated()).isTrue();

        ann.channel.writeInbound(Unpooled.copiedBuffer("one more\n", StandardCharsets.UTF_8));
        assertThat(ann.channel.config().isAutoRead()).as("sender paused").isFalse();

        room.settle();
        assertThat(room.broadcaster.saturated()).isFalse();
        assertThat(ann.channel.config().isAutoRead()).as("sender resumed").isTrue();
        for (TestClient r : readers) {
            List<String> got = r.lines();
            assertThat(got).hasSize(901).startsWith("ann: 0" + pad).endsWith("ann: one more");
        }
        assertThat(room.metrics.linesDropped()).isZero();
    }
}
