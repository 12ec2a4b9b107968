package chat.server;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A real TCP client for loopback tests, like a person with nc: writes bytes, reads LF-ended
 * lines. Every read waits with a deadline, never a fixed sleep.
 */
final class LineClient implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(10);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private LineClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static LineClient connect(InetSocketAddress server) throws IOException {
        return connect(server, null, 0);
    }

    /** From a chosen local address (e.g. 127.0.0.2), with a receive buffer size if {@code rcvBuf > 0}. */
    static LineClient connect(InetSocketAddress server, InetAddress from, int rcvBuf) throws IOException {
        Socket s = new Socket();
        if (rcvBuf > 0) {
            s.setReceiveBufferSize(rcvBuf);
        }
        if (from != null) {
            s.bind(new InetSocketAddress(from, 0));
        }
        s.connect(server, (int) WAIT.toMillis());
        s.setSoTimeout((int) WAIT.toMillis());
        return new LineClient(s);
    }

    /** Connects and joins as {@code name}, reading the prompt and the two join lines. */
    static LineClient joined(InetSocketAddress server, String name) throws IOException {
        LineClient c = connect(server);
        c.expect("Enter your name:");
        c.send(name);
        c.expect("You are " + name);
        assertThat(c.readLine()).startsWith("Also here: ");
        return c;
    }

    void send(String line) throws IOException {
        sendRaw((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next line without its LF; fails if none arrives within the wait or the stream ends. */
    String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new IOException("end of stream after " + line.toString(StandardCharsets.UTF_8));
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    void expect(String... lines) throws IOException {
        List<String> got = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            got.add(readLine());
        }
        assertThat(got).containsExactly(lines);
    }

    /** Exactly these bytes arrive next. */
    void expectBytes(String text) throws IOException {
        byte[] want = text.getBytes(StandardCharsets.UTF_8);
        assertThat(in.readNBytes(want.length)).isEqualTo(want);
    }

    /** The server closes the connection and sends nothing more. */
    void expectEnd() throws IOException {
        assertThat(in.read()).as("end of stream").isEqualTo(-1);
    }

    /** Every line until the server closes the connection (fails if it does not within the wait). */
    List<String> readToEnd() throws IOException {
        String rest = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        return rest.isEmpty() ? List.of() : List.of(rest.split("\n"));
    }

    /** Nothing arrives within {@code quiet} (the only place a test waits on purpose: to see silence). */
    void expectSilence(Duration quiet) throws IOException {
        socket.setSoTimeout((int) quiet.toMillis());
        try {
            int b = in.read();
            fail("expected silence, got " + (b < 0 ? "end of stream" : "byte " + b));
        } catch (SocketTimeoutException expected) {
            // quiet, as it should be
        } finally {
            socket.setSoTimeout((int) WAIT.toMillis());
        }
    }

    void halfClose() throws IOException {
        socket.shutdownOutput();
    }

    /** Closes with an RST instead of a FIN. */
    void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
