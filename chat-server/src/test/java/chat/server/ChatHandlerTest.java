package chat.server;

import chat.server.config.Flood;
import chat.server.config.Limits;
import chat.server.config.Timeouts;
import chat.server.config.ServerConfig;

import io.netty.handler.timeout.IdleStateEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ChatHandlerTest {

    private ChatRoom room = new ChatRoom();

    @AfterEach
    void tearDown() {
        room.closeAll();
    }

    @Test
    void newConnectionIsAskedForItsNameThenToldWhoItIsByteForByte() {
        TestClient c = room.connectUnread();
        assertThat(c.bytes()).isEqualTo("Enter your name:\n".getBytes(StandardCharsets.UTF_8));
        c.send("ann");
        assertThat(c.bytes()).isEqualTo("You are ann\nAlso here: nobody\n".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void joiningTellsWhoIsHereSortedAndAnnouncesTheArrival() {
        TestClient bob = room.joined("bob");
        TestClient ann = room.joined("Ann");
        TestClient carl = room.connect();
        carl.send("carl");
        assertThat(carl.lines()).containsExactly("You are carl", "Also here: Ann, bob");
        assertThat(bob.lines()).containsExactly("carl has arrived");
        assertThat(ann.lines()).containsExactly("carl has arrived");
    }

    @Test
    void invalidNameIsExplainedAndAskedAgain() {
        TestClient c = room.connect();
        c.send("a b");
        c.send("");
        c.send("-x");
        assertThat(c.lines()).containsExactly(
                "Error: invalid name; use 1-24 letters, digits, '_', '-' or '.'", "Enter your name:",
                "Error: invalid name; use 1-24 letters, digits, '_', '-' or '.'", "Enter your name:",
                "Error: invalid name; use 1-24 letters, digits, '_', '-' or '.'", "Enter your name:");
    }

    @Test
    void nameInUseIsRefusedWhateverItsCaseOrWidth() {
        room.joined("Alice");
        TestClient c = room.connect();
        c.send("ALICE");
        c.send("ａｌｉｃｅ");
        assertThat(c.lines()).containsExactly(
                "Error: name ALICE is taken", "Enter your name:",
                "Error: name ａｌｉｃｅ is taken", "Enter your name:");
    }

    @Test
    void nameIsShownInNfcAsTyped() {
        TestClient c = room.connect();
        c.send("Jose\u0301");
        assertThat(c.lines()).containsExactly("You are Jos\u00e9", "Also here: nobody");
    }

    @Test
    void clientAtThePromptGetsNoChatAndIsNotListed() {
        TestClient ann = room.joined("ann");
        TestClient waiting = room.connect();
        ann.send("hello");
        ann.send("/who");
        assertThat(waiting.lines()).isEmpty();
        assertThat(ann.lines()).containsExactly("ann: hello", "Here now (1): ann");
    }

    @Test
    void chatGoesToEveryoneTheSenderToo() {
        TestClient ann = room.joined("ann");
        TestClient bob = room.joined("bob");
        ann.lines();
        ann.send("hi there");
        assertThat(ann.lines()).containsExactly("ann: hi there");
        assertThat(bob.lines()).containsExactly("ann: hi there");
    }

    @Test
    void emptyLinesAfterJoiningAreIgnored() {
        TestClient ann = room.joined("ann");
        ann.send("");
        ann.send("   \t ");
        ann.send("\u001b");
        assertThat(ann.lines()).isEmpty();
    }

    @Test
    void controlCharactersNeverReachAnotherTerminal() {
        TestClient ann = room.joined("ann");
        TestClient bob = room.joined("bob");
        ann.lines();
        ann.sendRaw("\u001b[31mred\u0007\tok\u202e!\u0085\r\n");
        assertThat(bob.lines()).containsExactly("ann: [31mred ok!");
    }

    @Test
    void fragmentsAndMixedLineEndingsMakeWholeLines() {
        TestClient ann = room.joined("ann");
        ann.sendRaw("he");
        ann.sendRaw("llo\r");
        ann.sendRaw("\nsecond\nthi");
        ann.sendRaw("rd\r\n");
        assertThat(ann.lines()).containsExactly("ann: hello", "ann: second", "ann: third");
    }

    @Test
    void invalidUtf8DecodesToReplacementCharacters() {
        TestClient ann = room.joined("ann");
        ann.sendRaw(new byte[] {'o', 'k', (byte) 0xFF, (byte) 0xC3, '\n'});
        assertThat(ann.lines()).containsExactly("ann: ok\uFFFD\uFFFD");
    }

    @Test
    void overlongLineIsReportedAndConnectionStays() {
        room = new ChatRoom(ChatRoom.V1.with(Flood.OFF).with(Limits.DEFAULTS.withMaxLineBytes(8)));
        TestClient ann = room.joined("ann");
        ann.sendRaw("1234");
        ann.sendRaw("56789 and much more");
        ann.sendRaw(" still the same line\n");
        assertThat(ann.lines()).containsExactly("Error: line too long (limit 8 bytes)");
        ann.send("12345678");
        ann.send("still ok");
        assertThat(ann.lines()).containsExactly("ann: 12345678", "ann: still ok");
        assertThat(ann.isOpen()).isTrue();
    }

    @Test
    void meIsAnAction() {
        TestClient ann = room.joined("ann");
        TestClient bob = room.joined("bob");
        ann.lines();
        ann.send("/me waves");
        ann.send("/me");
        assertThat(bob.lines()).containsExactly("* ann waves");
        assertThat(ann.lines()).containsExactly("* ann waves", "Error: usage: /me TEXT");
    }

    @Test
    void msgGoesToOneAndConfirmsToTheSender() {
        TestClient ann = room.joined("ann");
        TestClient bob = room.joined("Bob");
        TestClient carl = room.joined("carl");
        ann.lines();
        bob.lines();
        ann.send("/msg BOB psst  quietly");
        assertThat(bob.lines()).containsExactly("ann (private): psst  quietly");
        assertThat(ann.lines()).containsExactly("to Bob (private): psst  quietly");
        assertThat(carl.lines()).isEmpty();
    }

    @Test
    void msgToYourselfIsAllowed() {
        TestClient ann = room.joined("ann");
        ann.send("/msg ann note");
        assertThat(ann.lines()).containsExactly("ann (private): note", "to ann (private): note");
    }

    @Test
    void msgErrorsGoToTheSenderAlone() {
        TestClient ann = room.joined("ann");
        TestClient bob = room.joined("bob");
        ann.lines();
        ann.send("/msg zed hello");
        ann.send("/msg bob");
        ann.send("/msg");
        assertThat(ann.lines()).containsExactly(
                "Error: no one named zed is here", "Error: usage: /msg NAME TEXT", "Error: usage: /msg NAME TEXT");
        assertThat(bob.lines()).isEmpty();
    }

    @Test
    void nickRenamesForEveryone() {
        TestClient ann = room.joined("ann");
        TestClient bob = room.joined("bob");
        ann.lines();
        ann.send("/nick Anna");
        assertThat(ann.lines()).containsExactly("ann is now known as Anna");
        assertThat(bob.lines()).containsExactly("ann is now known as Anna");
        bob.send("/msg anna hi");
        assertThat(ann.lines()).containsExactly("bob (private): hi");
        TestClient ann2 = room.connect();
        ann2.send("ann");
        assertThat(ann2.lines()).containsExactly("You are ann", "Also here: Anna, bob");
    }

    @Test
    void nickErrorsAreTheNameErrorsWithoutThePrompt() {
        TestClient ann = room.joined("ann");
        room.joined("bob");
        ann.lines();
        ann.send("/nick BOB");
        ann.send("/nick a b");
        ann.send("/nick");
        assertThat(ann.lines()).containsExactly(
                "Error: name BOB is taken",
                "Error: invalid name; use 1-24 letters, digits, '_', '-' or '.'",
                "Error: invalid name; use 1-24 letters, digits, '_', '-' or '.'");
    }

    @Test
    void whoListsEveryoneSortedCaseInsensitively() {
        room.joined("carl");
        room.joined("Bob");
        TestClient ann = room.joined("ann");
        ann.send("/who is here");
        assertThat(ann.lines()).containsExactly("Here now (3): ann, Bob, carl");
    }

    @Test
    void helpListsCommandsEachStartingWithSlash() {
        TestClient ann = room.joined("ann");
        ann.send("/help");
        assertThat(ann.lines()).isNotEmpty().allSatisfy(line -> assertThat(line).startsWith("/"))
                .anySatisfy(l -> assertThat(l).startsWith("/msg"))
                .anySatisfy(l -> assertThat(l).startsWith("/quit"));
    }

    @Test
    void unknownCommandIsAnError() {
        TestClient ann = room.joined("ann");
        ann.send("/QUIT");
        ann.send("/dance now");
        assertThat(ann.lines()).containsExactly(
                "Error: unknown command /QUIT; try /help", "Error: unknown command /dance; try /help");
        assertThat(ann.isOpen()).isTrue();
    }

    @Test
    void doubleSlashSendsASlashLineAsChat() {
        TestClient ann = room.joined("ann");
        ann.send("//who");
        assertThat(ann.lines()).containsExactly("ann: /who");
    }

    @Test
    void quitSaysGoodbyeClosesAndOthersSeeTheDepartureOnce() {
        TestClient ann = room.joined("ann");
        TestClient bob = room.joined("bob");
        ann.lines();
        ann.send("/quit now");
        assertThat(ann.lines()).containsExactly("Disconnected: quit");
        assertThat(ann.isOpen()).isFalse();
        assertThat(bob.lines()).containsExactly("ann has left");
    }

    @Test
    void droppedConnectionIsAnnouncedOnce() {
        TestClient ann = room.joined("ann");
        TestClient bob = room.joined("bob");
        ann.disconnect();
        assertThat(bob.lines()).containsExactly("ann has left");
        bob.send("/who");
        assertThat(bob.lines()).containsExactly("Here now (1): bob");
    }

    @Test
    void unnamedClientLeavesSilently() {
        TestClient bob = room.joined("bob");
        TestClient c = room.connect();
        c.disconnect();
        assertThat(bob.lines()).isEmpty();
    }

    @Test
    void nameTimeoutCountsFromTheConnectionNotFromTheLastAttempt() {
        TestClient c = room.connect();
        room.advance(59, TimeUnit.SECONDS);
        c.send("bad name");
        assertThat(c.lines()).hasSize(2);
        room.advance(1, TimeUnit.SECONDS);
        assertThat(c.lines()).containsExactly("Disconnected: no name given within 60s");
        assertThat(c.isOpen()).isFalse();
    }

    @Test
    void joinedClientIsNotTimedOutForItsName() {
        TestClient ann = room.joined("ann");
        room.advance(61, TimeUnit.SECONDS);
        assertThat(ann.lines()).isEmpty();
        assertThat(ann.isOpen()).isTrue();
    }

    @Test
    void idleClientIsToldAndClosed() {
        TestClient ann = room.joined("ann");
        TestClient bob = room.joined("bob");
        ann.lines();
        ann.channel.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
        assertThat(ann.lines()).containsExactly("Disconnected: idle for 300s");
        assertThat(ann.isOpen()).isFalse();
        assertThat(bob.lines()).containsExactly("ann has left");
    }

    @Test
    void idleTimeoutZeroNeverDisconnects() {
        room = new ChatRoom(ChatRoom.V1.with(Flood.OFF).with(new Timeouts(Timeouts.DEFAULTS.name(), java.time.Duration.ZERO)));
        TestClient ann = room.joined("ann");
        room.advance(1, TimeUnit.DAYS);
        assertThat(ann.lines()).isEmpty();
        assertThat(ann.isOpen()).isTrue();
    }

    @Test
    void idleTimeoutFiresAfterSilenceOnly() {
        room = new ChatRoom(ChatRoom.V1.with(Flood.OFF).with(new Timeouts(Timeouts.DEFAULTS.name(), java.time.Duration.ofSeconds(10))));
        TestClient ann = room.joined("ann");
        room.advance(9, TimeUnit.SECONDS);
        ann.send("still here");
        room.advance(9, TimeUnit.SECONDS);
        assertThat(ann.lines()).containsExactly("ann: still here");
        room.advance(2, TimeUnit.SECONDS);
        assertThat(ann.lines()).containsExactly("Disconnected: idle for 10s");
        assertThat(ann.isOpen()).isFalse();
    }

    @Test
    void lookalikeAndReservedNamesAreRefusedAtThePromptAndForNick() {
        TestClient lan = room.joined("lan");
        TestClient c = room.connect();
        c.send("Ian");
        c.send("\u0430nn"); // Cyrillic a, then Latin: mixed script
        c.send("Error");
        c.send("nobody");
        c.send("b\u034Fob"); // an invisible combining grapheme joiner
        String invalid = "Error: invalid name; use 1-24 letters, digits, '_', '-' or '.'";
        assertThat(c.lines()).containsExactly(
                "Error: name Ian is taken", "Enter your name:",
                invalid, "Enter your name:",
                "Error: name Error is taken", "Enter your name:",
                "Error: name nobody is taken", "Enter your name:",
                invalid, "Enter your name:");
        lan.send("/nick Disconnected");
        assertThat(lan.lines()).containsExactly("Error: name Disconnected is taken");
    }

    @Test
    void aRenameToAnotherSpellingOfYourOwnNameMustNotLookLikeSomeoneElse() {
        TestClient af = room.joined("af");
        TestClient as = room.joined("as");
        af.lines();
        as.send("/nick a\u017F"); // a long s: the same key as "as", the same skeleton as "af"
        assertThat(as.lines()).containsExactly("Error: name a\u017F is taken");
        as.disconnect();
        TestClient other = room.connect();
        other.send("a\u017F");
        assertThat(other.lines()).containsExactly("Error: name a\u017F is taken", "Enter your name:");
    }
}
