package chat.server;

import chat.server.config.Flood;
import chat.server.config.ServerConfig;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class ChatServerIT {

    private RunningServer server;

    @BeforeEach
    void start() throws Exception {
        server = RunningServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void threeClientsJoinTalkWhisperRenameAndLeaveByteForByte() throws Exception {
        try (LineClient ann = LineClient.connect(server.address);
             LineClient bob = LineClient.connect(server.address);
             LineClient carl = LineClient.connect(server.address)) {
            ann.expectBytes("Enter your name:\n");
            ann.send("ann");
            ann.expectBytes("You are ann\nAlso here: nobody\n");

            bob.expectBytes("Enter your name:\n");
            bob.send("ANN");
            bob.expectBytes("Error: name ANN is taken\nEnter your name:\n");
            bob.send("bob smith");
            bob.expectBytes("Error: invalid name; use 1-24 letters, digits, '_', '-' or '.'\nEnter your name:\n");
            bob.send("Bob");
            bob.expectBytes("You are Bob\nAlso here: ann\n");
            ann.expectBytes("Bob has arrived\n");

            carl.expectBytes("Enter your name:\n");
            carl.send("张三");
            carl.expectBytes("You are 张三\nAlso here: ann, Bob\n");
            ann.expectBytes("张三 has arrived\n");
            bob.expectBytes("张三 has arrived\n");

            ann.send("hello, world");
            for (LineClient c : Arrays.asList(ann, bob, carl)) {
                c.expectBytes("ann: hello, world\n");
            }
            bob.send("/me waves");
            for (LineClient c : Arrays.asList(ann, bob, carl)) {
                c.expectBytes("* Bob waves\n");
            }
            carl.send("/msg bob psst");
            bob.expectBytes("张三 (private): psst\n");
            carl.expectBytes("to Bob (private): psst\n");

            ann.send("/nick Anna");
            for (LineClient c : Arrays.asList(ann, bob, carl)) {
                c.expectBytes("ann is now known as Anna\n");
            }
            bob.send("/who");
            bob.expectBytes("Here now (3): Anna, Bob, 张三\n");

            carl.send("/quit");
            carl.expectBytes("Disconnected: quit\n");
            carl.expectEnd();
            ann.expectBytes("张三 has left\n");
            bob.expectBytes("张三 has left\n");
        }
    }

    @Test
    void everyoneSeesConcurrentSendersInTheSameOrderWithNothingMissingOrTwice() throws Exception {
        server.close();
        server = RunningServer.start(RunningServer.V1.with(Flood.OFF));
        int each = 300;
        try (LineClient ann = LineClient.joined(server.address, "ann");
             LineClient bob = LineClient.joined(server.address, "bob");
             LineClient carl = LineClient.joined(server.address, "carl")) {
            ann.expect("bob has arrived", "carl has arrived");
            bob.expect("carl has arrived");
            Thread annTalks = new Thread(() -> talk(ann, "a", each));
            Thread bobTalks = new Thread(() -> talk(bob, "b", each));
            annTalks.start();
            bobTalks.start();
            java.util.List<String> seen = new java.util.ArrayList<>();
            for (LineClient c : Arrays.asList(ann, bob, carl)) {
                java.util.List<String> lines = new java.util.ArrayList<>();
                for (int i = 0; i < 2 * each; i++) {
                    lines.add(c.readLine());
                }
                if (seen.isEmpty()) {
                    seen.addAll(lines);
                } else {
                    assertThat(lines).isEqualTo(seen);
                }
            }
            annTalks.join();
            bobTalks.join();
            assertThat(seen).doesNotHaveDuplicates()
                    .filteredOn(l -> l.startsWith("ann: ")).hasSize(each).isSortedAccordingTo(
                            java.util.Comparator.comparingInt(l -> Integer.parseInt(l.substring(6))));
        }
    }

    private static void talk(LineClient c, String prefix, int lines) {
        try {
            for (int i = 0; i < lines; i++) {
                c.send(prefix + i);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void helpAndErrorsGoToTheSenderAlone() throws Exception {
        try (LineClient ann = LineClient.joined(server.address, "ann");
             LineClient bob = LineClient.joined(server.address, "bob")) {
            ann.expect("bob has arrived");
            ann.send("/help");
            for (String line : chat.protocol.ServerLines.HELP) {
                ann.expect(line);
            }
            ann.send("/dance");
            ann.expect("Error: unknown command /dance; try /help");
            ann.send("/msg nobody hi");
            ann.expect("Error: no one named nobody is here");
            ann.send("/me");
            ann.expect("Error: usage: /me TEXT");
            ann.send("/msg bob");
            ann.expect("Error: usage: /msg NAME TEXT");
            bob.expectSilence(Duration.ofMillis(200));
        }
    }

    @Test
    void endOfStreamLeavesOnce() throws Exception {
        try (LineClient ann = LineClient.joined(server.address, "ann");
             LineClient bob = LineClient.joined(server.address, "bob")) {
            ann.expect("bob has arrived");
            bob.close();
            ann.expect("bob has left");
            ann.send("/who");
            ann.expect("Here now (1): ann");
        }
    }

    @Test
    void halfClosedClientHasLeftAndTheServerClosesItsSideToo() throws Exception {
        try (LineClient ann = LineClient.joined(server.address, "ann");
             LineClient bob = LineClient.joined(server.address, "bob")) {
            ann.expect("bob has arrived");
            bob.send("bye all");
            bob.halfClose();
            assertThat(bob.readToEnd()).containsExactly("bob: bye all");
            ann.expect("bob: bye all", "bob has left");
        }
    }

    @Test
    void scriptThatSendsItsLinesAndEofStillGetsEveryReply() throws Exception {
        try (LineClient watcher = LineClient.joined(server.address, "watcher");
             LineClient script = LineClient.connect(server.address)) {
            script.sendRaw("dave\n/who\nhello\n".getBytes(StandardCharsets.UTF_8));
            script.halfClose();
            assertThat(script.readToEnd()).containsExactly("Enter your name:", "You are dave",
                    "Also here: watcher", "Here now (2): dave, watcher", "dave: hello");
            watcher.expect("dave has arrived", "dave: hello", "dave has left");
        }
    }

    @Test
    void resetConnectionLeavesOnce() throws Exception {
        try (LineClient ann = LineClient.joined(server.address, "ann");
             LineClient bob = LineClient.joined(server.address, "bob")) {
            ann.expect("bob has arrived");
            bob.reset();
            ann.expect("bob has left");
            ann.send("still here");
            ann.expect("ann: still here");
        }
    }

    @Test
    void hugeLineIsDiscardedWholeReportedOnceAndConnectionStays() throws Exception {
        try (LineClient ann = LineClient.joined(server.address, "ann")) {
            byte[] huge = new byte[10 * 1024 * 1024 + 1];
            Arrays.fill(huge, (byte) 'x');
            huge[huge.length - 1] = '\n';
            ann.sendRaw(huge);
            ann.expect("Error: line too long (limit 2048 bytes)");
            ann.send("x".repeat(2048));
            ann.expect("ann: " + "x".repeat(2048));
            ann.send("/who");
            ann.expect("Here now (1): ann");
        }
    }

    @Test
    void crlfAndInvalidUtf8AreHandled() throws Exception {
        try (LineClient ann = LineClient.joined(server.address, "ann")) {
            ann.sendRaw("windows line\r\n".getBytes(StandardCharsets.US_ASCII));
            ann.expectBytes("ann: windows line\n");
            ann.sendRaw(new byte[] {'b', (byte) 0xC3, (byte) 0x28, 'd', '\n'});
            ann.expectBytes("ann: b\uFFFD(d\n");
        }
    }

    @Test
    void escapeSequencesArriveAsPrintableText() throws Exception {
        try (LineClient ann = LineClient.joined(server.address, "ann")) {
            ann.sendRaw("\u001b[31mred\u001b[0m\tand\u202eevil\n".getBytes(StandardCharsets.UTF_8));
            ann.expectBytes("ann: [31mred[0m andevil\n");
        }
    }
}
