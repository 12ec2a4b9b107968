package chat.server.chat;

import chat.protocol.CommandParser;
import chat.protocol.Names;
import chat.protocol.ServerLines;
import chat.protocol.codec.LineEncoding;
import chat.server.cluster.Bus;
import chat.server.cluster.RedisCluster;
import chat.server.cluster.RoomLine;
import chat.server.config.ServerConfig;
import chat.server.delivery.Delivery;
import chat.server.delivery.FanOut;
import chat.server.history.HistoryStore;
import chat.server.metrics.ChatMetrics;
import chat.server.metrics.DisconnectReason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.LongSupplier;

/**
 * The chat core: who is here under which name, in which room, and every line that goes to them.
 *
 * <p>Threading: all chat state is confined to one single-threaded {@link EventExecutor}. Public
 * methods may be called from any thread and hop onto it; the rest of this package runs on it.
 * Every accepted room line goes out through the {@link Bus} and comes back to {@link #deliver},
 * which appends kept lines to the room's log and hands them to {@link Delivery}.
 *
 * <p>Bad input is answered with an error line to its sender alone.
 */
public final class Broadcaster implements Bus.Listener {

    private static final Logger log = LoggerFactory.getLogger(Broadcaster.class);
    /** Overload: a sender with more lines than this waiting to be handled stops being read. */
    static final int MAX_UNHANDLED_LINES = 64;

    final EventExecutor executor;
    final ServerConfig config;
    final ChatMetrics metrics;
    final FanOut fanOut;
    final Delivery delivery;
    final NameRegistry names = new NameRegistry();
    final Rooms rooms;
    final Bus bus;
    /** Clusters: what needs the other servers goes through it; null for a server alone. */
    final ClusterChat clustered;
    private final Commands commands;
    private final Inbox inbox;
    private final LongSupplier clock;
    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
    private volatile boolean stopping;

    /**
     * A server alone.
     *
     * @param clock the wall clock in milliseconds, for the times shown in recent messages
     */
    public Broadcaster(EventExecutor executor, ServerConfig config, ChatMetrics metrics, HistoryStore history,
            Bus bus, LongSupplier clock) {
        this(executor, config, metrics, history, bus, clock, null);
    }

    /**
     * @param clock the wall clock in milliseconds, for the times shown in recent messages
     * @param cluster the link to the other servers of a cluster, or null for a server alone
     */
    public Broadcaster(EventExecutor executor, ServerConfig config, ChatMetrics metrics, HistoryStore history,
            Bus bus, LongSupplier clock, RedisCluster cluster) {
        this.executor = executor;
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
        this.fanOut = new FanOut(executor);
        this.delivery = new Delivery(fanOut, metrics);
        this.rooms = new Rooms(history, config.limits().maxRooms(), metrics);
        this.bus = bus;
        this.clustered = cluster == null ? null : new ClusterChat(this, cluster);
        this.commands = new Commands(this);
        this.inbox = new Inbox(executor, fanOut, this::onLine, this::pipelined);
        metrics.countHistoryBytesWith(history::bytesHeld);
        bus.start(this);
    }

    /** Clusters: what the link to the other servers calls back; null for a server alone. */
    public RedisCluster.Node clusterNode() {
        return clustered;
    }

    /** A cleaned line from a connection, named or not, in the order it was received. */
    public void received(Session s, String line) {
        s.received();
        executor.execute(() -> inbox.accept(s, line));
    }

    /**
     * Whether the session should stop being read: delivery is behind, or it has many lines the
     * chat has not handled yet (a heavy sender is slowed down first). Any thread.
     */
    public boolean shouldPause(Session s) {
        return fanOut.saturated() || s.unhandledLines() > MAX_UNHANDLED_LINES;
    }

    /** Runs {@code resume} once delivery has caught up (at once if it has). Any thread. */
    public void whenDrained(Runnable resume) {
        fanOut.whenDrained(resume);
    }

    /** Tells the session one line, through the same ordered path as everything else. */
    public void tell(Session s, String line) {
        inOrder(s, () -> {
            if (!s.closing) {
                delivery.reply(s.outbox(), line);
            }
        });
    }

    /** The name timer fired; ignored if a name was accepted meanwhile. */
    public void nameTimedOut(Session s) {
        inOrder(s, () -> {
            if (s.name == null && !s.closing) {
                disconnect(s, DisconnectReason.NO_NAME,
                        ServerLines.disconnectedNoName(config.timeouts().name()));
            }
        });
    }

    /** The session was silent for --idle-timeout: its last line, in order after what it is owed. */
    public void idle(Session s, String lastLine) {
        inOrder(s, () -> {
            if (!s.closing) {
                disconnect(s, DisconnectReason.IDLE, lastLine);
            }
        });
    }

    /**
     * The client sent EOF after the lines already handed over: it has left, but gets what it is
     * owed (replies to those lines) before the server closes its side too.
     */
    public void endOfInput(Session s) {
        inOrder(s, () -> {
            if (!s.closing) {
                disconnect(s, DisconnectReason.PEER_CLOSED, null);
            }
        });
    }

    /** The session's channel drained below its low water mark. */
    public void drained(Session s) {
        executor.execute(() -> {
            if (!s.closing && !stopping) {
                delivery.drained(s.outbox());
            }
        });
    }

    /** The session's connection closed, for whatever reason. */
    public void left(Session s) {
        executor.execute(() -> {
            depart(s);
            s.closing = true;
        });
    }

