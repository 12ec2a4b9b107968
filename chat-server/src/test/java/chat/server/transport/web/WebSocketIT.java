package chat.server.transport.web;

import chat.server.ChatServer;
import chat.server.transport.LocalConfig;
import chat.server.transport.LineSocket;
import chat.server.transport.TestCertificate;
import chat.server.transport.tls.TlsOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The web port over loopback: the page, the WebSocket, and a browser-less user chatting with nc users. */
class WebSocketIT {

    static ChatServer server;
    static InetSocketAddress tcp;
    static InetSocketAddress web;
    static URI ws;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        server = ChatServer.start(LocalConfig.withWeb(LocalConfig.local(), WebOptions.of(0, "https://app.example")));
        tcp = new InetSocketAddress("127.0.0.1", server.address().getPort());
        web = new InetSocketAddress("127.0.0.1", server.webAddress().getPort());
        ws = URI.create("ws://127.0.0.1:" + web.getPort() + "/ws");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void webAndTcpUsersChatInOneRoomOneLinePerMessage() throws Exception {
        try (WsClient ann = WsClient.joined(http, ws, "ann");
             LineSocket bob = LineSocket.connect(tcp).join("bob")) {
            ann.expect("bob has arrived");
            ann.send("hello from the web");
            ann.expect("ann: hello from the web");
            bob.expect("ann: hello from the web");
            bob.send("hello from nc");
            ann.expect("bob: hello from nc");
            ann.send("first\r\nsecond\n/me waves");
            ann.expect("ann: first", "ann: second", "* ann waves");
            bob.expect("bob: hello from nc", "ann: first", "ann: second", "* ann waves");
            ann.send("/quit");
            ann.expect("Disconnected: quit");
            assertThat(ann.awaitClose()).isEqualTo(1000);
            bob.expect("ann has left");
        }
    }

    @Test
    void anOverlongLineGetsTheErrorAndTheConnectionStays() throws Exception {
        try (WsClient carol = WsClient.joined(http, ws, "carol")) {
            carol.send("x".repeat(3000));
            carol.expect("Error: line too long (limit 2048 bytes)");
            carol.send("y".repeat(2048));
            carol.expect("carol: " + "y".repeat(2048));
            carol.send("still here");
            carol.expect("carol: still here");
        }
    }

