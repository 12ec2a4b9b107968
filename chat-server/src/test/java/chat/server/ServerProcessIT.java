package chat.server;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The real jar in a child process: signals, exit codes, the log line, the environment. */
class ServerProcessIT {

    private static final Duration EXIT_WITHIN = Duration.ofSeconds(5);
    private static final String[] LOCAL = {"--host", "127.0.0.1", "--port", "0"};

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
        try (JarProcess p = JarProcess.start(Map.of("CHAT_PORT", "1", "CHAT_MAX_LINE_BYTES", "4"), LOCAL)) {
            InetSocketAddress address = p.awaitListening();
            try (LineClient c = LineClient.joined(address, "ann")) {
                c.send("12345");
                c.expect("Error: line too long (limit 4 bytes)");
            }
        }
    }

    @Test
    void portInUseIsOneLineNamingThePortAndExitOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            String port = String.valueOf(taken.getLocalPort());
            try (JarProcess p = JarProcess.start(Map.of(), "--host", "127.0.0.1", "--port", port)) {
                assertThat(p.exitCode()).isEqualTo(1);
                List<String> err = p.stderrAfterExit();
                assertThat(err).hasSize(1);
                assertThat(err.get(0)).contains(port);
            }
        }
    }

    @Test
    void helpPrintsUsageAndExitsZero() throws Exception {
        try (JarProcess p = JarProcess.start(Map.of(), "--help")) {
            assertThat(p.exitCode()).isZero();
            assertThat(String.join("\n", p.stdoutAfterExit()))
                    .contains("--port", "--idle-timeout", "--max-connections-per-ip", "--rate", "--burst");
        }
    }

    @Test
    void badValueIsOneLineOnStderrAndExitTwo() throws Exception {
        for (String[] args : List.of(new String[] {"--port", "99999"}, new String[] {"--idle-timeout=soon"},
                new String[] {"--no-such-option"})) {
            try (JarProcess p = JarProcess.start(Map.of(), args)) {
                assertThat(p.exitCode()).as(String.join(" ", args)).isEqualTo(2);
                List<String> err = p.stderrAfterExit();
                assertThat(err).as(String.join(" ", args)).hasSize(1);
                assertThat(err.get(0)).contains(args[0].replaceFirst("=.*", ""));
            }
        }
    }

    private void shutDownBySignal(String signal) throws Exception {
        try (JarProcess p = JarProcess.start(Map.of(), LOCAL)) {
            InetSocketAddress address = p.awaitListening();
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
                assertThat(p.signal(signal, EXIT_WITHIN)).as("exit code, within " + EXIT_WITHIN).isZero();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(EXIT_WITHIN);
                for (LineClient c : List.of(ann, bob, waiting)) {
                    assertThat(c.readToEnd()).containsExactly("Disconnected: server shutting down");
                }
            }
        }
    }
}
