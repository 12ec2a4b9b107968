package chat.server;

import chat.protocol.Command;
import chat.protocol.CommandParser;
import chat.protocol.Names;
import chat.protocol.ServerLines;
import chat.protocol.codec.LineEncoding;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Owns the chat: who is here under which name, and every line that goes to members.
 *
 * <p>Threading: all chat state is confined to one single-threaded {@link EventExecutor}. Public
 * methods may be called from any thread and hop onto it; private ones assume it. Lines leave
 * through {@link FanOut}, which drops (and this class counts) what a slow reader cannot take.
 *
 * <p>Bad input is answered with an error line to its sender alone.
 */
public final class Broadcaster {

    private static final Logger log = LoggerFactory.getLogger(Broadcaster.class);

    private final EventExecutor executor;
    private final ByteBufAllocator alloc;
    private final FanOut fanOut;
    private final ChatMetrics metrics;
    private final Duration nameTimeout;
    private final Map<String, Member> byKey = new HashMap<>();
    private final List<Member> joined = new ArrayList<>();
    /** The joined members' names in who-list order, kept sorted so a join costs O(log n), not a sort. */
    private final TreeSet<String> sortedNames = new TreeSet<>(Names.DISPLAY_ORDER);
    private boolean stopping;

    public Broadcaster(EventExecutor executor, ChatMetrics metrics, Duration nameTimeout) {
        this.executor = executor;
        this.alloc = ByteBufAllocator.DEFAULT;
        this.fanOut = new FanOut(executor);
        this.metrics = metrics;
        this.nameTimeout = nameTimeout;
    }

    /** A cleaned line from a connection, named or not, in the order it was received. */
    void received(Member m, String line) {
        executor.execute(() -> onLine(m, line));
    }

    /**
     * Whether the server is behind with delivering and senders should pause; see {@link FanOut}.
     * Cheap: one volatile read. Any thread.
     */
    boolean saturated() {
        return fanOut.saturated();
    }

    /** Stops reading the member's channel until delivery has caught up. On its event loop. */
    void pauseUntilDrained(Member m) {
        fanOut.pause(m.channel());
    }

    /** Tells the member one line, through the same ordered path as everything else. */
    void tell(Member m, String line) {
        executor.execute(() -> {
            if (!m.isClosing()) {
                send(m, line);
            }
        });
    }

    /** The name timer fired on the member's event loop; ignored if a name was accepted meanwhile. */
    void nameTimedOut(Member m) {
        executor.execute(() -> {
            if (m.name() == null && !m.isClosing()) {
                disconnect(m, DisconnectReason.NO_NAME, ServerLines.disconnectedNoName(nameTimeout));
            }
        });
    }

    /** The member was silent for --idle-timeout: its last line, in order after what it is owed. */
    void idle(Member m, String lastLine) {
        executor.execute(() -> {
            if (!m.isClosing()) {
                disconnect(m, DisconnectReason.IDLE, lastLine);
            }
        });
    }

    /**
     * The client sent EOF after the lines already handed over: it has left, but gets what it is
     * owed (replies to those lines) before the server closes its side too.
     */
    void endOfInput(Member m) {
        executor.execute(() -> {
            if (!m.isClosing()) {
                disconnect(m, DisconnectReason.PEER_CLOSED, null);
            }
        });
    }

    /** The member's channel drained below its low water mark. */
    void drained(Member m) {
        executor.execute(() -> {
            // Slow readers: report the gap as soon as the reader has caught up.
            if (m.hasDrops() && !m.isClosing() && m.lane != null && fanOut.hasRoom(m)) {
                reportDrops(m);
            }
        });
    }

    /** The member's connection closed, for whatever reason. */
    void left(Member m) {
        executor.execute(() -> {
            depart(m);
            m.closing();
        });
    }

    /** Stops all delivery: after this, no member gets another line from here. */
    Future<?> stop() {
        return executor.submit(() -> {
            stopping = true;
            fanOut.stop();
        });
    }

    private void onLine(Member m, String line) {
        if (m.isClosing() || stopping) {
            return;
        }
        metrics.lineReceived();
        if (m.name() == null) {
            onNameAttempt(m, line);
        } else if (!line.isEmpty()) {
            onCommand(m, CommandParser.parse(line));
        }
    }

    private void onNameAttempt(Member m, String line) {
        if (line.equals("/quit")) {
            disconnect(m, DisconnectReason.QUIT, ServerLines.disconnectedQuit());
            return;
        }
        String name = Names.display(line);
        String problem = nameProblem(m, name);
        if (problem != null) {
            send(m, problem);
            send(m, ServerLines.enterName());
            return;
        }
        m.cancelNameTimer();
        m.name(name, Names.key(name));
        send(m, ServerLines.youAre(name));
        send(m, ServerLines.alsoHere(sortedNames));
        broadcast(ServerLines.arrived(name));
        join(m);
        log.debug("[{}] joined as {}", m.id(), name);
    }

