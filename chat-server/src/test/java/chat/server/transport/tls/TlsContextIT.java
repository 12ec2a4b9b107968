package chat.server.transport.tls;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import chat.server.transport.TestCertificate;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLEngine;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The TLS context with certificates made by openssl (a real process, hence an IT), in-process. */
class TlsContextIT {

    @TempDir
    static Path dir;
    static TestCertificate first;
    static TestCertificate second;

    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Logger tlsLog = (Logger) LoggerFactory.getLogger("chat.server.transport.tls");

    @BeforeAll
    static void certificates() throws Exception {
        first = TestCertificate.create(dir, "first");
        second = TestCertificate.create(dir, "second");
    }

    @BeforeEach
    void captureLog() {
        logged.start();
        root.addAppender(logged);
        tlsLog.setLevel(Level.INFO); // the tests' logback config shows warnings only
    }

    @AfterEach
    void releaseLog() {
        tlsLog.setLevel(null);
        root.detachAppender(logged);
    }

    @Test
    void openSslCarriesTlsOnLinuxX8664AndTheLogSaysWhichProviderOnce() {
        TlsContext tls = TlsContext.load(first.options(0));
        List<String> providerLines = messages(Level.INFO).stream().filter(m -> m.startsWith("tls: ")).toList();
        assertThat(providerLines).hasSize(1);
        assertThat(providerLines.get(0))
                .startsWith("tls: " + tls.providerName() + ", TLSv1.3 and TLSv1.2; certificate CN=localhost");
        assumeTrue(System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64"),
                "netty-tcnative is shipped for linux-x86_64 only");
        assertThat(tls.openSsl()).isTrue();
        assertThat(tls.providerName()).startsWith("OpenSSL (BoringSSL");
    }

    @Test
    void missingFilesAreOneLineNamingOptionAndFile() {
        Path nowhere = dir.resolve("nowhere.pem");
        assertThatThrownBy(() -> TlsContext.load(new TlsOptions(0, nowhere, first.key())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot read --tls-cert " + nowhere + ": no such file");
        assertThatThrownBy(() -> TlsContext.load(new TlsOptions(0, first.certChain(), nowhere)))
                .hasMessage("cannot read --tls-key " + nowhere + ": no such file");
        assertThatThrownBy(() -> TlsContext.load(new TlsOptions(0, dir, first.key())))
                .hasMessageStartingWith("cannot read --tls-cert " + dir + ": ");
    }

    @Test
    void badFilesAreOneLineSayingWhatIsWrong() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.pem"), "not a certificate\n");
        assertThatThrownBy(() -> TlsContext.load(new TlsOptions(0, junk, first.key())))
                .hasMessageStartingWith("--tls-cert " + junk + " ");
        assertThatThrownBy(() -> TlsContext.load(new TlsOptions(0, first.certChain(), junk)))
                .hasMessage("--tls-key " + junk + " holds no PEM private key (BEGIN PRIVATE KEY)");
        Path pkcs1 = dir.resolve("pkcs1.pem");
        TestCertificate.openssl(dir, "rsa", "-in", first.key().toString(), "-traditional", "-out", pkcs1.toString());
        assertThatThrownBy(() -> TlsContext.load(new TlsOptions(0, first.certChain(), pkcs1)))
                .hasMessageStartingWith("--tls-key " + pkcs1 + " is not PKCS#8; convert it with openssl pkcs8");
        assertThatThrownBy(() -> TlsContext.load(new TlsOptions(0, first.certChain(), second.key())))
                .hasMessage("--tls-key " + second.key() + " does not belong to the certificate in --tls-cert "
                        + first.certChain());
        assertThat(logged.list).noneMatch(e -> e.getFormattedMessage().contains("PRIVATE KEY"));
    }

    @Test
    void reloadTakesNewFilesAndKeepsTheOldContextWhenTheyAreBad() throws Exception {
        Path cert = dir.resolve("live-cert.pem");
        Path key = dir.resolve("live-key.pem");
        Files.copy(first.certChain(), cert, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(first.key(), key, StandardCopyOption.REPLACE_EXISTING);
        TlsContext tls = TlsContext.load(new TlsOptions(0, cert, key));
        assertThat(serverCertificate(tls)).isEqualTo(first.certificate().getSerialNumber());

        Files.copy(second.certChain(), cert, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(second.key(), key, StandardCopyOption.REPLACE_EXISTING);
        assertThat(tls.reload()).isEmpty();
        assertThat(serverCertificate(tls)).isEqualTo(second.certificate().getSerialNumber());

        Files.copy(first.key(), key, StandardCopyOption.REPLACE_EXISTING); // the wrong key for the certificate
        assertThat(tls.reload()).contains("--tls-key " + key + " does not belong to the certificate in --tls-cert "
                + cert);
        assertThat(messages(Level.WARN)).containsExactly("tls: reload failed, keeping the old certificate: --tls-key "
                + key + " does not belong to the certificate in --tls-cert " + cert);
        assertThat(serverCertificate(tls)).isEqualTo(second.certificate().getSerialNumber());
    }

    @Test
    void plaintextToTlsIsClosedQuietly() {
        TlsContext tls = TlsContext.load(first.options(0));
        List<Throwable> passedOn = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel();
        tls.addHandlers(ch.pipeline());
        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                passedOn.add(cause);
            }
        });
        logged.list.clear();
        ch.writeInbound(Unpooled.copiedBuffer("ann\nhello\n", StandardCharsets.US_ASCII));
        assertThat(ch.isOpen()).isFalse();
        assertThat(passedOn).isEmpty();
        assertThat(logged.list).allSatisfy(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.DEBUG);
            assertThat(e.getThrowableProxy()).isNull();
        });
        ch.finishAndReleaseAll();
    }

    @Test
    void aHandshakeNotDoneWithinTenSecondsIsClosed() {
        TlsContext tls = TlsContext.load(first.options(0));
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        tls.addHandlers(ch.pipeline());
        ch.advanceTimeBy(9, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isTrue();
        ch.advanceTimeBy(1, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        ch.runPendingTasks();
        assertThat(ch.isOpen()).isFalse();
        assertThat(logged.list).noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.INFO)
                && !e.getFormattedMessage().startsWith("tls: "));
        ch.finishAndReleaseAll();
    }

    /** The serial number of the certificate a new connection gets. */
    private static BigInteger serverCertificate(TlsContext tls) throws Exception {
        SSLEngine engine = TestCertificate.trusting(first, second).createSSLEngine("localhost", 443);
        engine.setUseClientMode(true);
        SslHandler client = new SslHandler(engine);
        EmbeddedChannel server = new EmbeddedChannel(tls.newHandler(ByteBufAllocator.DEFAULT));
        EmbeddedChannel peer = new EmbeddedChannel(client);
        for (int round = 0; round < 20 && !client.handshakeFuture().isDone(); round++) {
            shuttle(peer, server);
            shuttle(server, peer);
        }
        assertThat(client.handshakeFuture().isSuccess()).isTrue();
        X509Certificate cert = (X509Certificate) engine.getSession().getPeerCertificates()[0];
        server.finishAndReleaseAll();
        peer.finishAndReleaseAll();
        return cert.getSerialNumber();
    }

    private static void shuttle(EmbeddedChannel from, EmbeddedChannel to) {
        from.runPendingTasks();
        for (Object o; (o = from.readOutbound()) != null; ) {
            to.writeInbound(o);
        }
    }

    private List<String> messages(Level level) {
        return logged.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }
}
