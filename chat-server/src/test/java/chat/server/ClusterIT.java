package chat.server;

import chat.protocol.ServerLines;
import chat.server.config.Cluster;
import chat.server.config.Flood;
import chat.server.config.History;
import chat.server.config.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three servers in this JVM sharing a real {@code redis-server}: they behave as one server
 * (PROTOCOL.md, "Clusters"). Node deaths by {@code kill -9} and {@code SIGSTOP} need processes:
 * see {@link ClusterProcessIT}.
 */
class ClusterIT {

    private RedisProcess redis;
    private final List<RunningServer> nodes = new ArrayList<>();

    @BeforeEach
    void startRedis() throws IOException {
        redis = RedisProcess.start();
    }

    @AfterEach
    void stopAll() {
        nodes.forEach(RunningServer::close);
        redis.close();
    }

    private ServerConfig config() {
        return RunningServer.V1.with(new History(100, 10))
                .with(new Flood(0, 1))
                .with(new Cluster(Optional.of(redis.uri()), Duration.ofSeconds(2)));
    }

    private RunningServer node() throws InterruptedException {
        return node(config());
    }

    private RunningServer node(ServerConfig config) throws InterruptedException {
        RunningServer n = RunningServer.start(config);
        nodes.add(n);
        return n;
    }

