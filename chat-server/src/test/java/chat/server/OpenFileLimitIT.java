package chat.server;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * fd exhaustion: a server whose open-file limit (400) is below --max-connections (10000) takes
 * no more connections than it has descriptors for. Past that, clients get
 * {@code Disconnected: server is full} instead of nothing, the log has no "Too many open files",
 * and once some leave, new clients get in again.
 */
class OpenFileLimitIT {

    private static final int CLIENTS = 300; // 400 - 256 reserved = 144 admitted

    @Test
    void connectionsBeyondTheOpenFileLimitAreToldTheServerIsFull() throws Exception {
        try (JarProcess server = JarProcess.startWithOpenFiles(400, Map.of(), "--host", "127.0.0.1", "--port", "0",
                "--max-connections-per-ip", "10000")) {
            InetSocketAddress address = server.awaitListening();
            List<LineClient> clients = new ArrayList<>();
            int prompted = 0;
            int full = 0;
            try {
                for (int i = 0; i < CLIENTS; i++) {
                    // Half of them named, so the unnamed limit (half of the connections) is not what refuses them.
                    LineClient c = LineClient.connect(address, InetAddress.getByName("127.0.0." + (2 + i % 100)), 0);
                    clients.add(c);
                    String first = c.readLine();
                    if (first.equals("Enter your name:")) {
                        prompted++;
                        c.send("u" + i);
                        c.expect("You are u" + i);
                    } else {
                        assertThat(first).isEqualTo("Disconnected: server is full");
                        full++;
                    }
                }
                assertThat(prompted).isEqualTo(400 - 256);
                assertThat(full).isEqualTo(CLIENTS - prompted);
            } finally {
                for (LineClient c : clients) {
                    c.close();
                }
            }
            try (LineClient again = LineClient.joined(address, "again")) {
                again.send("/who");
                assertThat(again.readLine()).startsWith("Here now (");
            }
            assertThat(server.signal("TERM", java.time.Duration.ofSeconds(5))).isZero();
            assertThat(server.stdoutAfterExit()).noneMatch(line -> line.contains("Too many open files"))
                    .anyMatch(line -> line.contains("more than the open-file limit (400) allows: at most 144"));
        }
    }

}