    @Test
    void aFrameOverTheFrameLimitClosesWith1009AndOneCloseFrame() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(web, 10_000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            DataInputStream in = new DataInputStream(s.getInputStream());
            assertThat(readHead(in)).startsWith("HTTP/1.1 101 ");
            assertThat(readFrame(in)).isEqualTo(new Frame(0x1, "Enter your name:".getBytes(StandardCharsets.UTF_8)));
            // Only the header of a text frame one byte over the limit: the server need not read more to refuse it.
            long length = WebOptions.maxFrameBytes(LocalConfig.maxLineBytes()) + 1;
            out.write(new byte[] {(byte) 0x81, (byte) (0x80 | 127)});
            out.write(ByteBuffer.allocate(8).putLong(length).array());
            out.write(new byte[] {1, 2, 3, 4});
            Frame close = readFrame(in);
            assertThat(close.opcode()).isEqualTo(0x8);
            assertThat(((close.payload()[0] & 0xff) << 8) | (close.payload()[1] & 0xff)).isEqualTo(1009);
            assertThat(in.read()).as("nothing after the close frame").isEqualTo(-1);
        }
    }

    @Test
    void aBinaryFrameClosesWith1003() throws Exception {
        try (WsClient erin = WsClient.open(http, ws, null)) {
            erin.expect("Enter your name:");
            erin.sendBinary(new byte[] {1, 2, 3});
            assertThat(erin.awaitClose()).isEqualTo(1003);
        }
    }

    @Test
    void aForeignOriginIsRefusedWith403() throws Exception {
        assertThatThrownBy(() -> WsClient.open(http, ws, "http://evil.example"))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class,
                        e -> assertThat(e.getResponse().statusCode()).isEqualTo(403));
        String response = rawHttp("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + web.getPort() + "\r\n"
                + "Origin: http://127.0.0.1:" + (web.getPort() + 1) + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 403 Forbidden\r\n");
    }

    @Test
    void theOwnOriginAListedOneAndNoneAreAllowed() throws Exception {
        for (String origin : new String[] {"http://127.0.0.1:" + web.getPort(), "https://app.example", null}) {
            try (WsClient c = WsClient.open(http, ws, origin)) {
                c.expect("Enter your name:");
            }
        }
    }

    @Test
    void thePageAndItsFilesHaveTheirTypeAndSecurityHeaders() throws Exception {
        for (String[] file : new String[][] {{"/", "text/html; charset=utf-8"},
                {"/chat.js", "text/javascript; charset=utf-8"}, {"/chat.css", "text/css; charset=utf-8"},
                {"/favicon.svg", "image/svg+xml"}}) {
            HttpResponse<String> page = get(file[0]);
            assertThat(page.statusCode()).as(file[0]).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).contains(file[1]);
            assertThat(page.headers().firstValue("Content-Security-Policy")).contains("default-src 'self'");
            assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
            assertThat(page.body()).isNotEmpty();
        }
        HttpResponse<String> index = get("/");
        // Web: the page needs nothing else, and the policy would block anything inline.
        assertThat(index.body()).doesNotContain("http://", "https://", "<style", "style=")
                .doesNotContainPattern("\\son[a-z]+\\s*=")
                .contains("<script src=\"chat.js\" defer></script>");
        HttpResponse<String> missing = get("/etc/passwd");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Security-Policy")).contains("default-src 'self'");
    }

    @Test
    void aHugeHeaderIsRefusedAndTheServerStaysWell() throws Exception {
        String response = rawHttp("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(1 << 20) + "\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n");
        assertThat(rawHttp("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200 OK\r\n");
    }

    @Test
    void connectionLimitsCountWebConnectionsWithTcp() throws Exception {
        try (ChatServer small = ChatServer.start(LocalConfig.withWeb(LocalConfig.withConnectionLimits(LocalConfig.local(), 10, 2), WebOptions.of(0, null)))) {
            URI smallWs = URI.create("ws://127.0.0.1:" + small.webAddress().getPort() + "/ws");
            try (LineSocket first = LineSocket.connect(new InetSocketAddress("127.0.0.1", small.address().getPort()));
                 WsClient second = WsClient.open(http, smallWs, null)) {
                first.expect("Enter your name:");
                second.expect("Enter your name:");
                try (WsClient third = WsClient.open(http, smallWs, null)) {
                    third.expect("Disconnected: too many connections from your address");
                    assertThat(third.awaitClose()).isEqualTo(1000);
                }
                String page = rawHttp(new InetSocketAddress("127.0.0.1", small.webAddress().getPort()),
                        "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(page).startsWith("HTTP/1.1 503 Service Unavailable\r\n")
                        .endsWith("\r\n\r\nDisconnected: too many connections from your address\n");
            }
        }
    }

    @Test
    void withATlsCertificateTheWebPortIsHttpsEvenWithoutATlsPort(@TempDir Path dir) throws Exception {
        TestCertificate certificate = TestCertificate.create(dir, "web");
        HttpClient https = HttpClient.newBuilder().sslContext(certificate.trustingThis()).build();
        try (ChatServer secure = ChatServer.start(LocalConfig.withWeb(LocalConfig.withTls(LocalConfig.local(), certificate.options(TlsOptions.PORT_OFF)), WebOptions.of(0, null)))) {
            assertThat(secure.tlsAddress()).isNull();
            int port = secure.webAddress().getPort();
            HttpResponse<String> page = https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            URI wss = URI.create("wss://127.0.0.1:" + port + "/ws");
            try (WsClient frank = WsClient.open(https, wss, "https://127.0.0.1:" + port)) {
                frank.expect("Enter your name:");
                frank.send("frank");
                frank.expect("You are frank", "Also here: nobody");
            }
            assertThatThrownBy(() -> WsClient.open(https, wss, "http://127.0.0.1:" + port))
                    .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class,
                            e -> assertThat(e.getResponse().statusCode()).isEqualTo(403));
        }
    }

    @Test
    void aBurstReachesAWebReaderAsOneMessagePerLineShortAndLongAlike() throws Exception {
        try (WsClient ann = WsClient.joined(http, ws, "ann");
             LineSocket bob = LineSocket.connect(tcp).join("bob")) {
            ann.expect("bob has arrived");
            StringBuilder paste = new StringBuilder();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 60; i++) { // within the flood budget's burst, so they come at once
                // 125 bytes and less take a two-byte frame header, more a four-byte one.
                String text = i + " " + "x".repeat(i % 3 == 0 ? 10 : i % 3 == 1 ? 119 : 1500);
                paste.append(text).append('\n');
                expected.add("bob: " + text);
            }
            bob.sendRaw(paste.toString().getBytes(StandardCharsets.UTF_8));
            List<String> got = new ArrayList<>();
            for (int i = 0; i < expected.size(); i++) {
                got.add(ann.next());
            }
            assertThat(got).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void shutdownSaysGoodbyeOverTheWebSocketToo() throws Exception {
        ChatServer closing = ChatServer.start(LocalConfig.withWeb(LocalConfig.local(), WebOptions.of(0, null)));
        URI closingWs = URI.create("ws://127.0.0.1:" + closing.webAddress().getPort() + "/ws");
        try (WsClient gina = WsClient.joined(http, closingWs, "gina")) {
            closing.close();
            gina.expect("Disconnected: server shutting down");
            gina.awaitClose();
        }
    }

    private record Frame(int opcode, byte[] payload) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Frame f && f.opcode == opcode && Arrays.equals(f.payload, payload);
        }

        @Override
        public int hashCode() {
            return opcode * 31 + Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "Frame[" + opcode + ", " + new String(payload, StandardCharsets.UTF_8) + "]";
        }
    }

    /** One unmasked frame from the server (short lengths only: what this test expects). */
    private static Frame readFrame(DataInputStream in) throws IOException {
        int first = in.readUnsignedByte();
        int length = in.readUnsignedByte() & 0x7f;
        if (length == 126) {
            length = in.readUnsignedShort();
        }
        byte[] payload = new byte[length];
        in.readFully(payload);
        return new Frame(first & 0x0f, payload);
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.getPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String rawHttp(String request) throws IOException {
        return rawHttp(web, request);
    }

    /** Sends a raw request and returns the response as text, read until the server closes (every test's does). */
    private static String rawHttp(InetSocketAddress server, String request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(server, 10_000);
            s.setSoTimeout(10_000);
            try {
                s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            } catch (IOException refusedMidway) {
                // the server answered and closed before reading it all: read its answer
            }
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    response.write(buffer, 0, n);
                }
            } catch (IOException reset) {
                // a reset after the answer: what was read is the answer
            }
            return response.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
