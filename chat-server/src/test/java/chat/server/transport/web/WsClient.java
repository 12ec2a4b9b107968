package chat.server.transport.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A WebSocket client (the JDK's) that reads text messages as lines: one message per server line.
 * Every read waits with a deadline, never a fixed sleep.
 */
final class WsClient implements WebSocket.Listener, AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(10);

    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    /** Opens {@code uri} with the given Origin header, or none if null. */
    static WsClient open(HttpClient http, URI uri, String origin) throws Exception {
        WsClient client = new WsClient();
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(WAIT);
        if (origin != null) {
            builder.header("Origin", origin);
        }
        client.socket = builder.buildAsync(uri, client).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        return client;
    }

    /** Opens and joins as {@code name}, reading the prompt and the two join lines. */
    static WsClient joined(HttpClient http, URI uri, String name) throws Exception {
        WsClient client = open(http, uri, null);
        client.expect("Enter your name:");
        client.send(name);
        client.expect("You are " + name);
        assertThat(client.next()).startsWith("Also here: ");
        return client;
    }

    void send(String text) throws Exception {
        socket.sendText(text, true).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    void sendBinary(byte[] bytes) throws Exception {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next message; fails if none arrives within the wait. */
    String next() throws InterruptedException {
        String message = messages.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(message).as("a message within " + WAIT).isNotNull();
        return message;
    }

    void expect(String... lines) throws InterruptedException {
        List<String> got = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            got.add(next());
        }
        assertThat(got).containsExactly(lines);
    }

    /** The close status the server sent, waiting for it; every message before it is dropped. */
    int awaitClose() throws Exception {
        return closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Messages received but not read yet, without waiting. */
    List<String> unread() {
        List<String> rest = new ArrayList<>();
        messages.drainTo(rest);
        return rest;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            messages.add(partial.toString());
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
    }

    @Override
    public void close() {
        socket.abort();
    }
}
