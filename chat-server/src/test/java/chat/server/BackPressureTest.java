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
        String paste = floodOf(pad);
        ann.channel.writeInbound(Unpooled.copiedBuffer(paste, StandardCharsets.UTF_8));
        room.clock.runPendingTasks();
        ann.channel.runPendingTasks();
        assertThat(ann.channel.config().isAutoRead()).as("sender paused").isFalse();
        ann.channel.writeInbound(Unpooled.copiedBuffer("one more\n", StandardCharsets.UTF_8));

        room.settle();
        assertThat(ann.channel.config().isAutoRead()).as("sender resumed").isTrue();
        for (TestClient r : readers) {
            List<String> got = r.lines();
            assertThat(got).hasSize(901).startsWith("ann: 0" + pad).endsWith("ann: one more");
        }
        assertThat(room.metrics.linesDropped()).isZero();
    }

    @Test
    void whileDeliveryIsBehindAnHonestLineIsNotStuckBehindAFlood() {
        TestClient heavy = room.joined("heavy");
        TestClient honest = room.joined("honest");
        List<TestClient> readers = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            readers.add(room.joined("r" + i));
        }
        heavy.lines();
        honest.lines();
        readers.forEach(TestClient::lines);

        String pad = "x".repeat(1000);
        String paste = floodOf(pad);
        // Both reach the chat before any event loop writes: the flood fills delivery first.
        heavy.channel.writeInbound(Unpooled.copiedBuffer(paste, StandardCharsets.UTF_8));
        honest.channel.writeInbound(Unpooled.copiedBuffer("hello\n", StandardCharsets.UTF_8));
        room.settle();

        List<String> got = readers.get(0).lines();
        assertThat(got).hasSize(901).contains("honest: hello");
        // Delivery fills up (8 MiB) after about 760 of the flood's lines; the other 140 wait, and the
        // honest line, which came after all of them, is handled before them.
        assertThat(got.indexOf("honest: hello")).as("the honest line waits for one turn, not for the flood")
                .isLessThan(got.size() - 100);
        assertThat(got.stream().filter(l -> l.startsWith("heavy: ")).toList())
                .as("the heavy sender's own order is kept").isSortedAccordingTo(
                        java.util.Comparator.comparingInt(l -> Integer.parseInt(l.substring(7, l.indexOf('x')))));
        assertThat(room.metrics.linesDropped()).isZero();
    }

    @Test
    void whileDeliveryIsBehindAClientThatEndsItsInputStillGetsTheRepliesToWhatItSent() {
        TestClient heavy = room.joined("heavy");
        List<TestClient> readers = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            readers.add(room.joined("r" + i));
        }
        TestClient script = room.connect();
        heavy.lines();
        readers.forEach(TestClient::lines);
        String pad = "x".repeat(1000);
        String paste = floodOf(pad);
        heavy.channel.writeInbound(Unpooled.copiedBuffer(paste, StandardCharsets.UTF_8));
        room.clock.runPendingTasks(); // delivery is full now: new lines wait
        script.channel.writeInbound(Unpooled.copiedBuffer("scripted\nhi\n", StandardCharsets.UTF_8));
        script.channel.pipeline().fireUserEventTriggered(io.netty.channel.socket.ChannelInputShutdownEvent.INSTANCE);
        room.settle();
        assertThat(script.lines()).startsWith("You are scripted", "Also here: heavy, r0, r1, r2, r3, r4, r5, r6, r7, r8")
                .contains("scripted: hi");
        assertThat(readers.get(0).lines()).contains("scripted has arrived", "scripted: hi", "scripted has left");
    }

    /** 900 numbered lines of 1,000 bytes: with 10 members, more than the 8 MiB delivery may hold at once. */
    private static String floodOf(String pad) {
        StringBuilder paste = new StringBuilder();
        for (int i = 0; i < 900; i++) {
            paste.append(i).append(pad).append('\n');
        }
        return paste.toString();
    }
}
