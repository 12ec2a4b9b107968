package chat.server;

import chat.server.config.Flood;
import chat.server.config.History;
import chat.server.config.ServerConfig;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Replay over real sockets: a reader with a 4 KB receive buffer stops reading while 10,000
 * lines of 1 KB go by (10 MB, far more than the kernel buffers and its 64 KB high mark), then
 * reads everything it is sent.
 */
class ReplayIT {

    private static final Pattern DROPPED = Pattern.compile("Dropped (\\d+) messages \\(your connection was too slow\\)");
    private static final int LINES = 10_000;
    private static final String PAD = "x".repeat(1000);

    @Test
    void aStalledReaderGetsEveryLineInOrderWhenHistoryCoversTheGap() throws Exception {
        try (RunningServer server = RunningServer.start(config(new History(LINES, 0)));
             LineClient sender = LineClient.joined(server.address, "sender");
             LineClient stalled = stalledReader(server, sender)) {
            sendAll(sender);
            for (int i = 0; i < LINES; i++) {
                assertThat(stalled.readLine()).isEqualTo(line(i));
            }
            sender.send("after");
            stalled.expect("sender: after");
            assertThat(server.server.metrics().linesDropped()).isZero();
            assertThat(server.server.metrics().linesReplayed()).as("it really fell behind").isPositive();
        }
    }

    @Test
    void aStalledReaderLosesOnlyWhatHistoryNoLongerHolds() throws Exception {
        int kept = 100;
        try (RunningServer server = RunningServer.start(config(new History(kept, 0)));
             LineClient sender = LineClient.joined(server.address, "sender");
             LineClient stalled = stalledReader(server, sender)) {
            sendAll(sender);
            int before = 0;
            long dropped = -1;
            while (dropped < 0) {
                String got = stalled.readLine();
                Matcher m = DROPPED.matcher(got);
                if (m.matches()) {
                    dropped = Long.parseLong(m.group(1));
                } else {
                    assertThat(got).isEqualTo(line(before));
                    before++;
                }
            }
            for (int i = LINES - kept; i < LINES; i++) {
                assertThat(stalled.readLine()).isEqualTo(line(i));
            }
            assertThat(dropped + kept + before).isEqualTo(LINES);
            assertThat(dropped).isEqualTo(server.server.metrics().linesDropped());
            sender.send("after");
            stalled.expect("sender: after");
        }
    }

    private static ServerConfig config(History history) {
        return ServerConfig.DEFAULTS.with(Flood.OFF).with(history);
    }

    private static LineClient stalledReader(RunningServer server, LineClient sender) throws IOException {
        LineClient stalled = LineClient.connect(server.address, null, 4096);
        stalled.expect("Enter your name:");
        stalled.send("stalled");
        stalled.expect("You are stalled", "Also here: sender");
        sender.expect("stalled has arrived");
        return stalled;
    }

    /** Sends the numbered lines, never more than a window ahead of the sender's own echoes. */
    private static void sendAll(LineClient sender) throws Exception {
        AtomicInteger echoed = new AtomicInteger();
        CompletableFuture<Void> echoes = CompletableFuture.runAsync(() -> {
            try {
                for (int i = 0; i < LINES; i++) {
                    assertThat(sender.readLine()).isEqualTo(line(i));
                    echoed.incrementAndGet();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        StringBuilder batch = new StringBuilder();
        for (int i = 0; i < LINES; i++) {
            batch.append(i).append(' ').append(PAD).append('\n');
            if (i % 50 == 49 || i == LINES - 1) {
                int sent = i + 1;
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1))
                        .until(() -> echoed.get() >= sent - 500);
                sender.sendRaw(batch.toString().getBytes());
                batch.setLength(0);
            }
        }
        echoes.get(30, TimeUnit.SECONDS);
    }

    private static String line(int i) {
        return "sender: " + i + " " + PAD;
    }
}
