package chat.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LineBasedFrameDecoder;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * IRC (RFC 2812) as ngIRCd speaks it: {@code NICK} and {@code USER}, wait for the welcome {@code 001},
 * {@code JOIN #bench}, wait for the end of its names list {@code 366}; receivers and publishers alike.
 * A publisher first asks for operator rights ({@code OPER bench bench}) and sets user mode {@code +F},
 * ngIRCd's relaxed flood protection, without which it reads a chatty client slowly; a refusal
 * ({@code 464}, {@code 491}, {@code 481}, {@code 501}) is not an error, the publisher goes on without.
 * Any other {@code 4xx}/{@code 5xx} reply or an {@code ERROR} line fails the client.
 *
 * <p>Payloads go out as {@code PRIVMSG #bench :PAYLOAD} and arrive as
 * {@code :NICK!USER@HOST PRIVMSG #bench :PAYLOAD}. The server's {@code PING}s are answered by
 * {@link KeepAlive}.
 */
final class IrcProtocol implements Protocol {

    private static final String IRC_CHANNEL = "#" + CHANNEL;
    private static final String OPERATOR = "OPER bench bench\r\n";
    private static final byte[] PRIVMSG = ("PRIVMSG " + IRC_CHANNEL + " :").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SPACE_PRIVMSG = " PRIVMSG ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SPACE_COLON = " :".getBytes(StandardCharsets.US_ASCII);

    @Override
    public void addTransport(ChannelPipeline p) {
        p.addLast(LINES, new LineBasedFrameDecoder(MAX_LINE, true, false));
        p.addLast(KEEPALIVE, new KeepAlive());
    }

    @Override
    public Handshake handshake(String name, Side side) {
        return new Registration(name, side);
    }

    @Override
    public void writePublish(ByteBuf out, byte[] payload) {
        out.writeBytes(PRIVMSG).writeBytes(payload).writeByte('\r').writeByte('\n');
    }

    @Override
    public int payloadAt(ByteBuf line) {
        int afterCommand = Protocol.after(line, line.readerIndex(), SPACE_PRIVMSG);
        return afterCommand < 0 ? -1 : Protocol.after(line, afterCommand, SPACE_COLON);
    }

    /** Registration, operator rights for publishers, then the join; one step at a time. */
    private static final class Registration extends Handshake {

        private enum Step { WELCOME, OPERATOR, JOIN }

        private Step step = Step.WELCOME;

        Registration(String name, Side side) {
            super(name, side);
        }

        @Override
        protected void connected(ChannelHandlerContext ctx) {
            expect("001 (welcome)");
            send(ctx, "NICK " + name + "\r\nUSER " + name + " 0 * :" + name + "\r\n");
        }

        @Override
        protected void line(ChannelHandlerContext ctx, String line) {
            if (line.startsWith("ERROR")) {
                fail(line);
                return;
            }
            String numeric = numeric(line);
            if (numeric == null) {
                return;
            }
            switch (step) {
                case WELCOME -> {
                    if (numeric.equals("001")) {
                        if (side == Side.PUBLISHER) {
                            step = Step.OPERATOR;
                            expect("381 (operator) or a refusal");
                            send(ctx, OPERATOR);
                        } else {
                            join(ctx);
                        }
                    } else {
                        failOnError(numeric, line, Set.of());
                    }
                }
                case OPERATOR -> {
                    if (Set.of("381", "464", "491").contains(numeric)) {
                        send(ctx, "MODE " + name + " +F\r\n");
                        join(ctx);
                    } else {
                        failOnError(numeric, line, Set.of());
                    }
                }
                case JOIN -> {
                    if (numeric.equals("366")) {
                        joined(ctx);
                    } else {
                        // A refused MODE +F (no privileges, unknown mode) is not fatal.
                        failOnError(numeric, line, Set.of("481", "501"));
                    }
                }
            }
        }

        private void join(ChannelHandlerContext ctx) {
            step = Step.JOIN;
            expect("366 (end of names of " + IRC_CHANNEL + ")");
            send(ctx, "JOIN " + IRC_CHANNEL + "\r\n");
        }

        private void failOnError(String numeric, String line, Set<String> harmless) {
            if ((numeric.charAt(0) == '4' || numeric.charAt(0) == '5') && !harmless.contains(numeric)) {
                fail(line);
            }
        }

        /** The three-digit reply code of {@code :SERVER NNN ...}, or null. */
        private static String numeric(String line) {
            if (!line.startsWith(":")) {
                return null;
            }
            int space = line.indexOf(' ');
            if (space < 0 || line.length() < space + 4 || (line.length() > space + 4 && line.charAt(space + 4) != ' ')) {
                return null;
            }
            String code = line.substring(space + 1, space + 4);
            for (int i = 0; i < 3; i++) {
                if (code.charAt(i) < '0' || code.charAt(i) > '9') {
                    return null;
                }
            }
            return code;
        }
    }
}
