package chat.server.transport.web;

import chat.server.http.RequestDeadline;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class HttpRequestGuardTest {

    private final EmbeddedChannel ch = new EmbeddedChannel();

    HttpRequestGuardTest() {
        ch.freezeTime();
        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(WebOptions.MAX_REQUEST_BYTES),
                new RequestDeadline(WebOptions.REQUEST_TIMEOUT), new HttpRequestGuard());
    }

    @Test
    void aRequestSentTooSlowlyIsCutOff() {
        ch.writeInbound(ascii("GET / HTTP/1.1\r\nHost: x\r\n"));
        ch.advanceTimeBy(9, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        ch.writeInbound(ascii("X-Slow: 1\r\n"));
        assertThat(ch.isOpen()).isTrue();
        ch.advanceTimeBy(1, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isFalse();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void eachResponseGivesTheNextRequestTheFullTimeAgain() {
        ch.advanceTimeBy(9, TimeUnit.SECONDS);
        ch.writeInbound(ascii("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
        FullHttpRequest request = ch.readInbound();
        request.release();
        ch.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT));
        ch.releaseOutbound();
        ch.advanceTimeBy(9, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isTrue();
        ch.advanceTimeBy(1, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isFalse();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aHugeHeaderGets431AndTheConnectionCloses() {
        ch.writeInbound(ascii("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(1 << 20) + "\r\n\r\n"));
        assertThat(ch.<Object>readInbound()).isNull();
        assertThat(ch.outboundMessages()).isNotEmpty();
        String response = ch.outboundMessages().stream()
                .map(o -> ((ByteBuf) o).toString(StandardCharsets.US_ASCII))
                .reduce("", String::concat);
        assertThat(response).startsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n");
        assertThat(ch.isOpen()).isFalse();
        ch.finishAndReleaseAll();
    }

    private static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }
}