    /** The error line for a name this member may not take, or null if it may. */
    private String nameProblem(Member m, String name) {
        if (!Names.isValid(name)) {
            return ServerLines.invalidName();
        }
        Member holder = byKey.get(Names.key(name));
        if (holder != null && holder != m) {
            return ServerLines.nameTaken(name);
        }
        return null;
    }

    private void onCommand(Member m, Command command) {
        if (command instanceof Command.Say say) {
            broadcast(ServerLines.chat(m.name(), say.text()));
        } else if (command instanceof Command.Act act) {
            broadcast(ServerLines.action(m.name(), act.text()));
        } else if (command instanceof Command.Whisper w) {
            whisper(m, w);
        } else if (command instanceof Command.Rename r) {
            rename(m, Names.display(r.newName()));
        } else if (command instanceof Command.Who) {
            send(m, ServerLines.hereNow(sortedNames));
        } else if (command instanceof Command.Help) {
            ServerLines.HELP.forEach(line -> send(m, line));
        } else if (command instanceof Command.Quit) {
            disconnect(m, DisconnectReason.QUIT, ServerLines.disconnectedQuit());
        } else if (command instanceof Command.Unknown u) {
            send(m, ServerLines.unknownCommand(u.word()));
        } else if (command instanceof Command.Invalid i) {
            send(m, i.error());
        }
    }

    private void whisper(Member from, Command.Whisper w) {
        Member to = byKey.get(Names.key(w.to()));
        if (to == null) {
            send(from, ServerLines.noOneNamed(w.to()));
            return;
        }
        send(to, ServerLines.privateFrom(from.name(), w.text()));
        send(from, ServerLines.privateTo(to.name(), w.text()));
    }

    private void rename(Member m, String newName) {
        String problem = nameProblem(m, newName);
        if (problem != null) {
            send(m, problem);
            return;
        }
        String oldName = m.name();
        byKey.remove(m.key());
        sortedNames.remove(oldName);
        m.name(newName, Names.key(newName));
        byKey.put(m.key(), m);
        sortedNames.add(newName);
        broadcast(ServerLines.renamed(oldName, newName));
    }

    private void join(Member m) {
        byKey.put(m.key(), m);
        sortedNames.add(m.name());
        m.joinedIndex = joined.size();
        joined.add(m);
        metrics.joined(joined.size());
    }

    /** Removes a joined member and tells the others, once. */
    private void depart(Member m) {
        if (m.joinedIndex < 0) {
            return;
        }
        Member last = joined.remove(joined.size() - 1);
        if (last != m) {
            joined.set(m.joinedIndex, last);
            last.joinedIndex = m.joinedIndex;
        }
        m.joinedIndex = -1;
        byKey.remove(m.key());
        sortedNames.remove(m.name());
        metrics.joined(joined.size());
        if (!stopping) {
            broadcast(ServerLines.left(m.name()));
        }
    }

    /** The member leaves now; its channel closes once what it is owed, and {@code lastLine} if any, is written. */
    private void disconnect(Member m, DisconnectReason reason, String lastLine) {
        log.debug("[{}] closing: {}", m.id(), reason);
        depart(m);
        m.closing();
        ensureLane(m);
        if (lastLine != null) {
            ByteBuf bytes = LineEncoding.encode(alloc, lastLine);
            fanOut.offer(m, bytes);
            bytes.release();
        }
        fanOut.closeWhenWritten(m);
    }

    /** One line to every joined member: encoded once, shared by all. */
    private void broadcast(String text) {
        long start = System.nanoTime();
        ByteBuf line = LineEncoding.encode(alloc, text);
        long delivered = 0;
        for (Member m : joined) {
            if (deliver(m, line)) {
                delivered++;
            }
        }
        line.release();
        metrics.delivered(delivered);
        metrics.fanOutTook(System.nanoTime() - start);
    }

    /** One line to one member (joined or at the prompt). */
    private void send(Member m, String text) {
        ensureLane(m);
        ByteBuf line = LineEncoding.encode(alloc, text);
        if (deliver(m, line)) {
            metrics.delivered(1);
        }
        line.release();
    }

    private boolean deliver(Member m, ByteBuf line) {
        if (!m.channel().isActive()) {
            return false; // closed: its departure is on its way here
        }
        if (!fanOut.hasRoom(m)) {
            m.countDrop(); // Slow readers: drop, count, report once it has caught up
            metrics.dropped();
            return false;
        }
        if (m.hasDrops()) {
            reportDrops(m);
        }
        fanOut.offer(m, line);
        return true;
    }

    private void reportDrops(Member m) {
        ByteBuf report = LineEncoding.encode(alloc, ServerLines.dropped(m.takeDrops()));
        fanOut.offer(m, report);
        report.release();
    }

    private void ensureLane(Member m) {
        if (m.lane == null) {
            m.lane = fanOut.laneFor(m.channel());
        }
    }
}
