package chat.server.delivery;

import io.netty.buffer.ByteBuf;

/**
 * Frames an encoded line (UTF-8 and LF) as one WebSocket text frame, server to client (RFC 6455:
 * FIN, opcode 1, unmasked), straight into the receiver's batch buffer: no frame object and no
 * encoder pass per line and receiver, as a TCP receiver gets its lines copied as they are.
 * Pure; any thread.
 */
final class WebSocketFraming {

    private static final int FIN_TEXT = 0x81;

    private WebSocketFraming() {
    }

    /** The bytes {@link #writeText} writes for {@code line}. */
    static int frameSize(ByteBuf line) {
        int payload = line.readableBytes() - 1;
        return payload + headerSize(payload);
    }

    /** Writes {@code line}, without its LF, as a text frame. */
    static void writeText(ByteBuf out, ByteBuf line) {
        int payload = line.readableBytes() - 1;
        out.writeByte(FIN_TEXT);
        if (payload <= 125) {
            out.writeByte(payload);
        } else if (payload <= 0xFFFF) {
            out.writeByte(126);
            out.writeShort(payload);
        } else {
            out.writeByte(127);
            out.writeLong(payload);
        }
        out.writeBytes(line, line.readerIndex(), payload);
    }

    private static int headerSize(int payload) {
        return payload <= 125 ? 2 : payload <= 0xFFFF ? 4 : 10;
    }
}
