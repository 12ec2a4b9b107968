package chat.server.history;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InMemoryHistoryTest {

    private final InMemoryHistory history = new InMemoryHistory(3);

    private static ByteBuf line(String text) {
        return Unpooled.copiedBuffer(text + "\n", StandardCharsets.UTF_8);
    }

    private static String text(RoomLog log, long seq) {
        return log.line(seq).toString(StandardCharsets.UTF_8).strip();
    }

    @Test
    void holdsTheNewestLinesNumberedFromOne() {
        RoomLog log = history.open("#dev");
        for (String t : new String[] {"a", "b", "c", "d"}) {
            log.append(line(t), 0);
        }
        assertThat(log.head()).isEqualTo(4);
        assertThat(log.oldest()).isEqualTo(2);
        assertThat(text(log, 2)).isEqualTo("b");
        assertThat(text(log, 4)).isEqualTo("d");
        assertThat(history.bytesHeld()).isEqualTo(6);
        log.release();
        assertThat(history.bytesHeld()).isZero();
    }

    @Test
    void linesNumberedElsewhereAreSkippedAndNotHeld() {
        RoomLog log = history.open("#dev");
        log.append(line("a"), 0);
        log.append(line("b"), 0);
        log.skipTo(10); // a cluster numbered lines 3-10 while this server was away
        assertThat(log.head()).isEqualTo(10);
        assertThat(log.oldest()).as("nothing held").isEqualTo(11);
        assertThat(history.bytesHeld()).isZero();
        assertThat(log.append(line("k"), 0)).isEqualTo(11);
        assertThat(log.oldest()).isEqualTo(11);
        assertThat(text(log, 11)).isEqualTo("k");
        assertThatThrownBy(() -> log.line(10)).isInstanceOf(IllegalArgumentException.class);
        log.skipTo(5); // behind the head: nothing changes
        assertThat(log.head()).isEqualTo(11);
        assertThat(text(log, 11)).isEqualTo("k");
        log.release();
    }
}
