package chat.server.transport.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The certificate chain and key of {@link TlsOptions}, read and checked before Netty builds a context from
 * them, so that each way they can be wrong becomes one line naming the option and the file: missing,
 * unreadable, no certificate in it, a key that is not unencrypted PKCS#8, a key that does not belong to
 * the certificate. Immutable; called at start and on SIGHUP, never on an event loop.
 */
record PemCredentials(byte[] certChainPem, byte[] keyPem, List<X509Certificate> chain) {

    private static final Pattern PKCS8 = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    private static final byte[] PROBE = "chat-server key check".getBytes(StandardCharsets.US_ASCII);

    /** Reads and checks both files; a problem is an IllegalArgumentException whose message is one line. */
    static PemCredentials read(TlsOptions options) {
        byte[] certPem = readFile("--tls-cert", options.certChain());
        byte[] keyPem = readFile("--tls-key", options.key());
        List<X509Certificate> chain = certificates(options.certChain(), certPem);
        PrivateKey key = privateKey(options.key(), keyPem, chain.get(0).getPublicKey().getAlgorithm());
        checkPair(options, chain.get(0).getPublicKey(), key);
        return new PemCredentials(certPem, keyPem, List.copyOf(chain));
    }

    /** The first certificate, described for the log: subject and end of validity. */
    String describe() {
        X509Certificate leaf = chain.get(0);
        return leaf.getSubjectX500Principal().getName() + ", valid until " + leaf.getNotAfter().toInstant();
    }

    private static byte[] readFile(String option, Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("cannot read " + option + " " + file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException("cannot read " + option + " " + file + ": permission denied");
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException("cannot read " + option + " " + file + ": " + e.getMessage());
        }
    }

    private static List<X509Certificate> certificates(Path file, byte[] pem) {
        List<X509Certificate> chain = new ArrayList<>();
        try {
            for (Certificate c : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem))) {
                chain.add((X509Certificate) c);
            }
        } catch (CertificateException | RuntimeException e) {
            throw new IllegalArgumentException("--tls-cert " + file + " is not a PEM certificate chain: "
                    + oneLine(e));
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("--tls-cert " + file + " holds no PEM certificate");
        }
        return chain;
    }

    private static PrivateKey privateKey(Path file, byte[] pem, String algorithm) {
        String text = new String(pem, StandardCharsets.US_ASCII);
        Matcher m = PKCS8.matcher(text);
        if (!m.find()) {
            if (text.contains("ENCRYPTED PRIVATE KEY")) {
                throw new IllegalArgumentException(
                        "--tls-key " + file + " is encrypted; give an unencrypted PKCS#8 key");
            }
            if (text.contains("RSA PRIVATE KEY") || text.contains("EC PRIVATE KEY")) {
                throw new IllegalArgumentException("--tls-key " + file + " is not PKCS#8; convert it with "
                        + "openssl pkcs8 -topk8 -nocrypt -in " + file);
            }
            throw new IllegalArgumentException("--tls-key " + file + " holds no PEM private key (BEGIN PRIVATE KEY)");
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(m.group(1));
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("--tls-key " + file + " is not a PKCS#8 " + algorithm
                    + " key matching --tls-cert: " + oneLine(e));
        }
    }

    // A key from another certificate would only fail at the first handshake; say so now.
    private static void checkPair(TlsOptions options, PublicKey publicKey, PrivateKey key) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            case "Ed448" -> "Ed448";
            default -> null; // rare key types: the handshake will tell
        };
        if (algorithm == null) {
            return;
        }
        boolean matches;
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(PROBE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(PROBE);
            matches = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            matches = false;
        }
        if (!matches) {
            throw new IllegalArgumentException("--tls-key " + options.key()
                    + " does not belong to the certificate in --tls-cert " + options.certChain());
        }
    }

    private static String oneLine(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
