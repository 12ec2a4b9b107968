package chat.server;

import chat.server.chat.Broadcaster;
import chat.server.cluster.LocalBus;
import chat.server.config.Flood;
import chat.server.config.History;
import chat.server.history.InMemoryHistory;
import chat.server.metrics.ChatMetrics;
import chat.server.transport.ChatServerInitializer;
import chat.server.transport.ConnectionLimits;
import chat.server.transport.ServerLineEncoder;
import chat.server.config.ServerConfig;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Broadcaster driven by the test: it runs on the event loop of a spare EmbeddedChannel whose
 * time is frozen, and every client is an EmbeddedChannel with the server's real chat pipeline.
 * {@link #settle()} runs chat work and channel work until both are quiet.
 */
final class ChatRoom {

    final ServerConfig config;
    final EmbeddedChannel clock = new EmbeddedChannel();
    final ChatMetrics metrics = new ChatMetrics();
    final Broadcaster broadcaster;
    /** The wall clock the chat reads for the times in recent messages; tests set it. */
    long wallClockMillis = 0;
    private final ChatServerInitializer init;
    private final List<TestClient> clients = new ArrayList<>();

    /** What the version 1 tests run with: history off, and flood control off unless a test turns it on. */
    static final ServerConfig V1 = ServerConfig.DEFAULTS.with(History.OFF);

    ChatRoom() {
        this(V1.with(Flood.OFF));
    }

    ChatRoom(ServerConfig config) {
        this.config = config;
        clock.freezeTime();
        broadcaster = new Broadcaster(clock.eventLoop(), config, metrics,
                new InMemoryHistory(config.history().lines()), new LocalBus(), () -> wallClockMillis);
        init = new ChatServerInitializer(config, broadcaster, metrics,
                new ConnectionLimits(config.limits()), null);
    }

    /** A new connection at the name prompt (its "Enter your name:" already read). */
    TestClient connect() {
        TestClient client = connectUnread();
        client.lines();
        return client;
    }

    /** A new connection whose prompt is still unread. */
    TestClient connectUnread() {
        EmbeddedChannel ch = new EmbeddedChannel(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel c) {
                c.pipeline().addLast("encoder", ServerLineEncoder.INSTANCE);
                init.addChatHandlers(c.pipeline());
            }
        });
        ch.freezeTime();
        TestClient client = new TestClient(this, ch);
        clients.add(client);
        settle();
        return client;
    }

    /** A client that has joined as {@code name}; everything it was told so far is read. */
    TestClient joined(String name) {
        TestClient c = connect();
        c.send(name);
        c.lines();
        clients.forEach(TestClient::lines);
        return c;
    }

    /** Runs pending chat and channel work until nothing moves. */
    void settle() {
        for (int round = 0; round < 20; round++) {
            clock.runPendingTasks();
            for (TestClient c : clients) {
                c.channel.runPendingTasks();
            }
        }
    }

    /** Moves every clock (the Broadcaster's and all channels') forward and runs what is due. */
    void advance(long amount, TimeUnit unit) {
        clock.advanceTimeBy(amount, unit);
        for (TestClient c : clients) {
            c.channel.advanceTimeBy(amount, unit);
        }
        settle();
    }

    void closeAll() {
        broadcaster.stop();
        settle();
        for (TestClient c : clients) {
            c.channel.finishAndReleaseAll();
        }
        clock.finishAndReleaseAll();
    }
}
