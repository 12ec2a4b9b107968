package chat.server.chat;

import chat.server.delivery.FanOut;
import io.netty.util.concurrent.EventExecutor;

import java.util.ArrayDeque;
import java.util.function.BiConsumer;

/**
 * Lines received but not yet acted on (PROTOCOL.md, "Overload and big rooms"). While delivery
 * keeps up, each line is handled as it comes. While the {@link FanOut} is saturated, lines wait
 * here, each session's in its own queue, and are handled round-robin, one line per session per
 * turn, once delivery has caught up: a heavy sender's lines wait behind everyone else's next
 * line, so an honest client's line is never stuck behind a flood. What waits here is bounded
 * because senders stop being read while they have lines waiting (see the session's handler).
 *
 * <p>Threading: chat executor only.
 */
final class Inbox {

    private final EventExecutor executor;
    private final FanOut fanOut;
    private final BiConsumer<Session, String> handler;
    private final ArrayDeque<Session> ready = new ArrayDeque<>();
    private final Runnable resume;
    private boolean resumeRequested;

    Inbox(EventExecutor executor, FanOut fanOut, BiConsumer<Session, String> handler) {
        this.executor = executor;
        this.fanOut = fanOut;
        this.handler = handler;
        Runnable work = this::work;
        this.resume = () -> executor.execute(work);
    }

    void accept(Session s, String line) {
        if (ready.isEmpty() && !fanOut.saturated()) {
            handle(s, line);
            return;
        }
        if (s.waiting == null) {
            s.waiting = new ArrayDeque<>(4);
        }
        s.waiting.add(line);
        if (s.waiting.size() == 1) {
            ready.add(s);
        }
        requestResume();
    }

    /** Handles waiting lines, one per session per turn, until none wait or delivery falls behind. */
    private void work() {
        resumeRequested = false;
        while (!ready.isEmpty() && !fanOut.saturated()) {
            Session s = ready.poll();
            handle(s, s.waiting.poll());
            if (!s.waiting.isEmpty()) {
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

    private void handle(Session s, String line) {
        handler.accept(s, line);
        s.handled();
    }

    /** Lines of every session waiting here. For metrics; chat executor. */
    int waiting() {
        int n = 0;
        for (Session s : ready) {
            n += s.waiting.size();
        }
        return n;
    }
}
