package chat.server;

import chat.server.config.Flood;
import chat.server.config.History;
import chat.server.config.ServerConfig;

import java.net.InetSocketAddress;

/** A real server in this JVM on 127.0.0.1 and a free port, for loopback tests. */
final class RunningServer implements AutoCloseable {

    /** What the version 1 tests run with: the defaults, history off. */
    static final ServerConfig V1 = ServerConfig.DEFAULTS.with(History.OFF);

    final ChatServer server;
    final InetSocketAddress address;

    private RunningServer(ChatServer server) {
        this.server = server;
        this.address = new InetSocketAddress("127.0.0.1", server.address().getPort());
    }

    static RunningServer start(ServerConfig config) throws InterruptedException {
        return new RunningServer(ChatServer.start(config.with(config.listeners().at("127.0.0.1", 0))));
    }

    static RunningServer start() throws InterruptedException {
        return start(V1);
    }

    @Override
    public void close() {
        server.close();
    }
}
