package chat.server.transport.web;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WebSocketLineCodecTest {

    private static final String TOO_LONG = "<too long>";

    private final List<String> seen = new ArrayList<>();
    private final EmbeddedChannel ch = new EmbeddedChannel(new WebSocketLineCodec(8), new Recorder());

    /** Stands for the chat handlers: records lines, and over-long lines in their place. */
    private final class Recorder extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            seen.add((String) msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            assertThat(cause).isInstanceOf(TooLongFrameException.class);
            seen.add(TOO_LONG);
        }
    }

    @AfterEach
    void nothingLeftOver() {
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aMessageIsSplitAtLfAndACrBeforeLfIsDropped() {
        ch.writeInbound(text("hello\nwho\r\nlast"));
        assertThat(seen).containsExactly("hello", "who", "last");
    }

    @Test
    void aMessageEndingInLfAddsNoEmptyLineButAnEmptyMessageIsAnEmptyLine() {
        ch.writeInbound(text("one\n"));
        ch.writeInbound(text(""));
        ch.writeInbound(text("two\n\n"));
        assertThat(seen).containsExactly("one", "", "two", "");
    }

    @Test
    void fragmentsAreJoinedAndALineMayCrossThem() {
        ch.writeInbound(new TextWebSocketFrame(false, 0, utf8("he")));
        ch.writeInbound(new ContinuationWebSocketFrame(false, 0, utf8("llo\r")));
        ch.writeInbound(new ContinuationWebSocketFrame(false, 0, utf8("\nwor")));
        assertThat(seen).containsExactly("hello");
        ch.writeInbound(new ContinuationWebSocketFrame(true, 0, utf8("ld")));
        assertThat(seen).containsExactly("hello", "world");
    }

    @Test
    void aCharacterSplitAcrossFragmentsDecodesWhole() {
        byte[] zhang = "张".getBytes(StandardCharsets.UTF_8);
        ch.writeInbound(new TextWebSocketFrame(false, 0, Unpooled.wrappedBuffer(zhang, 0, 1)));
        ch.writeInbound(new ContinuationWebSocketFrame(true, 0, Unpooled.wrappedBuffer(zhang, 1, 2)));
        assertThat(seen).containsExactly("张");
    }

    @Test
    void anOverlongLineIsReportedOnceDiscardedAndTheNextLineStillArrives() {
        ch.writeInbound(text("123456789\nok"));
        assertThat(seen).containsExactly(TOO_LONG, "ok");
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void anOverlongLineAcrossFragmentsIsReportedAtOnceAndDiscardedToItsLf() {
        ch.writeInbound(new TextWebSocketFrame(false, 0, utf8("12345")));
        ch.writeInbound(new ContinuationWebSocketFrame(false, 0, utf8("67890")));
        assertThat(seen).containsExactly(TOO_LONG);
        ch.writeInbound(new ContinuationWebSocketFrame(false, 0, utf8("still the same line")));
        ch.writeInbound(new ContinuationWebSocketFrame(true, 0, utf8("...\nnext")));
        assertThat(seen).containsExactly(TOO_LONG, "next");
    }

    @Test
    void anOverlongMessageWithoutLfEndsWithItsMessage() {
        ch.writeInbound(text("1234567890"));
        ch.writeInbound(text("fine"));
        assertThat(seen).containsExactly(TOO_LONG, "fine");
    }

    @Test
    void theLimitCountsNeitherCrNorLf() {
        ch.writeInbound(text("12345678\r\n"));
        ch.writeInbound(new TextWebSocketFrame(false, 0, utf8("1234")));
        ch.writeInbound(new ContinuationWebSocketFrame(true, 0, utf8("5678\r\n")));
        ch.writeInbound(text("123456789\r\n"));
        assertThat(seen).containsExactly("12345678", "12345678", TOO_LONG);
    }

    @Test
    void aBinaryFrameClosesWith1003() {
        ch.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {1, 2, 3})));
        CloseWebSocketFrame close = ch.readOutbound();
        assertThat(close.statusCode()).isEqualTo(1003);
        close.release();
        assertThat(ch.isOpen()).isFalse();
        assertThat(seen).isEmpty();
    }

    @Test
    void aBufferOfSeveralLinesBecomesOneFramePerLineWithoutLfAndWithoutCopies() {
        ByteBuf lines = utf8("ann: hi\nbob has arrived\n");
        ChannelFuture written = ch.writeAndFlush(lines);
        assertThat(written.isSuccess()).isTrue();
        TextWebSocketFrame first = ch.readOutbound();
        TextWebSocketFrame second = ch.readOutbound();
        assertThat(first.text()).isEqualTo("ann: hi");
        assertThat(second.text()).isEqualTo("bob has arrived");
        assertThat(first.content().unwrap()).isSameAs(lines); // a slice of the buffer, not a copy
        assertThat(ch.<Object>readOutbound()).isNull();
        first.release();
        assertThat(lines.refCnt()).isEqualTo(1);
        second.release();
        assertThat(lines.refCnt()).isZero();
    }

    @Test
    void aLineCutBetweenTwoBuffersBecomesOneFrame() {
        ch.writeAndFlush(utf8("ann: hel"));
        assertThat(ch.<Object>readOutbound()).isEqualTo(Unpooled.EMPTY_BUFFER);
        ch.writeAndFlush(utf8("lo\nbob: "));
        ch.writeAndFlush(utf8("yo\n"));
        assertThat(texts()).containsExactly("ann: hello", "bob: yo");
    }

    @Test
    void aStringLineBecomesOneFrame() {
        ch.writeAndFlush("Enter your name:");
        assertThat(texts()).containsExactly("Enter your name:");
    }

    @Test
    void anEmptyBufferKeepsItsPlaceSoCloseWhenFlushedStillWorks() {
        ChannelFuture written = ch.writeAndFlush(Unpooled.EMPTY_BUFFER);
        assertThat(written.isSuccess()).isTrue();
        assertThat(ch.<Object>readOutbound()).isEqualTo(Unpooled.EMPTY_BUFFER);
    }

    private List<String> texts() {
        List<String> texts = new ArrayList<>();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            if (o instanceof TextWebSocketFrame frame) {
                texts.add(frame.text());
            }
            ReferenceCountUtil.release(o);
        }
        return texts;
    }

    private static TextWebSocketFrame text(String s) {
        return new TextWebSocketFrame(utf8(s));
    }

    private static ByteBuf utf8(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }
}
