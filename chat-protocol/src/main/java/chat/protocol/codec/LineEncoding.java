package chat.protocol.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;

/** Encodes a server line as UTF-8 followed by one LF. The one class in chat-protocol that uses Netty. */
public final class LineEncoding {

    private LineEncoding() {
    }

    /** A new buffer from {@code alloc} holding {@code line} and its LF; the caller owns it. */
    public static ByteBuf encode(ByteBufAllocator alloc, CharSequence line) {
        ByteBuf out = alloc.directBuffer(ByteBufUtil.utf8Bytes(line) + 1); // exact: who-lists can be long
        ByteBufUtil.writeUtf8(out, line);
        out.writeByte('\n');
        return out;
    }
}