    @Test
    void clientsOnDifferentServersSeeOneOrderUnderConcurrentSenders() throws Exception {
        RunningServer a = node();
        RunningServer b = node();
        RunningServer c = node();
        LineClient ann = LineClient.joined(a.address, "ann");
        LineClient bob = LineClient.joined(b.address, "bob");
        ann.expect("bob has arrived");
        LineClient cat = LineClient.joined(c.address, "cat");
        ann.expect("cat has arrived");
        bob.expect("cat has arrived");
        List<LineClient> clients = List.of(ann, bob, cat);
        int each = 200;
        List<CompletableFuture<Void>> senders = new ArrayList<>();
        for (LineClient client : clients) {
            senders.add(CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < each; i++) {
                        client.send("line " + i);
                    }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }));
        }
        List<List<String>> seen = new ArrayList<>();
        for (LineClient client : clients) {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < each * clients.size(); i++) {
                lines.add(client.readLine());
            }
            seen.add(lines);
        }
        CompletableFuture.allOf(senders.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        assertThat(seen.get(0)).contains("ann: line 0", "bob: line " + (each - 1), "cat: line 7");
        assertThat(seen.get(1)).isEqualTo(seen.get(0));
        assertThat(seen.get(2)).isEqualTo(seen.get(0));
        for (LineClient client : clients) {
            client.close();
        }
    }

    @Test
    void aNameTakenOnOneServerIsRefusedOnAnotherLookalikesIncluded() throws Exception {
        RunningServer a = node();
        RunningServer b = node();
        try (LineClient ann = LineClient.joined(a.address, "ann");
             LineClient other = LineClient.connect(b.address)) {
            other.expect("Enter your name:");
            other.send("ANN");
            other.expect("Error: name ANN is taken", "Enter your name:");
            other.send("аnn"); // Cyrillic a
            assertThat(other.readLine()).startsWith("Error: ");
            other.expect("Enter your name:");
            other.send("bob");
            other.expect("You are bob", "Also here: ann");
            ann.expect("bob has arrived");
            ann.send("/nick bob");
            ann.expect("Error: name bob is taken");
            other.send("/nick ann");
            other.expect("Error: name ann is taken");
        }
    }

    @Test
    void twoServersRacingForOneNameGiveItToExactlyOneClient() throws Exception {
        RunningServer a = node();
        RunningServer b = node();
        for (int round = 0; round < 20; round++) {
            String name = "racer" + round;
            try (LineClient left = LineClient.connect(a.address);
                 LineClient right = LineClient.connect(b.address)) {
                left.expect("Enter your name:");
                right.expect("Enter your name:");
                left.send(name);
                right.send(name);
                String l = left.readLine();
                String r = right.readLine();
                assertThat(List.of(l, r)).as("round " + round)
                        .containsExactlyInAnyOrder("You are " + name, "Error: name " + name + " is taken");
            }
        }
    }

    @Test
    void privateLinesWhoAndRoomsReachEveryServer() throws Exception {
        RunningServer a = node();
        RunningServer b = node();
        try (LineClient ann = LineClient.joined(a.address, "ann");
             LineClient bob = LineClient.joined(b.address, "bob")) {
            ann.expect("bob has arrived");
            ann.send("/msg bob psst");
            bob.expect("ann (private): psst");
            ann.expect("to bob (private): psst");
            bob.send("/msg nobody hi");
            bob.expect("Error: no one named nobody is here");
            bob.send("/who");
            bob.expect("Here now (2): ann, bob");
            bob.send("/join #dev");
            bob.expect("You are in #dev", "Also here: nobody");
            ann.expect("bob has left");
            ann.send("/rooms");
            ann.expect("Rooms (2): #dev (1), #lobby (1)");
            ann.send("/join #DEV");
            ann.expect("You are in #dev", "Also here: bob");
            bob.expect("ann has arrived");
            bob.send("/nick bobby");
            bob.expect("bob is now known as bobby");
            ann.expect("bob is now known as bobby");
            ann.send("/who");
            ann.expect("Here now (2): ann, bobby");
        }
    }

    @Test
    void historyWrittenOnOneServerIsServedByAnotherAndAfterARestart() throws Exception {
        RunningServer a = node();
        try (LineClient ann = LineClient.joined(a.address, "ann")) {
            ann.send("first");
            ann.expect("ann: first");
            ann.send("/me waves");
            ann.expect("* ann waves");
        }
        RunningServer b = node();
        try (LineClient bob = LineClient.connect(b.address)) {
            bob.expect("Enter your name:");
            bob.send("bob");
            bob.expect("You are bob", "Also here: nobody", "Recent messages (2):");
            assertThat(bob.readLine()).endsWith("ann: first");
            assertThat(bob.readLine()).endsWith("* ann waves");
            bob.send("/history 1");
            bob.expect("Recent messages (1):");
            assertThat(bob.readLine()).endsWith("* ann waves");
        }
        a.close();
        nodes.remove(a);
        RunningServer again = node();
        try (LineClient cat = LineClient.connect(again.address)) {
            cat.expect("Enter your name:");
            cat.send("cat");
            cat.expect("You are cat", "Also here: nobody", "Recent messages (2):");
            assertThat(cat.readLine()).endsWith("ann: first");
            assertThat(cat.readLine()).endsWith("* ann waves");
        }
    }

    @Test
    void aServerThatStartsLaterCatchesUpOnMoreHistoryThanOnePageHolds() throws Exception {
        int lines = 2500; // catching up takes pages of 2000 lines: this room needs two
        ServerConfig longHistory = config().with(new History(lines, 1));
        RunningServer a = node(longHistory);
        try (LineClient ann = LineClient.joined(a.address, "ann")) {
            for (int i = 0; i < lines; i++) {
                ann.send("line " + i);
            }
            for (int i = 0; i < lines; i++) {
                ann.expect("ann: line " + i);
            }
        }
        RunningServer b = node(longHistory);
        try (LineClient bob = LineClient.joined(b.address, "bob")) {
            bob.expect("Recent messages (1):");
            assertThat(bob.readLine()).endsWith("] ann: line " + (lines - 1));
            bob.send("/history " + lines);
            bob.expect("Recent messages (" + lines + "):");
            for (int i = 0; i < lines; i++) {
                assertThat(bob.readLine()).endsWith("] ann: line " + i);
            }
        }
    }

    @Test
    void aServerThatStopsHasItsClientsAnnouncedAsLeftAtOnce() throws Exception {
        RunningServer a = node();
        RunningServer b = node();
        try (LineClient ann = LineClient.joined(a.address, "ann");
             LineClient bob = LineClient.joined(b.address, "bob")) {
            ann.expect("bob has arrived");
            b.close();
            nodes.remove(b);
            bob.expect("Disconnected: server shutting down");
            ann.expect("bob has left");
            try (LineClient again = LineClient.joined(a.address, "bob")) {
                ann.expect("bob has arrived");
            }
        }
    }

    @Test
    void withoutRedisALineGetsAnErrorAndChatResumesWhenRedisIsBack() throws Exception {
        RunningServer a = node();
        RunningServer b = node();
        try (LineClient ann = LineClient.joined(a.address, "ann");
             LineClient bob = LineClient.joined(b.address, "bob");
             LineClient newcomer = LineClient.connect(a.address)) {
            ann.expect("bob has arrived");
            newcomer.expect("Enter your name:");
            LineClient dan = LineClient.joined(b.address, "dan");
            ann.expect("dan has arrived");
            bob.expect("dan has arrived");
            redis.stop();
            ann.send("anyone?");
            ann.expect("Error: chat is unavailable, try again");
            newcomer.send("cat");
            newcomer.expect("Error: chat is unavailable, try again", "Enter your name:");
            ann.send("/who");
            ann.expect("Error: chat is unavailable, try again");
            assertThat(a.server.metrics().clusterUp()).isZero();
            assertThat(a.server.metrics().clusterUnavailableTotal()).isEqualTo(3);
            ann.send("/help");
            for (String line : ServerLines.HELP) {
                ann.expect(line);
            }
            for (String needsRedis : List.of("/me waves", "/msg bob hi", "/nick annie", "/join #dev", "/rooms", "/history")) {
                ann.send(needsRedis);
                ann.expect("Error: chat is unavailable, try again");
            }
            dan.send("/quit");
            dan.expect("Disconnected: quit");
            dan.expectEnd();
            dan.close();
            redis.restart();
            // Nodes find Redis again by themselves; Redis restarted empty, so they claim their clients again.
            chatResumes(ann, "Here now (2): ann, bob");
            ann.send("back");
            ann.expect("ann: back");
            bob.expect("ann: back");
            newcomer.send("cat");
            newcomer.expect("You are cat", "Also here: ann, bob");
            assertThat(a.server.metrics().clusterUp()).isEqualTo(1);
        }
    }

    @Test
    void aRoomEndsWithItsLastMemberOnEveryServerAndItsHistoryWithIt() throws Exception {
        RunningServer a = node();
        RunningServer b = node();
        try (LineClient ann = LineClient.joined(a.address, "ann");
             LineClient bob = LineClient.joined(b.address, "bob")) {
            ann.expect("bob has arrived");
            bob.send("/join #dev");
            bob.expect("You are in #dev", "Also here: nobody");
            ann.expect("bob has left");
            bob.send("secret");
            bob.expect("bob: secret");
            bob.send("/join #lobby");
            bob.expect("You are in #lobby", "Also here: ann");
            ann.expect("bob has arrived");
            ann.send("/rooms");
            ann.expect("Rooms (1): #lobby (2)");
            ann.send("/join #dev");
            ann.expect("You are in #dev", "Also here: nobody");
            bob.expect("ann has left");
            ann.send("/history");
            ann.expect("Recent messages (0):");
            ann.send("again");
            ann.expect("ann: again");
            bob.send("/join #dev");
            bob.expect("You are in #dev", "Also here: ann", "Recent messages (1):");
            assertThat(bob.readLine()).endsWith("] ann: again");
        }
    }

    @Test
    void whenRedisForgetsEverythingTheServersClaimTheirClientsAgainAndNoLineIsLost() throws Exception {
        RunningServer a = node();
        RunningServer b = node();
        try (LineClient ann = LineClient.joined(a.address, "ann");
             LineClient bob = LineClient.joined(b.address, "bob")) {
            ann.expect("bob has arrived");
            bob.send("/join #dev");
            bob.expect("You are in #dev", "Also here: nobody");
            ann.expect("bob has left");
            try (LineClient impostor = LineClient.connect(b.address)) {
                impostor.expect("Enter your name:");
                redis.cli("FLUSHALL");
                // Each server notices at its next heartbeat and claims its clients again; until all
                // have, nothing runs: ann's name is never free, however often it is tried meanwhile.
                long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                while (System.nanoTime() < until) {
                    impostor.send("ann");
                    assertThat(impostor.readLine()).isIn("Error: chat is unavailable, try again", "Error: name ann is taken");
                    impostor.expect("Enter your name:");
                }
            }
            chatResumes(bob, "Here now (1): bob");
            chatResumes(ann, "Here now (1): ann");
            bob.send("after");
            bob.expect("bob: after");
            try (LineClient impostor = LineClient.connect(b.address)) {
                impostor.expect("Enter your name:");
                impostor.send("ann");
                impostor.expect("Error: name ann is taken", "Enter your name:");
            }
            ann.send("/join #dev");
            ann.expect("You are in #dev", "Also here: bob", "Recent messages (1):");
            assertThat(ann.readLine()).endsWith("] bob: after");
            bob.expect("ann has arrived");
            ann.send("hi bob");
            ann.expect("ann: hi bob");
            bob.expect("ann: hi bob");
        }
    }

    @Test
    void aLineThatTimedOutWhileRedisStalledReachesNoOneWhenRedisWakes() throws Exception {
        RunningServer a = node();
        RunningServer b = node();
        try (LineClient ann = LineClient.joined(a.address, "ann");
             LineClient bob = LineClient.joined(b.address, "bob")) {
            ann.expect("bob has arrived");
            CompletableFuture<Void> stall = CompletableFuture.runAsync(() -> {
                try {
                    redis.cli("DEBUG", "SLEEP", "1.2");
                } catch (IOException | InterruptedException e) {
                    throw new RuntimeException(e);
                }
            });
            await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ZERO).until(redis::stalled);
            ann.send("lost in the stall");
            ann.expect("Error: chat is unavailable, try again");
            stall.get(10, TimeUnit.SECONDS);
            chatResumes(ann, "Here now (2): ann, bob");
            ann.send("after the stall");
            ann.expect("ann: after the stall");
            bob.expect("ann: after the stall"); // and not the line that failed
        }
    }

    /** Waits until chat is back for the client: its /who answers {@code who} rather than the error line. */
    private static void chatResumes(LineClient client, String who) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            client.send("/who");
            return client.readLine().equals(who);
        });
    }
}
