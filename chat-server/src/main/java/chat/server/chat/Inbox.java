package chat.server.chat;

import chat.server.delivery.FanOut;
import io.netty.util.concurrent.EventExecutor;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;

/**
 * Lines received but not yet acted on (PROTOCOL.md, "Overload and big rooms"). While delivery
 * keeps up, each line is handled as it comes. While the {@link FanOut} is saturated, lines wait
 * here, each session's in its own queue (with the events about it: its end of input, its
 * timeouts, so that they come after the lines it sent before them), and once delivery has caught up the session with the
 * fewest waiting lines goes first (round-robin among equals): the heaviest senders are slowed
 * first, so a client that sends a few lines a second is not stuck behind a flood. What waits
 * here is bounded because senders stop being read while they have lines waiting (see the
 * session's handler).
 *
 * <p>Threading: chat executor only.
 */
final class Inbox {

    /** Fewest waiting lines first; among equals, the one served longest ago. */
    private static final Comparator<Session> LIGHTEST_FIRST = Comparator
            .<Session>comparingInt(s -> s.waiting.size())
            .thenComparingLong(s -> s.turn);

    /** Clusters: a sender's chat lines in flight to Redis at once, at most. */
    static final int MAX_IN_FLIGHT = 16;

    private final FanOut fanOut;
    private final BiConsumer<Session, String> handler;
    private final BiPredicate<Session, String> pipelined;
    private final TreeSet<Session> ready = new TreeSet<>(LIGHTEST_FIRST);
    private final Runnable resume;
    private boolean resumeRequested;
    private long turns;

    /**
     * @param pipelined clusters: whether the line may be handled while the session's earlier chat
     *     lines are still on their way through Redis (a chat line may; a command waits for them)
     */
    Inbox(EventExecutor executor, FanOut fanOut, BiConsumer<Session, String> handler,
            BiPredicate<Session, String> pipelined) {
        this.fanOut = fanOut;
        this.handler = handler;
        this.pipelined = pipelined;
        Runnable work = this::work;
        this.resume = () -> executor.execute(work);
    }

    /**
     * A line from the session, or an event about it ({@code Runnable}: its end of input, a timeout,
     * a line to tell it), handled in the order they came, after what the session sent before.
     */
    void accept(Session s, Object item) {
        if (s.waiting == null && s.awaiting == 0 && ready.isEmpty() && !fanOut.saturated()) {
            if (handle(s, item)) {
                return;
            }
        }
        if (s.waiting == null) {
            s.waiting = new ArrayDeque<>(4);
            s.turn = ++turns;
        } else if (s.awaiting == 0) {
            ready.remove(s); // its key changes with the line it gets
        }
        s.waiting.add(item);
        if (s.awaiting == 0) {
            ready.add(s);
            requestResume();
        }
    }

    /**
     * Clusters: the session's command has its result; its next lines may go. (While it waits
     * ({@code s.awaiting != 0}) its lines stay out of the queue, so that they are handled in order.)
     */
    void resume(Session s) {
        if (s.waiting != null && s.awaiting == 0) {
            s.turn = ++turns;
            ready.add(s);
            requestResume();
        }
    }

    /** Handles waiting lines, lightest sender first, until none wait or delivery falls behind. */
    private void work() {
        resumeRequested = false;
        while (!ready.isEmpty() && !fanOut.saturated()) {
            Session s = ready.pollFirst();
            if (handle(s, s.waiting.peek())) {
                s.waiting.poll();
            }
            if (s.awaiting != 0 && !s.waiting.isEmpty()) {
                continue; // back in the queue when its command has its result
            }
            if (!s.waiting.isEmpty()) {
                s.turn = ++turns;
                ready.add(s);
            } else {
                s.waiting = null; // most sessions never wait: no idle deque per connection
            }
        }
        if (!ready.isEmpty()) {
            requestResume();
        }
    }

    private void requestResume() {
        if (!resumeRequested) {
            resumeRequested = true;
            fanOut.whenDrained(resume);
        }
    }

    /**
     * Handles the item, or, in a cluster, returns false if it must wait for the session's chat
     * lines in flight to come back first ({@code awaiting} is then {@link Session#LINES_IN_FLIGHT}).
     */
    private boolean handle(Session s, Object item) {
        if (s.inFlight > 0 && (s.inFlight >= MAX_IN_FLIGHT
                || !(item instanceof String line && pipelined.test(s, line)))) {
            s.awaiting = Session.LINES_IN_FLIGHT;
            return false;
        }
        if (item instanceof Runnable event) {
            event.run();
        } else {
            handler.accept(s, (String) item);
        }
        s.handled();
        return true;
    }
}
