package chat.server.transport.web;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * Turns WebSocket text messages into the chat's lines and the chat's lines into text frames (PROTOCOL.md,
 * "Web"), so the handlers behind it see a WebSocket client exactly as they see a TCP one.
 *
 * <p>In: a text message, its fragments joined, is split at LF into lines; a CR just before an LF is dropped;
 * a line ends at an LF or at the end of its message (a message ending in LF adds no empty line); each line
 * is passed on as a String decoded from UTF-8. A line longer than {@code maxLineBytes} (not counting the CR)
 * is discarded up to its end and reported, as soon as it is too long, by firing a
 * {@link TooLongFrameException}: the chat handler answers with the "line too long" error and the
 * connection stays. Lines stream across fragments, so memory per connection is one line, however long
 * the message. A binary message closes the WebSocket with status 1003.
 *
 * <p>Out: a ByteBuf of LF-terminated lines (the Broadcaster's encoded lines, possibly several, possibly cut
 * anywhere by a write split) becomes one text frame per line, without its LF, each a retained slice of the
 * buffer (a line cut in two is joined in a composite buffer, not copied); a String becomes one frame.
 *
 * <p>One per connection, on its event loop.
 */
public final class WebSocketLineCodec extends ChannelDuplexHandler {

    private static final Logger log = LoggerFactory.getLogger(WebSocketLineCodec.class);

    private final int maxLineBytes;
    /** In: the current line so far, when it spans frames; at most maxLineBytes + 1 bytes (a CR may follow). */
    private ByteBuf partialIn;
    /** In: inside an over-long line, already reported, until its LF or the end of its message. */
    private boolean discarding;
    /** In: a text message is open, so continuation frames belong to it. */
    private boolean inText;
    /** In: the last byte of the open message was an LF (its end then ends no further line). */
    private boolean afterLf;
    /** In: a binary message arrived and the close is on its way; everything else is dropped. */
    private boolean closing;
    /** Out: the start of a line whose LF is in a later buffer. */
    private ByteBuf partialOut;

    public WebSocketLineCodec(int maxLineBytes) {
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("maxLineBytes must be at least 1, got " + maxLineBytes);
        }
        this.maxLineBytes = maxLineBytes;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (closing) {
                return;
            }
            if (frame instanceof TextWebSocketFrame) {
                inText = true;
                afterLf = false;
                read(ctx, frame.content(), frame.isFinalFragment());
            } else if (frame instanceof ContinuationWebSocketFrame && inText) {
                read(ctx, frame.content(), frame.isFinalFragment());
            } else {
                // Web: a binary frame (or the rest of a binary message) closes the WebSocket with 1003.
                closing = true;
                log.debug("[{}] closing: binary WebSocket frame", ctx.channel().id().asShortText());
                ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.INVALID_MESSAGE_TYPE,
                        "text frames only")).addListener(ChannelFutureListener.CLOSE);
            }
        } finally {
            frame.release();
        }
    }

    private void read(ChannelHandlerContext ctx, ByteBuf in, boolean endOfMessage) {
        int start = in.readerIndex();
        int end = in.writerIndex();
        while (start < end) {
            int lf = in.indexOf(start, end, (byte) '\n');
            int stop = lf < 0 ? end : lf;
            if (lf >= 0 && !discarding && (partialIn == null || !partialIn.isReadable())) {
                emitLine(ctx, in, start, stop - start); // the common case: a whole line in one frame, no copy
            } else {
                append(ctx, in, start, stop - start);
                if (lf >= 0) {
                    endLine(ctx);
                }
            }
            afterLf = lf >= 0;
            if (lf < 0) {
                break;
            }
            start = lf + 1;
        }
        if (endOfMessage) {
            inText = false;
            if (!afterLf) {
                endLine(ctx); // Web: the end of a message ends its last line
            }
        }
    }

    private void append(ChannelHandlerContext ctx, ByteBuf in, int index, int length) {
        if (discarding || length == 0) {
            return;
        }
        if (partialIn == null) {
            partialIn = ctx.alloc().buffer(Math.min(maxLineBytes + 1, Math.max(64, length)));
        }
        if (length > maxLineBytes + 1 - partialIn.readableBytes()) {
            partialIn.clear();
            tooLong(ctx); // Wire: report at once, discard up to the line's end
            return;
        }
        partialIn.writeBytes(in, index, length);
    }

    private void endLine(ChannelHandlerContext ctx) {
        if (discarding) {
            discarding = false;
            return;
        }
        if (partialIn == null) {
            ctx.fireChannelRead("");
            return;
        }
        emitLine(ctx, partialIn, partialIn.readerIndex(), partialIn.readableBytes());
        partialIn.clear();
    }

    private void emitLine(ChannelHandlerContext ctx, ByteBuf bytes, int index, int length) {
        if (length > 0 && bytes.getByte(index + length - 1) == '\r') {
            length--; // Wire: a CR just before the LF is dropped (a CR at a message's end too)
        }
        if (length > maxLineBytes) {
            tooLong(ctx);
            discarding = false; // this line has ended already
            return;
        }
        ctx.fireChannelRead(bytes.toString(index, length, StandardCharsets.UTF_8));
    }

    private void tooLong(ChannelHandlerContext ctx) {
        discarding = true;
        ctx.fireExceptionCaught(new TooLongFrameException("line longer than " + maxLineBytes + " bytes"));
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf lines) {
            writeLines(ctx, lines, promise);
        } else if (msg instanceof CharSequence line) {
            ctx.write(new TextWebSocketFrame(withoutLf(line.toString())), promise);
        } else {
            ctx.write(msg, promise);
        }
    }

    private void writeLines(ChannelHandlerContext ctx, ByteBuf lines, ChannelPromise promise) {
        TextWebSocketFrame last = null;
        try {
            int start = lines.readerIndex();
            int end = lines.writerIndex();
            for (int lf; start < end && (lf = lines.indexOf(start, end, (byte) '\n')) >= 0; start = lf + 1) {
                ByteBuf line = lines.retainedSlice(start, lf - start);
                if (partialOut != null) {
                    line = ctx.alloc().compositeBuffer(2).addComponents(true, partialOut, line);
                    partialOut = null;
                }
                if (last != null) {
                    ctx.write(last, ctx.newPromise()); // if it fails, so do the frames after it
                }
                last = new TextWebSocketFrame(line);
            }
            if (start < end) {
                ByteBuf rest = lines.retainedSlice(start, end - start);
                partialOut = partialOut == null ? rest
                        : ctx.alloc().compositeBuffer().addComponents(true, partialOut, rest);
            }
        } finally {
            lines.release();
        }
        // No whole line (an empty buffer: "close when flushed"): keep the write, and its place in the order.
        ctx.write(last != null ? last : Unpooled.EMPTY_BUFFER, promise);
    }

    private static String withoutLf(String line) {
        return line.endsWith("\n") ? line.substring(0, line.length() - 1) : line;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException corrupt) {
            // A frame over the size limit (1009), bad UTF-8 (1007), another protocol error (1002): say which;
            // the WebSocket handler closes the connection right after this.
            log.debug("[{}] closing: {}", ctx.channel().id().asShortText(), cause.getMessage());
            ctx.writeAndFlush(new CloseWebSocketFrame(corrupt.closeStatus(), corrupt.closeStatus().reasonText()));
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        ReferenceCountUtil.safeRelease(partialIn);
        ReferenceCountUtil.safeRelease(partialOut);
        partialIn = null;
        partialOut = null;
    }
}
