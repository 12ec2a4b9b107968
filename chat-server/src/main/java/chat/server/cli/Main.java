package chat.server.cli;

import chat.server.CannotJoinClusterException;
import chat.server.CannotListenException;
import chat.server.ChatServer;
import chat.server.config.Listeners;
import chat.server.config.ServerConfig;
import io.netty.channel.ChannelException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.util.concurrent.CountDownLatch;

/**
 * The command: reads the options, starts the server, runs it until SIGTERM or SIGINT and exits
 * 0 (not 143: the shutdown is the normal end); SIGHUP reloads the TLS certificate. A bad option
 * or certificate exits 2, a port in use 1 (the metrics port's is named as such), and so does a
 * Redis that cannot be reached at start-up with {@code --redis}.
 */
public final class Main {

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        ServerCommand.Outcome parsed = ServerCommand.parse(args, System.getenv(), System.out, System.err);
        if (parsed.config() == null) {
            System.exit(parsed.exitCode());
        }
        ServerConfig config = parsed.config();
        Listeners at = config.listeners();
        ChatServer server;
        try {
            server = ChatServer.start(config);
        } catch (CannotListenException | CannotJoinClusterException e) {
            System.err.println("chat-server: " + e.getMessage());
            System.exit(1);
            return;
        } catch (IllegalArgumentException e) { // TLS: a missing or unreadable certificate or key
            System.err.println("chat-server: " + e.getMessage());
            System.exit(2);
            return;
        } catch (Exception e) {
            System.err.println("chat-server: " + (e instanceof ChannelException ? e.getMessage()
                    : "cannot listen on " + ChatServer.hostForLog(at.host()) + ":" + at.port() + ": " + e));
            System.exit(1);
            return;
        }
        String host = ChatServer.hostForLog(at.host());
        if (server.address() != null) {
            log.info("listening on {}:{}", host, server.address().getPort());
        }
        if (server.tlsAddress() != null) {
            log.info("listening on {}:{} (tls)", host, server.tlsAddress().getPort());
        }
        if (server.webAddress() != null) {
            log.info("listening on {}:{} (web)", host, server.webAddress().getPort());
        }
        if (server.metricsAddress() != null) {
            log.info("metrics on http://{}:{}/metrics", ChatServer.hostForLog(at.metricsHost()),
                    server.metricsAddress().getPort());
        }
        CountDownLatch stopSignal = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), s -> stopSignal.countDown());
        Signal.handle(new Signal("INT"), s -> stopSignal.countDown());
        Signal.handle(new Signal("HUP"), s -> server.reloadTls()); // TLS: it logs what came of it
        stopSignal.await();
        log.info("shutting down: {} connections open", server.metrics().connectionsOpen());
        server.close();
        log.info("stopped");
        System.exit(0);
    }
}
