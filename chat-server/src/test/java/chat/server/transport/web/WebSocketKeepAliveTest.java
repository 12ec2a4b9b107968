package chat.server.transport.web;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class WebSocketKeepAliveTest {

    @Test
    void aSilentWebSocketIsPingedAndClosedIfItStaysSilent() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        ch.pipeline().addLast(new WebSocketKeepAlive(Duration.ofSeconds(30)));

        ch.advanceTimeBy(29, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.<Object>readOutbound()).isNull();

        ch.advanceTimeBy(1, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        PingWebSocketFrame ping = ch.readOutbound();
        assertThat(ping).isNotNull();
        ping.release();

        ch.writeInbound(new PongWebSocketFrame()); // the pong counts: another full interval before the next ping
        ch.<PongWebSocketFrame>readInbound().release();
        ch.advanceTimeBy(30, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        ch.<PingWebSocketFrame>readOutbound().release();
        assertThat(ch.isOpen()).isTrue();

        ch.advanceTimeBy(30, TimeUnit.SECONDS); // no pong this time: the peer is gone
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isFalse();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }
}
