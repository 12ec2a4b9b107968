package chat.server.transport.tls;

import chat.server.transport.LineSocket;
import chat.server.transport.TestCertificate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocket;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The real jar with TLS and web listeners: options, exit codes, log lines, SIGHUP. */
class TlsProcessIT {

    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)( \\((tls|web)\\))?$");

    @TempDir
    static Path dir;
    static TestCertificate first;
    static TestCertificate second;

    @BeforeAll
    static void certificates() throws Exception {
        first = TestCertificate.create(dir, "first");
        second = TestCertificate.create(dir, "second");
    }

    @Test
    void tlsAndWebWithoutPlainTcpSayWhereTheyListenAndSighupReloadsTheCertificate() throws Exception {
        Path cert = Files.copy(first.certChain(), dir.resolve("live-cert.pem"), StandardCopyOption.REPLACE_EXISTING);
        Path key = Files.copy(first.key(), dir.resolve("live-key.pem"), StandardCopyOption.REPLACE_EXISTING);
        Process p = start("--port", "off", "--tls-port", "0", "--web-port", "0",
                "--tls-cert", cert.toString(), "--tls-key", key.toString());
        try {
            BlockingQueue<String> log = follow(p);
            String provider = awaitLine(log, "tls: ");
            assertThat(provider).contains("TLSv1.3 and TLSv1.2; certificate CN=localhost");
            List<String> listening = new ArrayList<>();
            listening.add(awaitLine(log, "listening on "));
            listening.add(awaitLine(log, "listening on "));
            assertThat(listening).allMatch(l -> LISTENING.matcher(l).find());
            assertThat(listening.get(0)).endsWith("(tls)");
            assertThat(listening.get(1)).endsWith("(web)");
            InetSocketAddress tls = address(listening.get(0));

            assertThat(serial(tls)).isEqualTo(first.certificate().getSerialNumber());
            Files.copy(second.certChain(), cert, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(second.key(), key, StandardCopyOption.REPLACE_EXISTING);
            signal(p, "HUP");
            assertThat(awaitLine(log, "tls: ")).startsWith("tls: reloaded; certificate CN=localhost");
            assertThat(serial(tls)).isEqualTo(second.certificate().getSerialNumber());

            Files.writeString(key, "not a key\n");
            signal(p, "HUP");
            assertThat(awaitLine(log, "tls: ")).isEqualTo("tls: reload failed, keeping the old certificate: --tls-key "
                    + key + " holds no PEM private key (BEGIN PRIVATE KEY)");
            assertThat(serial(tls)).isEqualTo(second.certificate().getSerialNumber());

            signal(p, "TERM");
            assertThat(p.waitFor(5, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void missingCertificateIsOneLineAndExitTwo() throws Exception {
        Path nowhere = dir.resolve("nowhere.pem");
        Process p = start("--tls-port", "0", "--tls-cert", nowhere.toString(), "--tls-key", first.key().toString());
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(lines(p.getErrorStream()))
                .containsExactly("chat-server: cannot read --tls-cert " + nowhere + ": no such file");
    }

    @Test
    void tlsPortWithoutCertificateIsOneLineAndExitTwo() throws Exception {
        // The other bad combinations are TransportOptionsTest's, in-process.
        Process p = start("--tls-port", "0");
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(lines(p.getErrorStream())).containsExactly("chat-server: --tls-port needs --tls-cert and --tls-key");
    }

    private static BigInteger serial(InetSocketAddress tls) throws Exception {
        try (LineSocket c = LineSocket.connectTls(tls, TestCertificate.trusting(first, second))) {
            c.expect("Enter your name:");
            return ((X509Certificate) ((SSLSocket) c.socket()).getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    private static InetSocketAddress address(String listeningLine) {
        Matcher m = LISTENING.matcher(listeningLine);
        assertThat(m.find()).isTrue();
        return new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(1)));
    }

    private static Process start(String... args) throws IOException {
        Path jar = Paths.get(System.getProperty("chat.server.jar", "target/chat-server.jar"));
        List<String> command = new ArrayList<>(List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
                "--host", "127.0.0.1"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith("CHAT_"));
        return pb.start();
    }

    private static void signal(Process p, String signal) throws Exception {
        new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid())).inheritIO().start()
                .waitFor(10, TimeUnit.SECONDS);
    }

    /** The log, line by line, as the process writes it (a daemon thread reads it). */
    private static BlockingQueue<String> follow(Process p) {
        BlockingQueue<String> log = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    log.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        return log;
    }

    /** The message of the next log line whose message starts with {@code prefix}, within 20 s. */
    private static String awaitLine(BlockingQueue<String> log, String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            String line = log.poll(left, TimeUnit.NANOSECONDS);
            if (line == null) {
                break;
            }
            int start = line.indexOf(" - ");
            String message = start < 0 ? line : line.substring(start + 3);
            if (message.startsWith(prefix)) {
                return message;
            }
        }
        throw new AssertionError("no log line starting with '" + prefix + "'");
    }

    private static List<String> lines(InputStream in) throws IOException {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return r.lines().toList();
        }
    }
}
