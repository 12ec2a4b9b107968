package chat.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerLinesTest {

    @Test
    void joiningLinesAreExact() {
        assertThat(ServerLines.enterName()).isEqualTo("Enter your name:");
        assertThat(ServerLines.invalidName())
                .isEqualTo("Error: invalid name; use 1-24 letters, digits, '_', '-' or '.'");
        assertThat(ServerLines.nameTaken("bob")).isEqualTo("Error: name bob is taken");
        assertThat(ServerLines.youAre("张三")).isEqualTo("You are 张三");
        assertThat(ServerLines.arrived("bob")).isEqualTo("bob has arrived");
        assertThat(ServerLines.left("bob")).isEqualTo("bob has left");
    }

    @Test
    void alsoHereListsOthersOrNobody() {
        assertThat(ServerLines.alsoHere(List.of("A", "B", "C"), 3)).isEqualTo("Also here: A, B, C");
        assertThat(ServerLines.alsoHere(List.of("ann"), 1)).isEqualTo("Also here: ann");
        assertThat(ServerLines.alsoHere(List.of(), 0)).isEqualTo("Also here: nobody");
    }

    @Test
    void talkingLinesAreExact() {
        assertThat(ServerLines.chat("ann", "hi: there")).isEqualTo("ann: hi: there");
        assertThat(ServerLines.action("ann", "waves")).isEqualTo("* ann waves");
        assertThat(ServerLines.privateFrom("ann", "psst")).isEqualTo("ann (private): psst");
        assertThat(ServerLines.privateTo("bob", "psst")).isEqualTo("to bob (private): psst");
        assertThat(ServerLines.renamed("ann", "anna")).isEqualTo("ann is now known as anna");
        assertThat(ServerLines.hereNow(List.of("Alice", "bob", "carl"), 3)).isEqualTo("Here now (3): Alice, bob, carl");
        assertThat(ServerLines.hereNow(List.of("me"), 1)).isEqualTo("Here now (1): me");
    }

    @Test
    void errorLinesAreExact() {
        assertThat(ServerLines.unknownCommand("/frob")).isEqualTo("Error: unknown command /frob; try /help");
        assertThat(ServerLines.usageMsg()).isEqualTo("Error: usage: /msg NAME TEXT");
        assertThat(ServerLines.usageMe()).isEqualTo("Error: usage: /me TEXT");
        assertThat(ServerLines.noOneNamed("zed")).isEqualTo("Error: no one named zed is here");
        assertThat(ServerLines.lineTooLong(2048)).isEqualTo("Error: line too long (limit 2048 bytes)");
        assertThat(ServerLines.dropped(17)).isEqualTo("Dropped 17 messages (your connection was too slow)");
    }

    @Test
    void disconnectLinesAreExact() {
        assertThat(ServerLines.disconnectedQuit()).isEqualTo("Disconnected: quit");
        assertThat(ServerLines.disconnectedIdle(Duration.ofSeconds(300))).isEqualTo("Disconnected: idle for 300s");
        assertThat(ServerLines.disconnectedIdle(Duration.ofMinutes(5))).isEqualTo("Disconnected: idle for 300s");
        assertThat(ServerLines.disconnectedNoName(Duration.ofSeconds(60)))
                .isEqualTo("Disconnected: no name given within 60s");
        assertThat(ServerLines.disconnectedServerFull()).isEqualTo("Disconnected: server is full");
        assertThat(ServerLines.disconnectedTooManyFromAddress())
                .isEqualTo("Disconnected: too many connections from your address");
        assertThat(ServerLines.disconnectedShuttingDown()).isEqualTo("Disconnected: server shutting down");
    }

    @Test
    void partialSecondsInDisconnectLinesAreCutToWholeSeconds() {
        assertThat(ServerLines.disconnectedIdle(Duration.ofMillis(1500))).isEqualTo("Disconnected: idle for 1s");
        assertThat(ServerLines.disconnectedNoName(Duration.ofMillis(1000)))
                .isEqualTo("Disconnected: no name given within 1s");
    }

    @Test
    void helpHasOneSlashLinePerCommand() {
        assertThat(ServerLines.HELP).isNotEmpty().allSatisfy(line -> assertThat(line).startsWith("/"));
        for (String command : List.of("/who", "/msg", "/me", "/nick", "/join", "/rooms", "/history", "/help", "/quit")) {
            assertThat(ServerLines.HELP).as(command).anyMatch(line -> line.startsWith(command + " "));
        }
    }

    @Test
    void bigRoomsListAHundredNamesThenHowManyMore() {
        List<String> names = java.util.stream.IntStream.rangeClosed(1, 5000).mapToObj(i -> String.format("n%04d", i)).toList();
        String here = ServerLines.hereNow(names, 5000);
        assertThat(here).startsWith("Here now (5000): n0001, n0002, ").endsWith(", n0100 and 4900 more");
        assertThat(here.split(", ")).hasSize(100);
        assertThat(ServerLines.alsoHere(names.subList(0, 101), 101)).endsWith(", n0100 and 1 more");
        assertThat(ServerLines.alsoHere(names.subList(0, 100), 100)).endsWith(", n0100");
    }

    @Test
    void roomLinesAreExact() {
        assertThat(ServerLines.youAreIn("#dev")).isEqualTo("You are in #dev");
        assertThat(ServerLines.rooms(List.of(ServerLines.roomEntry("#dev", 2), ServerLines.roomEntry("#lobby", 5))))
                .isEqualTo("Rooms (2): #dev (2), #lobby (5)");
        assertThat(ServerLines.usageJoin()).isEqualTo("Error: usage: /join ROOM");
        assertThat(ServerLines.invalidRoomName())
                .isEqualTo("Error: invalid room name; use # and 1-32 letters, digits, '_', '-' or '.'");
        assertThat(ServerLines.alreadyIn("#dev")).isEqualTo("Error: you are already in #dev");
        assertThat(ServerLines.tooManyRooms(1000)).isEqualTo("Error: too many rooms (limit 1000)");
    }

    @Test
    void historyLinesAreExactWithTheTimeInUtc() {
        assertThat(ServerLines.recentMessages(3)).isEqualTo("Recent messages (3):");
        long t = java.time.Instant.parse("2026-11-26T09:05:59Z").toEpochMilli();
        assertThat(ServerLines.recentLine(t, "ann: hello")).isEqualTo("[09:05] ann: hello");
        assertThat(ServerLines.usageHistory()).isEqualTo("Error: usage: /history [N]");
    }

    @Test
    void slowDownNamesTheRateWithoutDecimalsWhenWhole() {
        assertThat(ServerLines.slowDown(20))
                .isEqualTo("Slow down: over 20 lines per second; your lines are held and sent in order");
        assertThat(ServerLines.slowDown(2.5)).startsWith("Slow down: over 2.5 lines per second;");
    }
}
