package chat.server.transport.tls;

import chat.server.ChatServer;
import chat.server.transport.LocalConfig;
import chat.server.transport.LineSocket;
import chat.server.transport.TestCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The TLS listener over loopback: same protocol, same room, only TLS 1.2 and 1.3, no plaintext. */
class TlsChatIT {

    @TempDir
    static Path dir;
    static TestCertificate certificate;
    static ChatServer server;
    static InetSocketAddress plain;
    static InetSocketAddress tls;
    static SSLContext client;

    @BeforeAll
    static void start() throws Exception {
        certificate = TestCertificate.create(dir, "server");
        server = ChatServer.start(LocalConfig.withTls(LocalConfig.local(), certificate.options(0)));
        plain = new InetSocketAddress("127.0.0.1", server.address().getPort());
        tls = new InetSocketAddress("127.0.0.1", server.tlsAddress().getPort());
        client = certificate.trustingThis();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void tlsAndTcpClientsChatInOneRoom() throws Exception {
        try (LineSocket ann = LineSocket.connectTls(tls, client).join("ann");
             LineSocket bob = LineSocket.connect(plain).join("bob")) {
            ann.expect("bob has arrived");
            ann.send("hello over TLS");
            ann.expect("ann: hello over TLS");
            bob.expect("ann: hello over TLS");
            bob.send("hello in clear");
            ann.expect("bob: hello in clear");
            ann.send("/quit");
            ann.expect("Disconnected: quit");
            bob.expect("bob: hello in clear", "ann has left");
        }
    }

    @Test
    void tls13IsPreferredAndTls12IsServed() throws Exception {
        try (LineSocket latest = LineSocket.connectTls(tls, client);
             LineSocket older = LineSocket.connectTls(tls, client, "TLSv1.2")) {
            assertThat(((SSLSocket) latest.socket()).getSession().getProtocol()).isEqualTo("TLSv1.3");
            assertThat(((SSLSocket) older.socket()).getSession().getProtocol()).isEqualTo("TLSv1.2");
            latest.expect("Enter your name:");
            older.expect("Enter your name:");
        }
    }

    @Test
    void plaintextToTheTlsPortIsClosedWithoutAPrompt() throws Exception {
        try (LineSocket confused = LineSocket.connect(tls)) {
            confused.send("ann is here"); // five bytes or more: enough to see it is no TLS record
            byte[] answer = confused.readToEnd(); // at most a TLS alert, then the end
            assertThat(new String(answer, StandardCharsets.ISO_8859_1)).doesNotContain("Enter your name:");
        }
        try (LineSocket ann = LineSocket.connectTls(tls, client).join("ann2")) {
            ann.send("/who");
            assertThat(ann.readLine()).startsWith("Here now (");
        }
    }

    @Test
    void opensslSClientIsACompleteClient() throws Exception {
        Process p = new ProcessBuilder("openssl", "s_client", "-quiet", "-CAfile", certificate.certChain().toString(),
                "-connect", "127.0.0.1:" + tls.getPort()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            });
            reader.setDaemon(true);
            reader.start();
            OutputStream in = p.getOutputStream();
            assertThat(lines.poll(10, TimeUnit.SECONDS)).isEqualTo("Enter your name:");
            in.write("carol\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
            assertThat(lines.poll(10, TimeUnit.SECONDS)).isEqualTo("You are carol");
            assertThat(lines.poll(10, TimeUnit.SECONDS)).startsWith("Also here: ");
            in.write("/quit\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
            assertThat(lines.poll(10, TimeUnit.SECONDS)).isEqualTo("Disconnected: quit");
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void connectionLimitsCountTlsAndTcpTogether() throws Exception {
        try (ChatServer small = ChatServer.start(LocalConfig.withTls(LocalConfig.withConnectionLimits(LocalConfig.local(), 10, 1), certificate.options(0)));
             LineSocket first = LineSocket.connect(new InetSocketAddress("127.0.0.1", small.address().getPort()))) {
            first.expect("Enter your name:"); // admitted: now the address is at its limit
            try (LineSocket second = LineSocket.connectTls(
                    new InetSocketAddress("127.0.0.1", small.tlsAddress().getPort()), client)) {
                second.expect("Disconnected: too many connections from your address");
            }
        }
    }

    @Test
    void everyListenerSaysWhereItIs() {
        assertThat(List.of(server.address(), server.tlsAddress())).doesNotContainNull();
        assertThat(server.webAddress()).isNull();
    }
}
