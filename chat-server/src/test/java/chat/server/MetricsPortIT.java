package chat.server;

import chat.server.config.Listeners;
import chat.server.config.ServerConfig;
import chat.server.metrics.ChatMetrics;
import chat.server.metrics.MetricsServer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The metrics port over loopback: its connection cap, its request timeout, a port in use. */
class MetricsPortIT {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String GET = "GET /metrics HTTP/1.1\r\nHost: test\r\n\r\n";
    private static final String GET_AND_CLOSE = "GET /metrics HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n";

    @Test
    void sixtyFifthConnectionIsClosedAtOnceAndMetricsAnswerAgainOnceSomeClose() throws Exception {
        try (RunningServer server = RunningServer.start(RunningServer.V1.with(new Listeners("127.0.0.1", 0, 0)))) {
            InetSocketAddress metrics = new InetSocketAddress("127.0.0.1", server.server.metricsAddress().getPort());
            List<Socket> idle = new ArrayList<>();
            try {
                for (int i = 0; i < MetricsServer.DEFAULT_MAX_CONNECTIONS; i++) {
                    idle.add(connect(metrics));
                }
                try (Socket extra = connect(metrics)) {
                    assertThat(extra.getInputStream().read()).as("the 65th is closed at once").isEqualTo(-1);
                }
                // The first 64 were let in: one of them still gets an answer.
                assertThat(exchange(idle.get(0), GET_AND_CLOSE)).startsWith("HTTP/1.1 200 OK");
                idle.remove(0).close();
                idle.remove(0).close();

                String[] body = new String[1];
                await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
                    try (Socket s = connect(metrics)) {
                        body[0] = exchange(s, GET_AND_CLOSE);
                    }
                    assertThat(body[0]).startsWith("HTTP/1.1 200 OK");
                });
                assertThat(value(body[0], "chat_metrics_connections_rejected_total")).isGreaterThanOrEqualTo(1);
            } finally {
                for (Socket s : idle) {
                    s.close();
                }
            }
        }
    }

    @Test
    void silentConnectionIsClosedWhenTheRequestTimeoutRunsOut() throws Exception {
        Duration timeout = Duration.ofMillis(300);
        try (MetricsServer server = shortTimeoutServer(timeout); Socket s = connect(server.address())) {
            long start = System.nanoTime();
            assertThat(s.getInputStream().read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(timeout.minusMillis(10));
        }
    }

    @Test
    void halfARequestIsClosedWithoutAnswerWhenTheRequestTimeoutRunsOut() throws Exception {
        Duration timeout = Duration.ofMillis(300);
        try (MetricsServer server = shortTimeoutServer(timeout); Socket s = connect(server.address())) {
            long start = System.nanoTime();
            s.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: te".getBytes(StandardCharsets.US_ASCII));
            assertThat(readToEnd(s.getInputStream())).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(timeout.minusMillis(10));
        }
    }

    @Test
    void keptAliveConnectionIsAnsweredThenClosedWhenTheNextRequestDoesNotCome() throws Exception {
        Duration timeout = Duration.ofMillis(300);
        try (MetricsServer server = shortTimeoutServer(timeout); Socket s = connect(server.address())) {
            s.getOutputStream().write(GET.getBytes(StandardCharsets.US_ASCII));
            String all = readToEnd(s.getInputStream());
            assertThat(all).startsWith("HTTP/1.1 200 OK").contains("\nchat_connections_open 0\n");
        }
    }

    @Test
    void metricsPortInUseFailsTheStartNamingTheMetricsPortAndFreesTheChatPort() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        int chatPort;
        try (ServerSocket probe = new ServerSocket(0, 50, loopback)) {
            chatPort = probe.getLocalPort();
        }
        try (ServerSocket taken = new ServerSocket(0, 50, loopback)) {
            int metricsPort = taken.getLocalPort();
            ServerConfig config = RunningServer.V1.with(new Listeners("127.0.0.1", chatPort, metricsPort));
            assertThatThrownBy(() -> ChatServer.start(config).close())
                    .isInstanceOf(CannotListenException.class)
                    .hasMessageStartingWith("cannot listen on 127.0.0.1:" + metricsPort + " (metrics): ");
        }
        try (ServerSocket again = new ServerSocket(chatPort, 50, loopback)) {
            assertThat(again.getLocalPort()).as("the chat port was let go").isEqualTo(chatPort);
        }
    }

    private static MetricsServer shortTimeoutServer(Duration timeout) throws IOException {
        return new MetricsServer(new InetSocketAddress("127.0.0.1", 0), new ChatMetrics(),
                MetricsServer.DEFAULT_MAX_CONNECTIONS, timeout);
    }

    private static Socket connect(InetSocketAddress address) throws IOException {
        Socket s = new Socket();
        s.connect(address, (int) WAIT.toMillis());
        s.setSoTimeout((int) WAIT.toMillis());
        return s;
    }

    private static String exchange(Socket s, String request) throws IOException {
        s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        return readToEnd(s.getInputStream());
    }

    /** Everything until the server closes; a read that waits longer than {@link #WAIT} fails. */
    private static String readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        return all.toString(StandardCharsets.UTF_8);
    }

    private static long value(String exposition, String metric) {
        Matcher m = Pattern.compile("(?m)^" + metric + " (\\d+)$").matcher(exposition);
        assertThat(m.find()).as(metric + " in\n" + exposition).isTrue();
        return Long.parseLong(m.group(1));
    }
}
