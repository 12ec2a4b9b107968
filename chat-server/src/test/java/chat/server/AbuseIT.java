package chat.server;

import chat.server.config.Flood;
import chat.server.config.Limits;
import chat.server.config.Timeouts;
import chat.server.config.SlowReaders;
import chat.server.config.ServerConfig;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Slow readers, floods, connection limits and timeouts, over real loopback sockets. */
class AbuseIT {

    private static final Pattern DROPPED = Pattern.compile("Dropped (\\d+) messages \\(your connection was too slow\\)");

    @Test
    void stalledReaderMissesLinesOthersGetAllInOrderAndTheGapIsReportedExactly() throws Exception {
        ServerConfig config = RunningServer.V1.with(Flood.OFF);
        int lines = 10_000;
        String pad = "x".repeat(1000);
        try (RunningServer server = RunningServer.start(config);
             LineClient sender = LineClient.joined(server.address, "sender");
             LineClient healthy = LineClient.joined(server.address, "healthy");
             LineClient stalled = LineClient.connect(server.address, null, 4096)) {
            stalled.expect("Enter your name:");
            stalled.send("stalled");
            stalled.expect("You are stalled");
            stalled.readLine();
            healthy.expect("stalled has arrived");
            sender.expect("healthy has arrived", "stalled has arrived");

            // Each reader on its own thread. The sender never runs more than a window ahead of
            // them, so they keep up on a busy machine, while the stalled reader falls 10 MB behind.
            ExecutorService readers = Executors.newFixedThreadPool(2);
            AtomicInteger echoed = new AtomicInteger();
            AtomicInteger delivered = new AtomicInteger();
            CompletableFuture<Void> echoes = CompletableFuture.runAsync(
                    () -> expectAll(sender, lines, pad, echoed), readers);
            CompletableFuture<Void> healthyGotAll = CompletableFuture.runAsync(
                    () -> expectAll(healthy, lines, pad, delivered), readers);
            readers.shutdown();
            int window = 500;
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < lines; i++) {
                batch.append(i).append(' ').append(pad).append('\n');
                if (i % 50 == 49 || i == lines - 1) {
                    int sent = i + 1;
                    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1)).until(
                            () -> Math.min(echoed.get(), delivered.get()) >= sent - window);
                    sender.sendRaw(batch.toString().getBytes());
                    batch.setLength(0);
                }
            }
            healthyGotAll.get(30, TimeUnit.SECONDS);
            echoes.get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> server.server.metrics().linesDropped() > 0);

            // The stalled reader now reads: lines before the gap, the report, and nothing after it.
            long expected = 0;
            long reported = -1;
            while (expected < lines && reported < 0) {
                String line = stalled.readLine();
                Matcher m = DROPPED.matcher(line);
                if (m.matches()) {
                    reported = Long.parseLong(m.group(1));
                } else {
                    assertThat(line).isEqualTo("sender: " + expected + " " + pad);
                    expected++;
                }
            }
            assertThat(reported).isEqualTo(lines - expected);
            assertThat(reported).isEqualTo(server.server.metrics().linesDropped());
            sender.send("after");
            stalled.expect("sender: after");
        }
    }

    @Test
    void readerThatNeverReadsIsCutOffAndTheOthersSeeItLeave() throws Exception {
        ServerConfig config = RunningServer.V1.with(Flood.OFF)
                .with(new SlowReaders(Duration.ofSeconds(1), 8192, 4096));
        try (RunningServer server = RunningServer.start(config);
             LineClient sender = LineClient.joined(server.address, "sender");
             LineClient stalled = LineClient.connect(server.address, null, 4096)) {
            stalled.expect("Enter your name:");
            stalled.send("stalled");
            sender.expect("stalled has arrived");
            String pad = "y".repeat(1000);
            int sent = 0;
            List<String> notices = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (server.server.metrics().slowConsumerDisconnects() == 0 && System.nanoTime() < deadline) {
                sender.send(sent++ + pad);
                for (String echo = sender.readLine(); !echo.equals("sender: " + (sent - 1) + pad);
                        echo = sender.readLine()) {
                    notices.add(echo);
                }
            }
            assertThat(server.server.metrics().slowConsumerDisconnects()).isEqualTo(1);
            while (!notices.contains("stalled has left")) {
                notices.add(sender.readLine());
            }
            sender.send("done");
            for (String l = sender.readLine(); !l.equals("sender: done"); l = sender.readLine()) {
                notices.add(l);
            }
            assertThat(notices).containsExactly("stalled has left");
        }
    }

    @Test
    void floodIsSlowedDownButNothingIsLost() throws Exception {
        ServerConfig config = RunningServer.V1.with(new Flood(5, 5));
        try (RunningServer server = RunningServer.start(config);
             LineClient ann = LineClient.joined(server.address, "ann");
             LineClient bob = LineClient.joined(server.address, "bob")) {
            ann.expect("bob has arrived");
            StringBuilder paste = new StringBuilder();
            for (int i = 1; i <= 30; i++) {
                paste.append("line ").append(i).append('\n');
            }
            long start = System.nanoTime();
            ann.sendRaw(paste.toString().getBytes());
            for (int i = 1; i <= 30; i++) {
                assertThat(bob.readLine()).isEqualTo("ann: line " + i);
            }
            // One token went on the name, four lines pass at once, 26 wait for 5 per second.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(4_500));
            bob.send("bob is not slowed");
            bob.expect("bob: bob is not slowed");
        }
    }

    @Test
    void floodFollowedByEofLosesNothingKeepsItsPaceAndGetsEveryReply() throws Exception {
        try (RunningServer server = RunningServer.start(RunningServer.V1.with(new Flood(20, 5)));
             LineClient watcher = LineClient.joined(server.address, "watcher");
             LineClient paster = LineClient.connect(server.address)) {
            StringBuilder paste = new StringBuilder("paster\n");
            for (int i = 0; i < 40; i++) {
                paste.append("m").append(i).append('\n');
            }
            paste.append("/who\n");
            long start = System.nanoTime();
            paster.sendRaw(paste.toString().getBytes());
            paster.halfClose(); // while flood control holds most of the lines
            watcher.expect("paster has arrived");
            for (int i = 0; i < 40; i++) {
                watcher.expect("paster: m" + i);
            }
            watcher.expect("paster has left");
            // 5 at once, the other 37 lines (36 chat, /who) at 20 a second: EOF is no way around the budget.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(1_700));
            List<String> got = paster.readToEnd();
            assertThat(got).startsWith("Enter your name:", "You are paster", "Also here: watcher")
                    .contains("Slow down: over 20 lines per second; your lines are held and sent in order")
                    .endsWith("paster: m39", "Here now (2): paster, watcher");
            assertThat(got.stream().filter(l -> l.startsWith("paster: m"))).hasSize(40);
        }
    }

    @Test
    void atMostHalfOfTheConnectionsMayBeWithoutAName() throws Exception {
        try (RunningServer server = RunningServer.start(RunningServer.V1.with(Limits.DEFAULTS.withConnections(4, 64)));
             LineClient a = LineClient.connect(server.address);
             LineClient b = LineClient.connect(server.address)) {
            a.expect("Enter your name:");
            b.expect("Enter your name:");
            try (LineClient c = LineClient.connect(server.address)) {
                c.expectBytes("Disconnected: server is full\n");
                c.expectEnd();
            }
            a.send("ann");
            a.expect("You are ann", "Also here: nobody");
            try (LineClient d = LineClient.connect(server.address)) {
                d.expect("Enter your name:");
            }
        }
    }

    @Test
    void serverFullTurnsTheNextConnectionAway() throws Exception {
        try (RunningServer server = RunningServer.start(RunningServer.V1.with(Limits.DEFAULTS.withConnections(2, 64)));
             LineClient a = LineClient.joined(server.address, "a");
             LineClient b = LineClient.joined(server.address, "b")) {
            try (LineClient c = LineClient.connect(server.address)) {
                c.expectBytes("Disconnected: server is full\n");
                c.expectEnd();
            }
            b.close();
            await().atMost(Duration.ofSeconds(5)).until(() -> server.server.metrics().connectionsOpen() == 1);
            try (LineClient d = LineClient.connect(server.address)) {
                d.expect("Enter your name:");
            }
        }
    }

    @Test
    void tooManyFromOneAddressIsTurnedAwayOthersStillWelcome() throws Exception {
        InetAddress second = InetAddress.getByName("127.0.0.2");
        try (RunningServer server = RunningServer.start(RunningServer.V1.with(Limits.DEFAULTS.withConnections(100, 2)));
             LineClient a = LineClient.connect(server.address);
             LineClient b = LineClient.connect(server.address)) {
            a.expect("Enter your name:");
            b.expect("Enter your name:");
            try (LineClient c = LineClient.connect(server.address)) {
                c.expectBytes("Disconnected: too many connections from your address\n");
                c.expectEnd();
            }
            try (LineClient other = LineClient.connect(server.address, second, 0)) {
                other.expect("Enter your name:");
            }
        }
    }

    @Test
    void idleClientIsDisconnectedAndTheOthersSeeItLeave() throws Exception {
        ServerConfig config = RunningServer.V1.with(new Timeouts(Timeouts.DEFAULTS.name(), Duration.ofMillis(1500)));
        try (RunningServer server = RunningServer.start(config);
             LineClient quiet = LineClient.joined(server.address, "quiet");
             LineClient talker = LineClient.joined(server.address, "talker")) {
            quiet.expect("talker has arrived");
            long start = System.nanoTime();
            // Both are silent; talker joined a moment later but may still time out first.
            String first = quiet.readLine();
            if (first.equals("talker has left")) {
                first = quiet.readLine();
            }
            assertThat(first).isEqualTo("Disconnected: idle for 1s");
            quiet.expectEnd();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(1000));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
            assertThat(talker.readLine()).isIn("quiet has left", "Disconnected: idle for 1s");
        }
    }

    @Test
    void nameTimeoutIsNotRestartedByInvalidAttempts() throws Exception {
        ServerConfig config = RunningServer.V1.with(new Timeouts(Duration.ofMillis(1500), Timeouts.DEFAULTS.idle()));
        try (RunningServer server = RunningServer.start(config);
             LineClient c = LineClient.connect(server.address)) {
            long start = System.nanoTime();
            c.expect("Enter your name:");
            c.send("not valid");
            c.expect("Error: invalid name; use 1-24 letters, digits, '_', '-' or '.'", "Enter your name:");
            c.expect("Disconnected: no name given within 1s");
            c.expectEnd();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(
                    Duration.ofMillis(1400), Duration.ofMillis(1500 + chat.server.delivery.Goodbye.GRACE_MILLIS + 2000));
        }
    }

    /** Reads the numbered lines 0 to {@code lines - 1}, in order, nothing between them, counting them. */
    private static void expectAll(LineClient c, int lines, String pad, AtomicInteger count) {
        try {
            for (int i = 0; i < lines; i++) {
                assertThat(c.readLine()).isEqualTo("sender: " + i + " " + pad);
                count.incrementAndGet();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
