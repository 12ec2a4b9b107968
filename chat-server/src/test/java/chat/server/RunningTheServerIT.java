package chat.server;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The jar as an operator runs it (PROTOCOL.md, "Running the server"): version, bad values from
 * the environment, unknown variables, host names, the metrics port and its address.
 */
class RunningTheServerIT {

    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)$");
    private static final Pattern METRICS = Pattern.compile("metrics on http://127\\.0\\.0\\.2:(\\d+)/metrics$");

    @Test
    void versionPrintsTheMavenVersionAndExitsZero() throws Exception {
        String version = System.getProperty("chat.server.version");
        assertThat(version).as("set by the pom for failsafe").isNotBlank();
        try (JarProcess p = JarProcess.start(Map.of(), "--version")) {
            assertThat(p.exitCode()).isZero();
            assertThat(p.stdoutAfterExit()).containsExactly("chat-server " + version);
        }
    }

    @Test
    void metricsAreServedOnTheMetricsHostNotTheChatHostAndTheLogSaysWhere() throws Exception {
        try (JarProcess p = JarProcess.start(Map.of("CHAT_METRICS_PORT", "0", "CHAT_METRICS_HOST", "127.0.0.2"),
                "--host", "127.0.0.1", "--port", "0")) {
            p.awaitLog(LISTENING);
            int port = Integer.parseInt(p.awaitLog(METRICS).group(1));
            try (Socket s = new Socket()) {
                assertThatThrownBy(() -> s.connect(new InetSocketAddress("127.0.0.1", port), 10_000))
                        .isInstanceOf(ConnectException.class);
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.2", port), 10_000);
                s.setSoTimeout(10_000);
                s.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                s.getInputStream().transferTo(body);
                assertThat(body.toString(StandardCharsets.UTF_8)).startsWith("HTTP/1.1 200 OK")
                        .contains("\nchat_connections_open 0\n", "\nchat_jvm_heap_bytes{area=\"used\"} ",
                                "\nchat_process_open_fds ");
            }
        }
    }

    @Test
    void metricsPortInUseIsOneLineNamingTheMetricsPortAndExitOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
             JarProcess p = JarProcess.start(Map.of(), "--host", "127.0.0.1", "--port", "0",
                     "--metrics-port", String.valueOf(taken.getLocalPort()))) {
            assertThat(p.exitCode()).isEqualTo(1);
            List<String> err = p.stderrAfterExit();
            assertThat(err).hasSize(1);
            assertThat(err.get(0)).startsWith("chat-server: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + " (metrics): ");
        }
    }

    @Test
    void theShadedJarCarriesWhatTheNameChecksNeed() throws Exception {
        // The jar keeps only part of ICU4J (minimized, locale data left out): lookalikes must still collide.
        try (JarProcess p = JarProcess.start(Map.of(), "--host", "127.0.0.1", "--port", "0")) {
            InetSocketAddress address = p.awaitListening();
            try (LineClient lan = LineClient.joined(address, "lan");
                 LineClient other = LineClient.connect(address)) {
                other.expect("Enter your name:");
                other.send("Ian");
                other.expect("Error: name Ian is taken", "Enter your name:");
                other.send("\u0430nn");
                other.expect("Error: invalid name; use 1-24 letters, digits, '_', '-' or '.'", "Enter your name:");
                other.send("\u65e5\u672c\u8a9e\u30c6\u30b9\u30c8");
                other.expect("You are \u65e5\u672c\u8a9e\u30c6\u30b9\u30c8", "Also here: lan");
                other.send("/join #\u0430bc");
                other.expect("Error: invalid room name; use # and 1-32 letters, digits, '_', '-' or '.'");
            }
        }
    }

    @Test
    void badValueFromAVariableIsOneLineNamingTheVariableAndExitTwo() throws Exception {
        try (JarProcess p = JarProcess.start(Map.of("CHAT_PORT", "abc"))) {
            assertThat(p.exitCode()).isEqualTo(2);
            List<String> err = p.stderrAfterExit();
            assertThat(err).hasSize(1);
            assertThat(err.get(0)).startsWith("chat-server: CHAT_PORT: ").contains("abc");
        }
    }

    @Test
    void hostThatDoesNotResolveIsOneLineAndExitTwoBeforeAnythingIsBound() throws Exception {
        try (JarProcess p = JarProcess.start(Map.of(), "--host", "example.invalid", "--port", "0")) {
            assertThat(p.exitCode()).isEqualTo(2);
            List<String> err = p.stderrAfterExit();
            assertThat(err).hasSize(1);
            assertThat(err.get(0)).startsWith("chat-server: --host example.invalid: cannot resolve");
            assertThat(p.stdoutAfterExit()).noneMatch(line -> line.contains("listening on"));
        }
    }

    @Test
    void unknownVariableIsWarnedAboutAndTheServerStillServes() throws Exception {
        try (JarProcess p = JarProcess.start(Map.of("CHAT_PROT", "1"), "--host", "127.0.0.1", "--port", "0")) {
            Matcher listening = p.awaitLog(LISTENING);
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", Integer.parseInt(listening.group(1)));
            try (LineClient ann = LineClient.joined(address, "ann")) {
                ann.send("hello");
                ann.expect("ann: hello");
            }
            p.awaitStderr(Pattern.compile("CHAT_PROT"));
            assertThat(p.stderrSoFar()).containsExactly(
                    "chat-server: warning: ignoring unknown variable CHAT_PROT (did you mean CHAT_PORT?)");
        }
    }
}