    /** Whether the server is shutting down. Any thread. */
    public boolean stopping() {
        return stopping;
    }

    /** Stops all delivery: after this, no session gets another line from here. */
    public Future<?> stop() {
        return executor.submit(() -> {
            stopping = true;
            fanOut.stop();
            rooms.releaseAll();
        });
    }

    /** Runs {@code event} on the chat executor after every line the session sent before it. */
    private void inOrder(Session s, Runnable event) {
        s.received();
        executor.execute(() -> inbox.accept(s, event));
    }

    /** A room line in its final order, from the bus: kept lines into the room's log, then to its members. */
    @Override
    public void deliver(RoomLine line) {
        assert executor.inEventLoop();
        Room room = rooms.byKey(line.roomKey());
        if (room == null || stopping) {
            return;
        }
        if (line.kept()) {
            deliverKept(room, room.log.head() + 1, line.text(), line.acceptedAtMillis());
        } else {
            delivery.notice(room.outboxes(), line.text());
        }
    }

    /** Kept line {@code seq} of the room (numbered here, or by Redis): into its log, then to its members. */
    void deliverKept(Room room, long seq, String text, long acceptedAtMillis) {
        ByteBuf bytes = LineEncoding.encode(alloc, text);
        room.log.skipTo(seq - 1);
        room.log.append(bytes.retain(), acceptedAtMillis);
        delivery.kept(room.outboxes(), room.log, seq, bytes);
        bytes.release();
    }

    /** Clusters: the session's command has its result; what it sent next is handled now. */
    void resume(Session s) {
        inbox.resume(s);
    }

    /** Clusters: a chat line (not a command) may go to Redis while the sender's earlier ones are on their way. */
    private boolean pipelined(Session s, String line) {
        return clustered != null && s.name != null && !line.isEmpty()
                && (line.charAt(0) != '/' || line.startsWith("//"));
    }

    private void onLine(Session s, String line) {
        if (s.closing || stopping) {
            return;
        }
        metrics.lineReceived();
        if (s.name == null) {
            onNameAttempt(s, line);
        } else if (!line.isEmpty()) {
            commands.run(s, CommandParser.parse(line));
        }
    }

    private void onNameAttempt(Session s, String line) {
        if (line.equals("/quit")) {
            disconnect(s, DisconnectReason.QUIT, ServerLines.disconnectedQuit());
            return;
        }
        String name = Names.display(line);
        String problem = names.problem(s, name);
        if (problem != null) {
            delivery.reply(s.outbox(), problem);
            delivery.reply(s.outbox(), ServerLines.enterName());
            return;
        }
        if (clustered != null) {
            clustered.hello(s, name);
            return;
        }
        welcome(s, name);
        enter(s, rooms.lobby);
    }

    /** The name is the session's: it is told, and counted as joined. */
    void welcome(Session s, String name) {
        s.cancelNameTimer();
        s.named();
        names.claim(s, name);
        delivery.reply(s.outbox(), ServerLines.youAre(name));
        metrics.joined(names.size());
        log.debug("[{}] joined as {}", s.id(), name);
    }

    /** Puts the session in {@code room}: who is here, recent messages, then the others are told. */
    void enter(Session s, Room room) {
        boolean announce = config.limits().announces(room.size() + 1);
        show(s, room, room.names(), room.size());
        if (announce) {
            publish(room, ServerLines.arrived(s.name), false);
        }
        settle(s, room);
    }

    /** What a newcomer to {@code room} sees first: the {@code count} others here, then the recent messages. */
    void show(Session s, Room room, Iterable<String> others, int count) {
        delivery.reply(s.outbox(), ServerLines.alsoHere(others, count));
        int shown = config.history().joinLines();
        if (shown > 0 && room.log.oldest() <= room.log.head()) {
            delivery.recent(s.outbox(), room.log, shown);
        }
    }

    /** The session is a member of {@code room} from its newest line on. */
    void settle(Session s, Room room) {
        room.add(s);
        delivery.enter(s.outbox(), room.log);
    }

    /** The session is no longer a member of its room here (the others are told by whoever decides that). */
    void unsettle(Session s) {
        s.room.remove(s);
        delivery.leave(s.outbox());
    }

    /** Takes the session out of its room; the others there are told unless the server is stopping. */
    void leaveRoom(Session s) {
        Room room = s.room;
        boolean announce = config.limits().announces(room.size());
        unsettle(s);
        if (!stopping && announce) {
            publish(room, ServerLines.left(s.name), false);
        }
        rooms.vacated(room);
    }

    /** Sends a line to everyone in {@code room} through the bus; {@code kept} lines go into its history. */
    void publish(Room room, String text, boolean kept) {
        bus.publish(new RoomLine(room.key, text, kept, clock.getAsLong()));
    }

    /** Removes a joined session and tells its room, once. */
    private void depart(Session s) {
        if (clustered != null && !stopping) {
            clustered.depart(s);
        } else if (s.joined()) {
            leaveRoom(s);
            names.release(s);
        }
        metrics.joined(names.size());
    }

    /** The session leaves now; its channel closes once what it is owed, and {@code lastLine} if any, is written. */
    void disconnect(Session s, DisconnectReason reason, String lastLine) {
        s.closing(reason);
        depart(s);
        s.closing = true;
        delivery.close(s.outbox(), lastLine);
    }
}
