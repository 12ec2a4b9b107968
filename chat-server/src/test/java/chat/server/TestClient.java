package chat.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** One client of a {@link ChatRoom}: writes bytes into the real pipeline, reads what it sent back. */
final class TestClient {

    final EmbeddedChannel channel;
    private final ChatRoom room;
    private final StringBuilder partial = new StringBuilder();

    TestClient(ChatRoom room, EmbeddedChannel channel) {
        this.room = room;
        this.channel = channel;
    }

    /** Sends one line, LF added. */
    void send(String line) {
        sendRaw(line + "\n");
    }

    void sendRaw(String text) {
        sendRaw(text.getBytes(StandardCharsets.UTF_8));
    }

    void sendRaw(byte[] bytes) {
        channel.writeInbound(Unpooled.wrappedBuffer(bytes));
        room.settle();
    }

    /** Every complete line received since the last call, LF stripped; fails on a line without LF at the end. */
    List<String> lines() {
        room.settle();
        StringBuilder text = partial;
        for (Object o; (o = channel.readOutbound()) != null; ) {
            ByteBuf buf = (ByteBuf) o;
            text.append(buf.toString(StandardCharsets.UTF_8));
            buf.release();
        }
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int lf; (lf = text.indexOf("\n", start)) >= 0; start = lf + 1) {
            lines.add(text.substring(start, lf));
        }
        text.delete(0, start);
        return lines;
    }

    /** Raw bytes received since the last call (for byte-exact checks). */
    byte[] bytes() {
        room.settle();
        ByteBuf all = Unpooled.buffer();
        for (Object o; (o = channel.readOutbound()) != null; ) {
            ByteBuf buf = (ByteBuf) o;
            all.writeBytes(buf);
            buf.release();
        }
        byte[] out = new byte[all.readableBytes()];
        all.readBytes(out);
        return out;
    }

    /** Like a client that stops reading: the channel turns unwritable (a user-defined writability bit). */
    void stopReading() {
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        lines();
    }

    /** Reads again: the channel turns writable, and the handler hears of it. */
    void startReading() {
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        channel.runPendingTasks();
    }

    boolean isOpen() {
        room.settle();
        return channel.isOpen();
    }

    void disconnect() {
        channel.close();
        room.settle();
    }
}
