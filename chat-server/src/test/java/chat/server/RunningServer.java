package chat.server;

import java.net.InetSocketAddress;

/** A real server in this JVM on 127.0.0.1 and a free port, for loopback tests. */
final class RunningServer implements AutoCloseable {

    final ChatServer server;
    final InetSocketAddress address;

    private RunningServer(ChatServer server) {
        this.server = server;
        this.address = new InetSocketAddress("127.0.0.1", server.address().getPort());
    }

    static RunningServer start(ServerConfig config) throws InterruptedException {
        return new RunningServer(ChatServer.start(config.withHost("127.0.0.1").withPort(0)));
    }

    static RunningServer start() throws InterruptedException {
        return start(ServerConfig.defaults());
    }

    @Override
    public void close() {
        server.close();
    }
}
