package chat.server.delivery;

import chat.server.history.RoomLog;
import chat.server.transport.ServerLineEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;

/**
 * What delivery knows of one connection: its channel, where it is in its room's log, what it
 * missed, and its place in the current batch.
 *
 * <p>Threading: the chat executor owns every field but {@link #outgoing} and {@link #shareLine},
 * which the channel's event loop sets while it runs a batch.
 */
public final class Outbox {

    final Channel channel;
    /**
     * A WebSocket's frame encoder, or null on a line transport: its lines are framed in the batch
     * and written just past the encoder, which has nothing left to do for them.
     */
    final ChannelHandlerContext frameWriter;
    /**
     * Where the batch's bytes enter the pipeline: just past the encoder that turns Strings (or
     * lines) into bytes, which has nothing to do for them; null without one (the whole pipeline).
     */
    final ChannelHandlerContext writer;

    // Chat executor only.
    FanOut.Lane lane;
    int pendingBytes;
    int pendingLines;
    int inFlightBytes;
    int batchStamp;
    long dropped;
    RoomLog log;
    /** The number of the last line of {@link #log} this connection got, or was counted as missing. */
    long cursor;
    boolean replayWaiting;
    /** Its last line is queued: nothing more goes to it. */
    boolean closed;

    // The channel's event loop only.
    ByteBuf outgoing;
    /** Its one line in this batch goes as a view of the shared encoded line: no buffer, no copy. */
    boolean shareLine;

    /** For a connection whose pipeline is complete: a WebSocket one has its frame encoder already. */
    public Outbox(Channel channel) {
        this.channel = channel;
        this.frameWriter = channel.pipeline().context(WebSocketFrameEncoder.class);
        this.writer = frameWriter != null ? frameWriter : channel.pipeline().context(ServerLineEncoder.class);
    }

    /** The bytes {@code line} (UTF-8 and LF) takes on this connection's wire. */
    int wireBytes(ByteBuf line) {
        return frameWriter == null ? line.readableBytes() : WebSocketFraming.frameSize(line);
    }

    public Channel channel() {
        return channel;
    }

    /** Whether it has lines of its room still to catch up on. Chat executor. */
    boolean behind() {
        return log != null && cursor < log.head();
    }
}
