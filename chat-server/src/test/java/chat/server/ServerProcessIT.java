package chat.server;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The real jar in a child process: signals, exit codes, the log line, the environment. */
class ServerProcessIT {

    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
    private static final Duration EXIT_WITHIN = Duration.ofSeconds(5);

    @Test
    void sigtermTellsEveryoneClosesAllAndExitsZeroWithinFiveSeconds() throws Exception {
        shutDownBySignal("TERM");
    }

    @Test
    void sigintDoesTheSame() throws Exception {
        shutDownBySignal("INT");
    }

    @Test
    void environmentSetsOptionsAndTheCommandLineWins() throws Exception {
        Process p = start(Map.of("CHAT_PORT", "1", "CHAT_MAX_LINE_BYTES", "4"), "--port", "0");
        try {
            InetSocketAddress address = awaitListening(p);
            try (LineClient c = LineClient.joined(address, "ann")) {
                c.send("12345");
                c.expect("Error: line too long (limit 4 bytes)");
            }
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void portInUseIsOneLineNamingThePortAndExitOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            String port = String.valueOf(taken.getLocalPort());
            Process p = start(Map.of(), "--port", port);
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(1);
            List<String> err = lines(p.getErrorStream());
            assertThat(err).hasSize(1);
            assertThat(err.get(0)).contains(port);
        }
    }

    @Test
    void helpPrintsUsageAndExitsZero() throws Exception {
        Process p = start(Map.of(), "--help");
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(String.join("\n", lines(p.getInputStream())))
                .contains("--port", "--idle-timeout", "--max-connections-per-ip", "--rate", "--burst");
    }

    @Test
    void badValueIsOneLineOnStderrAndExitTwo() throws Exception {
        for (String[] args : List.of(new String[] {"--port", "99999"}, new String[] {"--idle-timeout=soon"},
                new String[] {"--no-such-option"})) {
            Process p = start(Map.of(), args);
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(String.join(" ", args)).isEqualTo(2);
            List<String> err = lines(p.getErrorStream());
            assertThat(err).as(String.join(" ", args)).hasSize(1);
            assertThat(err.get(0)).contains(args[0].replaceFirst("=.*", ""));
        }
    }

    private void shutDownBySignal(String signal) throws Exception {
        Process p = start(Map.of());
        InetSocketAddress address = awaitListening(p);
        try (LineClient ann = LineClient.joined(address, "ann");
             LineClient bob = LineClient.joined(address, "bob");
             LineClient waiting = LineClient.connect(address);
             LineClient deaf = LineClient.connect(address, null, 4096)) {
            ann.expect("bob has arrived");
            waiting.expect("Enter your name:");
            deaf.expect("Enter your name:");
            deaf.send("deaf");
            ann.expect("deaf has arrived");
            bob.expect("deaf has arrived");
            long start = System.nanoTime();
            new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid())).inheritIO().start().waitFor();

            assertThat(p.waitFor(EXIT_WITHIN.toMillis(), TimeUnit.MILLISECONDS)).as("exited in time").isTrue();
            assertThat(p.exitValue()).isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(EXIT_WITHIN);
            for (LineClient c : List.of(ann, bob, waiting)) {
                assertThat(c.readToEnd()).containsExactly("Disconnected: server shutting down");
            }
        } finally {
            p.destroyForcibly();
        }
    }

    private static Process start(Map<String, String> env, String... args) throws IOException {
        Path jar = Paths.get(System.getProperty("chat.server.jar", "target/chat-server.jar"));
        List<String> command = new ArrayList<>(List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        if (!List.of(args).contains("--help")) {
            command.addAll(List.of("--host", "127.0.0.1"));
        }
        if (!List.of(args).contains("--port") && !List.of(args).contains("--help")) {
            command.addAll(List.of("--port", "0"));
        }
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith("CHAT_"));
        pb.environment().putAll(env);
        return pb.start();
    }

    /** Reads the log until the listening line; the port is the one the system chose. */
    private static InetSocketAddress awaitListening(Process p) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        for (String line; System.nanoTime() < deadline && (line = out.readLine()) != null; ) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> lines(p.getInputStream()));
                drain.setDaemon(true);
                drain.start();
                return new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(1)));
            }
        }
        throw new AssertionError("no 'listening on' line in the log");
    }

    private static List<String> lines(java.io.InputStream in) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return r.lines().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
