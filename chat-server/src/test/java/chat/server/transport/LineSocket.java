package chat.server.transport;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A line client over a plain or a TLS socket, like a person with nc or openssl s_client: writes lines,
 * reads LF-ended lines. Every read waits with a deadline, never a fixed sleep.
 */
public final class LineSocket implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(10);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private LineSocket(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout((int) WAIT.toMillis());
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    public static LineSocket connect(InetSocketAddress server) throws IOException {
        Socket s = new Socket();
        s.connect(server, (int) WAIT.toMillis());
        return new LineSocket(s);
    }

    /** TLS, with the given protocols or the client's defaults; the handshake is done when this returns. */
    public static LineSocket connectTls(InetSocketAddress server, SSLContext context, String... protocols)
            throws IOException {
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket();
        s.connect(server, (int) WAIT.toMillis());
        s.setSoTimeout((int) WAIT.toMillis());
        if (protocols.length > 0) {
            s.setEnabledProtocols(protocols);
        }
        s.startHandshake();
        return new LineSocket(s);
    }

    /** Joins as {@code name}: reads the prompt, sends the name, reads the two join lines. */
    public LineSocket join(String name) throws IOException {
        expect("Enter your name:");
        send(name);
        expect("You are " + name);
        assertThat(readLine()).startsWith("Also here: ");
        return this;
    }

    public Socket socket() {
        return socket;
    }

    public void send(String line) throws IOException {
        sendRaw((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next line without its LF; fails if none arrives within the wait or the stream ends. */
    public String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new IOException("end of stream after " + line.toString(StandardCharsets.UTF_8));
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    public void expect(String... lines) throws IOException {
        List<String> got = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            got.add(readLine());
        }
        assertThat(got).containsExactly(lines);
    }

    /** Reads lines until one equals {@code line}; fails at the end of the stream or after the wait. */
    public void skipTo(String line) throws IOException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (readLine().equals(line)) {
                return;
            }
        }
        throw new AssertionError("no line " + line);
    }

    /** Everything until the server closes (fails if it does not within the wait). */
    public byte[] readToEnd() throws IOException {
        return in.readAllBytes();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
