package chat.server.chat;

import chat.server.metrics.DisconnectReason;
import chat.server.delivery.Outbox;
import io.netty.channel.Channel;

import java.util.ArrayDeque;
import java.util.function.Consumer;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One connection as the chat sees it, from accept to close, named or not.
 *
 * <p>Threading: the name, the room, the closing flag and the waiting lines belong to the chat
 * executor; the outbox to delivery (also on the chat executor). The name timer is set on the
 * channel's event loop and cancelled from the chat executor, hence volatile; the count of
 * unhandled lines is shared by both, hence atomic.
 */
public final class Session {

    private static final AtomicLong CLUSTER_IDS = new AtomicLong();

    private final Outbox outbox;

    // Chat executor only.
    String name;
    String key;
    String skeleton;
    Room room;
    int roomIndex = -1;
    boolean closing;

    /** Its lines waiting in the {@link Inbox} while delivery catches up; null when none wait. */
    ArrayDeque<Object> waiting;
    /** When it last joined the {@link Inbox}'s queue: among sessions as light, the earlier goes first. */
    long turn;

    /** Clusters: this session's number on this server, as Redis knows it. */
    final String clusterId = Long.toString(CLUSTER_IDS.incrementAndGet());
    /**
     * Clusters: the command waiting for its result from Redis, 0 if none, or {@link #LINES_IN_FLIGHT};
     * meanwhile its next lines wait.
     */
    int awaiting;
    int lastCommand;
    Consumer<String[]> onResult;
    /** Clusters: its chat lines sent to Redis and not back yet: they are pipelined (see {@link Inbox}). */
    int inFlight;
    static final int LINES_IN_FLIGHT = -1;

    volatile Future<?> nameTimer;
    /** Why the connection ends, for the log; a client that just goes is the default. */
    private volatile DisconnectReason closeReason = DisconnectReason.PEER_CLOSED;
    /** Lines handed to the chat and not handled yet: counted up on the event loop, down on the chat executor. */
    private final AtomicInteger unhandled = new AtomicInteger();
    private final AtomicReference<Runnable> whenHandled = new AtomicReference<>();

    private final Runnable onNamed;

    /** {@code onNamed} runs (on the chat executor) when the session's name is accepted. */
    public Session(Channel channel, Runnable onNamed) {
        this.outbox = new Outbox(channel);
        this.onNamed = onNamed;
    }

    void named() {
        onNamed.run();
    }

    public Channel channel() {
        return outbox.channel();
    }

    Outbox outbox() {
        return outbox;
    }

    /** The channel's short id, first in every log line about this connection. */
    public String id() {
        return channel().id().asShortText();
    }

    /** The timer that closes the connection if no name is given; cancelled once one is. */
    public void nameTimer(Future<?> timer) {
        nameTimer = timer;
    }

    /** Lines handed to the chat that it has not acted on yet. Any thread. */
    public int unhandledLines() {
        return unhandled.get();
    }

    /** Runs {@code action} once the chat has acted on every line handed to it so far. Any thread. */
    public void whenHandled(Runnable action) {
        whenHandled.set(action);
        if (unhandled.get() == 0) {
            runWhenHandled();
        }
    }

    void received() {
        unhandled.incrementAndGet();
    }

    void handled() {
        if (unhandled.decrementAndGet() == 0) {
            runWhenHandled();
        }
    }

    private void runWhenHandled() {
        Runnable action = whenHandled.getAndSet(null);
        if (action != null) {
            action.run();
        }
    }

    /** Why the connection ended or is ending. Any thread. */
    public DisconnectReason closeReason() {
        return closeReason;
    }

    /** Records why the connection ends; the first reason given stands. Any thread. */
    public void closing(DisconnectReason reason) {
        if (closeReason == DisconnectReason.PEER_CLOSED) {
            closeReason = reason;
        }
    }

    /** Cancels the name timer: a name was accepted, or the connection closed. Any thread. */
    public void cancelNameTimer() {
        Future<?> t = nameTimer;
        if (t != null) {
            t.cancel(false);
        }
    }

    boolean joined() {
        return room != null;
    }

    @Override
    public String toString() {
        return id() + (name == null ? "" : " " + name);
    }
}
