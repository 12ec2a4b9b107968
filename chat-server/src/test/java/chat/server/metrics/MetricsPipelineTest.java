package chat.server.metrics;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** One metrics connection's pipeline on an EmbeddedChannel whose clock the test moves. */
class MetricsPipelineTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ChatMetrics metrics = new ChatMetrics();
    private final EmbeddedChannel ch = connection();

    @AfterEach
    void nothingLeftUnread() {
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void getMetricsAnswersPrometheusText() {
        String response = ask("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 200 OK\r\n")
                .contains("content-type: text/plain; version=0.0.4; charset=utf-8\r\n")
                .contains("\r\n\r\n# HELP chat_connections_open ");
        assertThat(ch.isOpen()).as("kept alive").isTrue();
    }

    @Test
    void headAnswersTheLengthWithoutTheBody() {
        String response = ask("HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\n")
                .containsPattern("content-length: [1-9][0-9]*\r\n");
    }

    @Test
    void anotherPathIsNotFoundAndAnotherMethodNotAllowed() {
        assertThat(ask("GET / HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 404 Not Found\r\n");
        assertThat(ask("DELETE /metrics HTTP/1.1\r\nHost: x\r\n\r\n"))
                .startsWith("HTTP/1.1 405 Method Not Allowed\r\n");
    }

    @Test
    void overlongHeaderGetsBadRequestAndTheConnectionCloses() {
        String response = ask("GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: "
                + "a".repeat(MetricsInitializer.MAX_HEADER_BYTES) + "\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 400 Bad Request\r\n").doesNotContain("chat_");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void overlongRequestLineGetsBadRequestAndTheConnectionCloses() {
        String response = ask("GET /metrics?" + "a".repeat(MetricsInitializer.MAX_REQUEST_LINE_BYTES)
                + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 400 Bad Request\r\n");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void overlongBodyIsRefusedWithoutBeingRead() {
        String response = ask("POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: "
                + (MetricsInitializer.MAX_BODY_BYTES + 1) + "\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 413 Request Entity Too Large\r\n");
    }

    @Test
    void silentConnectionIsClosedWhenTheRequestTimeoutRunsOut() {
        ch.advanceTimeBy(TIMEOUT.toMillis() - 1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isTrue();
        ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void requestSentInPartsStillHasOnlyTheTimeoutFromTheConnection() {
        ch.writeInbound(bytes("GET /metrics HTTP/1.1\r\n"));
        ch.advanceTimeBy(TIMEOUT.toMillis() / 2, TimeUnit.MILLISECONDS);
        ch.writeInbound(bytes("Host: x\r\n"));
        ch.advanceTimeBy(TIMEOUT.toMillis() / 2, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isFalse();
        assertThat((Object) ch.readOutbound()).as("no answer to half a request").isNull();
    }

    @Test
    void keptAliveConnectionHasTheTimeoutAgainAfterEachResponse() {
        ch.advanceTimeBy(TIMEOUT.toMillis() - 1, TimeUnit.MILLISECONDS);
        assertThat(ask("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 200 OK\r\n");
        ch.advanceTimeBy(TIMEOUT.toMillis() - 1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).as("the timeout starts again at the response").isTrue();
        ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isFalse();
    }

    private EmbeddedChannel connection() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        Exposition exposition = new Exposition(metrics,
                new RuntimeMetrics(ByteBufAllocator.DEFAULT, RuntimeMetrics.PROC_SELF_STATUS));
        channel.pipeline().addLast(new MetricsInitializer(metrics, new MetricsHandler(exposition),
                MetricsServer.DEFAULT_MAX_CONNECTIONS, TIMEOUT));
        return channel;
    }

    /** Sends a request and returns all the bytes written back, as text. */
    private String ask(String request) {
        ch.writeInbound(bytes(request));
        ch.runPendingTasks();
        StringBuilder out = new StringBuilder();
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            out.append(b.toString(StandardCharsets.UTF_8));
            b.release();
        }
        return out.toString();
    }

    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }
}
