package chat.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} (Debian's package) on 127.0.0.1 and a free port, persistence off,
 * stopped by its PID. {@link #stop} and {@link #restart} (same port, empty: nothing was saved)
 * let a test take Redis away from a cluster and bring it back.
 */
final class RedisProcess implements AutoCloseable {

    private static final Duration READY_WAIT = Duration.ofSeconds(20);

    final int port;
    private Process process;

    private RedisProcess(int port) throws IOException {
        this.port = port;
        restart();
    }

    static RedisProcess start() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        return new RedisProcess(port);
    }

    String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts it (again) on its port, and waits until it accepts connections. */
    void restart() throws IOException {
        process = new ProcessBuilder(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "notice",
                "--enable-debug-command", "local"))
                .redirectErrorStream(true).start();
        CompletableFuture<Boolean> ready = new CompletableFuture<>();
        List<String> output = Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    output.add(line);
                    if (line.contains("Ready to accept connections")) {
                        ready.complete(true);
                    }
                }
            } catch (IOException e) {
                // the process went; whoever waits sees it
            }
            ready.complete(false);
        }, "redis-" + port);
        reader.setDaemon(true);
        reader.start();
        try {
            if (!ready.get(READY_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("redis-server on port " + port + " exited before it was ready: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            process.destroyForcibly();
            throw new IOException("redis-server on port " + port + " not ready within " + READY_WAIT, e);
        }
    }

    /** Runs {@code redis-cli} against it and waits for it (DEBUG SLEEP: Redis stalls meanwhile). */
    void cli(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(READY_WAIT.toMillis(), TimeUnit.MILLISECONDS) || p.exitValue() != 0 || out.startsWith("ERR")) {
            throw new IOException("redis-cli " + String.join(" ", args) + ": " + out);
        }
    }

    /** Whether it does not answer a PING within 100 ms (it is stalled). */
    boolean stalled() throws IOException {
        try (Socket probe = new Socket("127.0.0.1", port)) {
            probe.setSoTimeout(100);
            probe.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            probe.getInputStream().read();
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        }
    }

    /** Stops it by its PID (SIGKILL: it keeps nothing anyway) and waits until it has gone. */
    void stop() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(READY_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("redis-server " + process.pid() + " did not stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException(e));
        }
    }

    @Override
    public void close() {
        stop();
    }
}
