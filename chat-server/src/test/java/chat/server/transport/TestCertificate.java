package chat.server.transport;

import chat.server.transport.tls.TlsOptions;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for localhost and 127.0.0.1, made at test time by the {@code openssl} command
 * (never committed: the key is a secret, even a test one), with its key converted to PKCS#8.
 */
public record TestCertificate(Path certChain, Path key, X509Certificate certificate) {

    /** Makes {@code NAME-cert.pem} and {@code NAME-key.pem} in {@code dir}. */
    public static TestCertificate create(Path dir, String name) throws IOException, InterruptedException {
        Path rawKey = dir.resolve(name + "-raw-key.pem");
        Path key = dir.resolve(name + "-key.pem");
        Path cert = dir.resolve(name + "-cert.pem");
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", rawKey.toString(),
                "-out", cert.toString(), "-days", "1", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1");
        openssl(dir, "pkcs8", "-topk8", "-nocrypt", "-in", rawKey.toString(), "-out", key.toString());
        Files.delete(rawKey);
        return new TestCertificate(cert, key, read(cert));
    }

    /** Runs {@code openssl ARGS} in {@code dir}; fails with its output unless it exits 0 within 30 s. */
    public static String openssl(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] output;
        try (InputStream out = p.getInputStream()) {
            output = out.readAllBytes();
        }
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("openssl did not finish: " + command);
        }
        String text = new String(output, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException("openssl failed (" + p.exitValue() + "): " + command + "\n" + text);
        }
        return text;
    }

    public TlsOptions options(int port) {
        return new TlsOptions(port, certChain, key);
    }

    /** A client context that trusts these certificates, and only them. */
    public static SSLContext trusting(TestCertificate... certificates) throws GeneralSecurityException, IOException {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        for (int i = 0; i < certificates.length; i++) {
            trusted.setCertificateEntry("test-" + i, certificates[i].certificate());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    public SSLContext trustingThis() throws GeneralSecurityException, IOException {
        return trusting(this);
    }

    private static X509Certificate read(Path cert) throws IOException {
        try (InputStream in = Files.newInputStream(cert)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (CertificateException e) {
            throw new IOException(e);
        }
    }
}
